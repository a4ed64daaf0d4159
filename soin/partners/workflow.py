"""The agreement's states and the moves between them, declared once.

draft --sign--> signed --end--> ended. A draft may be edited; a signed agreement is frozen.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from soin.core.errors import TransitionNotAllowed
from soin.partners.models import Agreement

State = Agreement.State

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # move: (states it may start from, state it leads to)
    "edit": (frozenset({State.DRAFT}), State.DRAFT),
    "sign": (frozenset({State.DRAFT}), State.SIGNED),
    "end": (frozenset({State.SIGNED}), State.ENDED),
}


def can(agreement: Agreement, move: str) -> bool:
    sources, _target = TRANSITIONS[move]
    return agreement.state in sources


def ensure_allowed(agreement: Agreement, move: str) -> str:
    """Return the state ``move`` leads to, or raise TransitionNotAllowed."""
    sources, target = TRANSITIONS[move]
    if agreement.state not in sources:
        raise TransitionNotAllowed(
            _("An agreement that is %(state)s cannot be changed that way.")
            % {"state": agreement.get_state_display().lower()},
            code="transition",
        )
    return target
