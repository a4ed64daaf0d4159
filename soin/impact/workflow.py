"""The states of a financial proxy in the national bank and the moves between them.

    proposed ─approve─▶ approved ─retire─▶ retired   (when its next version is approved)
    proposed ─reject──▶ rejected                     (a reason is required)

Any partnership's coordinator or advisor proposes (``proxies.propose``); the national
coordinator approves or rejects (``proxies.approve``). An approved proxy is never edited:
``proxy_new_version`` proposes the next version, and approving it retires this one, so an
analysis keeps exactly the version it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.accounts.permissions import has_perm
from soin.core.errors import TransitionNotAllowed
from soin.impact.models import FinancialProxy

S = FinancialProxy.State


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    perm: str = "proxies.approve"
    needs_reason: bool = False
    # Taken by the system only (retire: when the next version is approved), never a button.
    internal: bool = False


TRANSITIONS: dict[str, Move] = {
    m.name: m
    for m in [
        Move("approve", gettext_lazy("Approve"), frozenset({S.PROPOSED}), S.APPROVED),
        Move(
            "reject",
            gettext_lazy("Reject"),
            frozenset({S.PROPOSED}),
            S.REJECTED,
            needs_reason=True,
        ),
        Move(
            "retire",
            gettext_lazy("Replace by the next version"),
            frozenset({S.APPROVED}),
            S.RETIRED,
            internal=True,
        ),
    ]
}


def available_moves(user: Any, proxy: FinancialProxy) -> list[Move]:
    return [
        m
        for m in TRANSITIONS.values()
        if not m.internal and proxy.state in m.sources and has_perm(user, m.perm, None)
    ]


def ensure_allowed(proxy: FinancialProxy, move_name: str, actor: Any) -> Move:
    """Return the move if ``actor`` may make it from the proxy's state; raise
    TransitionNotAllowed otherwise (``actor`` None: the system, for internal moves)."""
    move = TRANSITIONS.get(move_name)
    # An internal move is the system's (``actor`` None), never a person's.
    if move is None or (move.internal and actor is not None):
        raise TransitionNotAllowed(_("There is no such step for a financial proxy."))
    if proxy.state not in move.sources:
        raise TransitionNotAllowed(
            _("A proxy that is “%(state)s” cannot take the step “%(move)s”.")
            % {"state": proxy.get_state_display(), "move": move.label},
            code="state",
        )
    if actor is not None and not has_perm(actor, move.perm, None):
        raise TransitionNotAllowed(
            _("You may not take the step “%(move)s” on a financial proxy.") % {"move": move.label},
            code="role",
        )
    return move
