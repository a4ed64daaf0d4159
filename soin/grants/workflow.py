"""The states of a small development grant and the moves between them, declared once.

    received ─approve─▶ approved        (a coordinator; amount granted ≤ amount applied for)
    received ─reject──▶ rejected        (a coordinator; a reason is required)
    approved ─pay─────▶ partly paid     (a part paid; the total stays within the grant)
    approved, partly paid ─pay─▶ paid   (the total paid reaches the amount granted)
    approved, partly paid, paid ─close─▶ closed   (only once the follow-up report is in)

The follow-up report (what was done, outcome, costs) is not a state: it may come in while the
grant is approved, partly paid or paid, once, from the applicant's private link or registered
by staff, and it is a row on the timeline like every move.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.core.errors import TransitionNotAllowed
from soin.core.workflow import Move, Workflow
from soin.grants.models import Grant

S = Grant.State

FLOW = Workflow(
    [
        Move(
            "approve", gettext_lazy("Approve"), frozenset({S.RECEIVED}), S.APPROVED, "grants.decide"
        ),
        Move(
            "reject",
            gettext_lazy("Reject"),
            frozenset({S.RECEIVED}),
            S.REJECTED,
            "grants.decide",
            needs_reason=True,
        ),
        # Partly paid or paid, by the total paid.
        Move(
            "pay",
            gettext_lazy("Pay out"),
            frozenset({S.APPROVED, S.PARTLY_PAID}),
            "",
            "grants.change",
        ),
        Move(
            "close",
            gettext_lazy("Close"),
            frozenset({S.APPROVED, S.PARTLY_PAID, S.PAID}),
            S.CLOSED,
            "grants.decide",
        ),
    ],
    no_such=gettext_lazy("There is no such step for a grant."),
    wrong_state=gettext_lazy("A grant that is “%(state)s” cannot take the step “%(move)s”."),
    not_yours=gettext_lazy("You may not take the step “%(move)s” on this grant."),
)
MOVES = FLOW.moves
may = FLOW.may
ensure_allowed = FLOW.ensure_allowed

# The states in which a follow-up report may come in.
FOLLOWUP_STATES = frozenset({S.APPROVED, S.PARTLY_PAID, S.PAID})

# What the applicant reads about each state on their private page.
APPLICANT_STATE = {
    S.RECEIVED: gettext_lazy(
        "Your application has been received. The partnership will decide on it and write to you."
    ),
    S.APPROVED: gettext_lazy(
        "Your application has been approved. The grant is paid out in one or more parts."
    ),
    S.REJECTED: gettext_lazy("Your application has not been approved."),
    S.PARTLY_PAID: gettext_lazy("Your grant has been approved and partly paid out."),
    S.PAID: gettext_lazy("Your grant has been paid out in full."),
    S.CLOSED: gettext_lazy("The grant is closed. Thank you for your follow-up report."),
}


def ensure_followup_allowed(grant: Grant) -> None:
    if grant.has_followup:
        raise TransitionNotAllowed(
            _("The follow-up report has already been received."), code="followup"
        )
    if grant.state not in FOLLOWUP_STATES:
        raise TransitionNotAllowed(
            _("A follow-up report can be given once the grant has been approved."),
            code="state",
        )
