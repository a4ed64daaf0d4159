"""The advisory process of seed 001 annex 9, declared once.

    received ─register─▶ registered ─take─▶ in advice ─clarify─▶ clarifying
    in advice / clarifying ─refined─▶ refined by the carrier
    in advice / clarifying / refined ─refer─▶ referred (to a partner organisation)
    in advice / clarifying / refined / referred ─develop─▶ in development
    in development ─disseminate─▶ disseminated
    any open stage ─drop─▶ dropped (a reason is required)
    dropped ─reopen─▶ in advice

Escalation to the extended advisory group and outcomes are not stages: they are recorded on the
idea and its timeline while it moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.accounts.models import Role
from soin.accounts.permissions import has_perm, roles_in
from soin.core.errors import TransitionNotAllowed
from soin.ideas.models import Idea

S = Idea.Stage
STAFF = frozenset({Role.Kind.COORDINATOR, Role.Kind.ADVISOR})
OPEN = frozenset(
    {S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.CLARIFYING, S.REFINED, S.REFERRED, S.IN_DEVELOPMENT}
)


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    # Roles that may make the move; the referred organisation's partner contact may make the
    # moves marked ``by_receiving_partner`` on ideas referred to them.
    roles: frozenset[str] = STAFF
    by_receiving_partner: bool = False
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("register", gettext_lazy("Register"), frozenset({S.RECEIVED}), S.REGISTERED),
        Move("take", gettext_lazy("Start advice"), frozenset({S.REGISTERED}), S.IN_ADVICE),
        Move(
            "clarify",
            gettext_lazy("Contact the carrier to clarify"),
            frozenset({S.IN_ADVICE}),
            S.CLARIFYING,
        ),
        Move(
            "refined",
            gettext_lazy("The carrier refines the idea"),
            frozenset({S.IN_ADVICE, S.CLARIFYING}),
            S.REFINED,
        ),
        Move(
            "refer",
            gettext_lazy("Refer to another advisor"),
            frozenset({S.IN_ADVICE, S.CLARIFYING, S.REFINED}),
            S.REFERRED,
        ),
        Move(
            "develop",
            gettext_lazy("Start development"),
            frozenset({S.IN_ADVICE, S.CLARIFYING, S.REFINED, S.REFERRED}),
            S.IN_DEVELOPMENT,
            by_receiving_partner=True,
        ),
        Move(
            "disseminate",
            gettext_lazy("Disseminated and in use"),
            frozenset({S.IN_DEVELOPMENT}),
            S.DISSEMINATED,
            by_receiving_partner=True,
        ),
        Move("drop", gettext_lazy("Drop the idea"), OPEN, S.DROPPED, needs_reason=True),
        Move(
            "reopen", gettext_lazy("Reopen"), frozenset({S.DROPPED}), S.IN_ADVICE, needs_reason=True
        ),
    ]
}

# What the carrier reads on their status page for each stage.
CARRIER_STAGE = {
    S.RECEIVED: gettext_lazy("We have received your idea."),
    S.REGISTERED: gettext_lazy("Your idea is registered and waits for an advisor."),
    S.IN_ADVICE: gettext_lazy("An advisor is working with your idea."),
    S.CLARIFYING: gettext_lazy("An advisor will contact you to learn more about your idea."),
    S.REFINED: gettext_lazy("You are refining your idea, with our advice."),
    S.REFERRED: gettext_lazy("Your idea has been passed on to a partner that can help you."),
    S.DROPPED: gettext_lazy("The partnership will not take your idea further."),
    S.IN_DEVELOPMENT: gettext_lazy("Your idea is being developed."),
    S.DISSEMINATED: gettext_lazy("Your idea is in use and being spread."),
}


# Stages in which the organisation an idea was referred to works on it.
WITH_RECEIVING_PARTNER = frozenset({S.REFERRED, S.IN_DEVELOPMENT, S.DISSEMINATED})


def is_receiving_partner(user: Any, idea: Idea) -> bool:
    """Return whether ``user`` is a contact of the organisation the idea is referred to, while
    the idea is with that organisation (not after it was dropped or taken back into advice)."""
    return (
        idea.stage in WITH_RECEIVING_PARTNER
        and idea.referred_to_id is not None
        and any(
            r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id == idea.referred_to_id
            for r in roles_in(user, idea.partnership)
        )
    )


def may(user: Any, idea: Idea, move: Move) -> bool:
    """Return whether ``user`` may make ``move`` on ``idea`` (its stage aside)."""
    if getattr(user, "is_superuser", False):
        return True
    if has_perm(user, "ideas.work", idea.partnership) and any(
        r.kind in move.roles for r in roles_in(user, idea.partnership)
    ):
        return True
    return move.by_receiving_partner and is_receiving_partner(user, idea)


def available_moves(user: Any, idea: Idea) -> list[Move]:
    """Return the moves ``user`` can make on ``idea`` now."""
    return [m for m in MOVES.values() if idea.stage in m.sources and may(user, idea, m)]


def ensure_allowed(idea: Idea, move_name: str, actor: Any) -> Move:
    """Return the move if ``actor`` may make it from the idea's current stage; raise
    TransitionNotAllowed otherwise."""
    move = MOVES.get(move_name)
    if move is None:
        raise TransitionNotAllowed(_("There is no such step in the advisory process."))
    if idea.stage not in move.sources:
        raise TransitionNotAllowed(
            _("An idea that is “%(stage)s” cannot take the step “%(move)s”.")
            % {"stage": idea.get_stage_display(), "move": move.label},
            code="stage",
        )
    if not may(actor, idea, move):
        raise TransitionNotAllowed(
            _("You may not take the step “%(move)s” on this idea.") % {"move": move.label},
            code="role",
        )
    return move
