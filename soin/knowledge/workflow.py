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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.core.errors import TransitionNotAllowed
from soin.core.workflow import Move, Workflow
from soin.knowledge.models import Entry

S = Entry.State

IMPORTED = gettext_lazy("This entry is kept by the installation it was imported from.")

FLOW = Workflow(
    [
        Move(
            "submit",
            gettext_lazy("Send for review"),
            frozenset({S.DRAFT}),
            S.IN_REVIEW,
            "bank.change",
        ),
        Move(
            "return",
            gettext_lazy("Return to the writer"),
            frozenset({S.IN_REVIEW}),
            S.DRAFT,
            "bank.publish",
            needs_reason=True,
        ),
        Move(
            "publish",
            gettext_lazy("Publish"),
            frozenset({S.IN_REVIEW}),
            S.PUBLISHED,
            "bank.publish",
        ),
        Move(
            "archive",
            gettext_lazy("Archive"),
            frozenset({S.PUBLISHED}),
            S.ARCHIVED,
            "bank.publish",
        ),
        Move(
            "republish",
            gettext_lazy("Publish again"),
            frozenset({S.ARCHIVED}),
            S.PUBLISHED,
            "bank.publish",
        ),
        Move(
            "unpublish",
            gettext_lazy("Take back to draft"),
            frozenset({S.PUBLISHED, S.ARCHIVED}),
            S.DRAFT,
            "bank.publish",
            needs_reason=True,
        ),
    ],
    no_such=gettext_lazy("There is no such step for an entry."),
    wrong_state=gettext_lazy("An entry that is “%(state)s” cannot take the step “%(move)s”."),
    not_yours=gettext_lazy("You may not take the step “%(move)s” on this entry."),
    # An imported entry is kept by the installation it came from: here it is only reviewed
    # (published, returned, archived), never written, so one taken back to draft waits for
    # its next version from there.
    blocked=lambda entry: IMPORTED if entry.origin and entry.state == S.DRAFT else None,
)
MOVES = FLOW.moves
# The steps that approve what the entry says: taken on the version the person saw.
APPROVING = frozenset({"publish", "republish"})
available_moves = FLOW.available
ensure_allowed = FLOW.ensure_allowed

# States in which the entry can be edited; a published entry is taken back to draft first,
# so that what readers see has always been reviewed.
EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW})


def ensure_editable(entry: Entry) -> None:
    if entry.origin:
        raise TransitionNotAllowed(str(IMPORTED), code="origin")
    if entry.state not in EDITABLE:
        raise TransitionNotAllowed(
            _("Take the entry back to draft before changing it."), code="state"
        )
