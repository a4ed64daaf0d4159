"""The states of an activity plan and the moves between them, declared once.

    draft ─adopt─▶ adopted        (the day it was adopted is recorded)
    adopted ─close─▶ closed       (its years are over; the follow-up stays readable)
    closed ─reopen─▶ adopted      (a reason is required)

Coordinators write the plan and move it (``plans.change``). Areas and items change while the
plan is a draft or adopted; follow-up reports are made on an adopted plan only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from soin.accounts.permissions import has_perm
from soin.core.errors import TransitionNotAllowed
from soin.plans.models import Plan

S = Plan.State


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    perm: str = "plans.change"
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("adopt", pgettext_lazy("plan move", "Adopt"), frozenset({S.DRAFT}), S.ADOPTED),
        Move("close", pgettext_lazy("plan move", "Close"), frozenset({S.ADOPTED}), S.CLOSED),
        Move(
            "reopen",
            pgettext_lazy("plan move", "Reopen"),
            frozenset({S.CLOSED}),
            S.ADOPTED,
            needs_reason=True,
        ),
    ]
}


def available_moves(user: Any, plan: Plan) -> list[Move]:
    return [
        m
        for m in MOVES.values()
        if plan.state in m.sources and has_perm(user, m.perm, plan.partnership)
    ]


def ensure_allowed(plan: Plan, move_name: str, actor: Any) -> Move:
    """Return the move if ``actor`` may make it from the plan's state; raise
    TransitionNotAllowed otherwise."""
    move = MOVES.get(move_name)
    if move is None:
        raise TransitionNotAllowed(_("There is no such step for a plan."))
    if plan.state not in move.sources:
        raise TransitionNotAllowed(
            _("A plan that is “%(state)s” cannot take the step “%(move)s”.")
            % {"state": plan.get_state_display(), "move": move.label},
            code="state",
        )
    if actor is not None and not has_perm(actor, move.perm, plan.partnership):
        raise TransitionNotAllowed(
            _("You may not take the step “%(move)s” on this plan.") % {"move": move.label},
            code="role",
        )
    return move


def ensure_editable(plan: Plan) -> None:
    if plan.state == S.CLOSED:
        raise TransitionNotAllowed(
            _("Reopen the plan before changing it: it is closed."), code="state"
        )


def ensure_reportable(plan: Plan) -> None:
    if plan.state != S.ADOPTED:
        raise TransitionNotAllowed(
            _("Follow-up reports are made on an adopted plan only."), code="state"
        )
