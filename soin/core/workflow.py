"""The shape every workflow with named steps shares: a table of moves, each from some states to
one state and guarded by a permission in the record's partnership.

An app declares its moves once in its own ``workflow.py``::

    FLOW = Workflow(
        [Move("publish", _("Publish"), frozenset({S.DRAFT}), S.PUBLISHED, "reports.publish")],
        no_such=_("There is no such step for a report."),
        wrong_state=_("A report that is “%(state)s” cannot take the step “%(move)s”."),
        not_yours=_("You may not take the step “%(move)s” on this report."),
    )

(``_`` being ``gettext_lazy``) and its services call ``FLOW.ensure_allowed(record, name,
actor)`` before they change the state (and write the timeline row in the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from soin.accounts.permissions import has_perm
from soin.core.errors import TransitionNotAllowed


@dataclass(frozen=True)
class Move:
    name: str
    label: Any
    sources: frozenset[str]
    # The state it leads to; "" when the service decides (e.g. partly or fully paid).
    target: str
    # The permission the actor needs in the record's partnership.
    perm: str
    needs_reason: bool = False


class Workflow:
    """The moves of one kind of record, and the checks before one is made."""

    def __init__(
        self,
        moves: Iterable[Move],
        *,
        no_such: Any,
        wrong_state: Any,
        not_yours: Any,
        field: str = "state",
        partnership: Callable[[Any], Any] = lambda record: record.partnership,
        blocked: Callable[[Any], Any] = lambda record: None,
    ) -> None:
        self.moves: dict[str, Move] = {m.name: m for m in moves}
        self.no_such = no_such
        self.wrong_state = wrong_state
        self.not_yours = not_yours
        self.field = field
        self.partnership = partnership
        # A record that takes no step at all returns why (a translated message), else None.
        self.blocked = blocked

    def __getitem__(self, name: str) -> Move:
        return self.moves[name]

    def may(self, user: Any, record: Any, name: str) -> bool:
        """Return whether ``user`` may make the move ``name`` on ``record`` now."""
        return any(m.name == name for m in self.available(user, record))

    def available(self, user: Any, record: Any) -> list[Move]:
        """Return the moves ``user`` can make on ``record`` now."""
        if self.blocked(record):
            return []
        partnership = self.partnership(record)
        return [
            m
            for m in self.moves.values()
            if getattr(record, self.field) in m.sources and has_perm(user, m.perm, partnership)
        ]

    def ensure_allowed(self, record: Any, name: str, actor: Any) -> Move:
        """Return the move if ``actor`` may make it from the record's state; raise
        TransitionNotAllowed otherwise (``actor`` None: a task or command acting)."""
        move = self.moves.get(name)
        if move is None:
            raise TransitionNotAllowed(str(self.no_such))
        reason = self.blocked(record)
        if reason:
            raise TransitionNotAllowed(str(reason), code="blocked")
        if getattr(record, self.field) not in move.sources:
            display = getattr(record, f"get_{self.field}_display")()
            raise TransitionNotAllowed(
                str(self.wrong_state) % {"state": display, "move": move.label},
                code="state",
            )
        if actor is not None and not has_perm(actor, move.perm, self.partnership(record)):
            raise TransitionNotAllowed(str(self.not_yours) % {"move": move.label}, code="role")
        return move
