"""The states of a yearly report and the moves between them, declared once.

    draft ─publish─▶ published      (the figures are frozen as they stand)
    published ─reopen─▶ draft       (a reason is required; the frozen figures are let go)

Coordinators write the narrative and publish; a published report cannot be edited, so that
what members and funders read stays what was published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.accounts.permissions import has_perm
from soin.core.errors import TransitionNotAllowed
from soin.reports.models import YearlyReport

S = YearlyReport.State


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    perm: str = "reports.publish"
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("publish", gettext_lazy("Publish"), frozenset({S.DRAFT}), S.PUBLISHED),
        Move(
            "reopen",
            gettext_lazy("Reopen for changes"),
            frozenset({S.PUBLISHED}),
            S.DRAFT,
            needs_reason=True,
        ),
    ]
}


def available_moves(user: Any, report: YearlyReport) -> list[Move]:
    return [
        m
        for m in MOVES.values()
        if report.state in m.sources and has_perm(user, m.perm, report.partnership)
    ]


def ensure_allowed(report: YearlyReport, move_name: str, actor: Any) -> Move:
    """Return the move if ``actor`` may make it from the report's state; raise
    TransitionNotAllowed otherwise."""
    move = MOVES.get(move_name)
    if move is None:
        raise TransitionNotAllowed(_("There is no such step for a report."))
    if report.state not in move.sources:
        raise TransitionNotAllowed(
            _("A report that is “%(state)s” cannot take the step “%(move)s”.")
            % {"state": report.get_state_display(), "move": move.label},
            code="state",
        )
    if actor is not None and not has_perm(actor, move.perm, report.partnership):
        raise TransitionNotAllowed(
            _("You may not take the step “%(move)s” on this report.") % {"move": move.label},
            code="role",
        )
    return move


def ensure_editable(report: YearlyReport) -> None:
    if report.state != S.DRAFT:
        raise TransitionNotAllowed(
            _("Reopen the report before changing it: it has been published."), code="state"
        )
