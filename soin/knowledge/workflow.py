"""The editorial states of a knowledge-bank entry and the moves between them, declared once.

    draft ─submit─▶ in review ─publish─▶ published ─archive─▶ archived
    in review ─return─▶ draft (a reason is required)
    published / archived ─unpublish─▶ draft
    archived ─republish─▶ published

Advisors and coordinators write drafts and send them for review; coordinators and the national
coordinator publish, archive and take entries back. Publishing needs the template's questions
answered in both languages' summary and, for an idea, the carrier's consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.accounts.permissions import has_perm
from soin.core.errors import TransitionNotAllowed
from soin.knowledge.models import Entry

S = Entry.State


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    # The permission the actor needs in the entry's partnership.
    perm: str = "bank.change"
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("submit", gettext_lazy("Send for review"), frozenset({S.DRAFT}), S.IN_REVIEW),
        Move(
            "return",
            gettext_lazy("Return to the writer"),
            frozenset({S.IN_REVIEW}),
            S.DRAFT,
            perm="bank.publish",
            needs_reason=True,
        ),
        Move(
            "publish",
            gettext_lazy("Publish"),
            frozenset({S.IN_REVIEW}),
            S.PUBLISHED,
            perm="bank.publish",
        ),
        Move(
            "archive",
            gettext_lazy("Archive"),
            frozenset({S.PUBLISHED}),
            S.ARCHIVED,
            perm="bank.publish",
        ),
        Move(
            "republish",
            gettext_lazy("Publish again"),
            frozenset({S.ARCHIVED}),
            S.PUBLISHED,
            perm="bank.publish",
        ),
        Move(
            "unpublish",
            gettext_lazy("Take back to draft"),
            frozenset({S.PUBLISHED, S.ARCHIVED}),
            S.DRAFT,
            perm="bank.publish",
            needs_reason=True,
        ),
    ]
}

# States in which the entry can be edited; a published entry is taken back to draft first,
# so that what readers see has always been reviewed.
EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW})


def available_moves(user: Any, entry: Entry) -> list[Move]:
    """Return the moves ``user`` can make on ``entry`` now."""
    if entry.origin:
        return []
    return [
        m
        for m in MOVES.values()
        if entry.state in m.sources and has_perm(user, m.perm, entry.partnership)
    ]


def ensure_allowed(entry: Entry, move_name: str, actor: Any) -> Move:
    """Return the move if ``actor`` may make it from the entry's state; raise
    TransitionNotAllowed otherwise."""
    move = MOVES.get(move_name)
    if move is None:
        raise TransitionNotAllowed(_("There is no such step for an entry."))
    if entry.origin:
        raise TransitionNotAllowed(
            _("This entry is kept by the installation it was imported from."), code="origin"
        )
    if entry.state not in move.sources:
        raise TransitionNotAllowed(
            _("An entry that is “%(state)s” cannot take the step “%(move)s”.")
            % {"state": entry.get_state_display(), "move": move.label},
            code="state",
        )
    if actor is not None and not has_perm(actor, move.perm, entry.partnership):
        raise TransitionNotAllowed(
            _("You may not take the step “%(move)s” on this entry.") % {"move": move.label},
            code="role",
        )
    return move


def ensure_editable(entry: Entry) -> None:
    if entry.origin:
        raise TransitionNotAllowed(
            _("This entry is kept by the installation it was imported from."), code="origin"
        )
    if entry.state not in EDITABLE:
        raise TransitionNotAllowed(
            _("Take the entry back to draft before changing it."), code="state"
        )
