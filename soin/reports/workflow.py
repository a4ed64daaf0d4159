"""The states of a yearly report and the moves between them, declared once.

    draft ─publish─▶ published      (the figures are frozen as they stand)
    published ─reopen─▶ draft       (a reason is required; the frozen figures are let go)

Coordinators write the narrative and publish; a published report cannot be edited, so that
what members and funders read stays what was published.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.core.errors import TransitionNotAllowed
from soin.core.workflow import Move, Workflow
from soin.reports.models import YearlyReport

S = YearlyReport.State

FLOW = Workflow(
    [
        Move(
            "publish", gettext_lazy("Publish"), frozenset({S.DRAFT}), S.PUBLISHED, "reports.publish"
        ),
        Move(
            "reopen",
            gettext_lazy("Reopen for changes"),
            frozenset({S.PUBLISHED}),
            S.DRAFT,
            "reports.publish",
            needs_reason=True,
        ),
    ],
    no_such=gettext_lazy("There is no such step for a report."),
    wrong_state=gettext_lazy("A report that is “%(state)s” cannot take the step “%(move)s”."),
    not_yours=gettext_lazy("You may not take the step “%(move)s” on this report."),
)
MOVES = FLOW.moves
available_moves = FLOW.available
ensure_allowed = FLOW.ensure_allowed


def ensure_editable(report: YearlyReport) -> None:
    if report.state != S.DRAFT:
        raise TransitionNotAllowed(
            _("Reopen the report before changing it: it has been published."), code="state"
        )
