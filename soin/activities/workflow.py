"""The states of activities and registrations, and the moves between them, declared once.

Activity:      planned ─cancel─▶ cancelled
Registration:  (a seat free)  ─register─▶ confirmed
               (full)         ─register─▶ waiting
               waiting  ─offer─▶ offered   (a seat was freed; the offer expires)
               waiting  ─admit─▶ confirmed (the limit on seats was lifted)
               offered  ─accept─▶ confirmed
               offered  ─expire─▶ expired  (the seat goes to the next on the list)
               confirmed / waiting / offered ─cancel─▶ cancelled
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from soin.activities.models import Activity, Registration
from soin.core.errors import TransitionNotAllowed

A = Activity.State
R = Registration.State

ACTIVITY_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "cancel": (frozenset({A.PLANNED}), A.CANCELLED),
}

REGISTRATION_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "offer": (frozenset({R.WAITING}), R.OFFERED),
    "admit": (frozenset({R.WAITING}), R.CONFIRMED),
    "accept": (frozenset({R.OFFERED}), R.CONFIRMED),
    "expire": (frozenset({R.OFFERED}), R.EXPIRED),
    "cancel": (frozenset({R.CONFIRMED, R.WAITING, R.OFFERED}), R.CANCELLED),
}


def activity_target(activity: Activity, move: str) -> str:
    """Return the state ``move`` takes the activity to; refuse a move its state does not allow."""
    sources, target = ACTIVITY_MOVES[move]
    if activity.state not in sources:
        raise TransitionNotAllowed(
            _("That cannot be done now: the activity's state is “%(state)s”.")
            % {"state": activity.get_state_display()}
        )
    return target


def registration_target(registration: Registration, move: str) -> str:
    """Return the state ``move`` takes the registration to; refuse a move its state does not
    allow."""
    sources, target = REGISTRATION_MOVES[move]
    if registration.state not in sources:
        raise TransitionNotAllowed(
            _("That cannot be done now: the registration's state is “%(state)s”.")
            % {"state": registration.get_state_display()}
        )
    return target
