"""The states of a joint application and the moves between them, declared once.

    planned ─submit─▶ submitted ─grant─▶ granted    (a project is made in the same transaction)
                                └─reject─▶ rejected

Coordinators and advisors make every move. A decided application (granted or rejected) no
longer changes: it is the record of what was applied for.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.core.errors import TransitionNotAllowed
from soin.core.workflow import Move, Workflow
from soin.funding.models import Application

S = Application.Status

FLOW = Workflow(
    [
        Move(
            "submit",
            gettext_lazy("Mark as submitted"),
            frozenset({S.PLANNED}),
            S.SUBMITTED,
            "funding.change",
        ),
        Move(
            "grant",
            gettext_lazy("Granted: start the project"),
            frozenset({S.SUBMITTED}),
            S.GRANTED,
            "funding.change",
        ),
        Move(
            "reject",
            gettext_lazy("Rejected"),
            frozenset({S.SUBMITTED}),
            S.REJECTED,
            "funding.change",
        ),
    ],
    field="status",
    no_such=gettext_lazy("There is no such step for an application."),
    wrong_state=gettext_lazy("An application that is “%(state)s” cannot take the step “%(move)s”."),
    not_yours=gettext_lazy("You may not take the step “%(move)s” on this application."),
)
MOVES = FLOW.moves
available_moves = FLOW.available
ensure_allowed = FLOW.ensure_allowed
DECIDED = frozenset({S.GRANTED, S.REJECTED})


def ensure_editable(application: Application) -> None:
    if application.status in DECIDED:
        raise TransitionNotAllowed(
            _("A decided application cannot be changed: it is the record of what was applied for."),
            code="state",
        )
