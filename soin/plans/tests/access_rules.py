"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL
from soin.core.tests.access_rules import Rule, members, obj, p

STAFF = (CONTACT, COORDINATOR, ADVISOR, NATIONAL)
REPORTERS = (CONTACT, COORDINATOR, ADVISOR)

RULES: list[Rule] = [
    Rule("staff:plan", members(*STAFF), p, sweep=True),
    Rule("staff:plan_create", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:plan_create",
        members(COORDINATOR),
        p,
        method="POST",
        variant="start a plan",
        data={"title_sv": "Verksamhetsplan 2030", "first_year": "2030", "last_year": "2030"},
    ),
    Rule("staff:plan_detail", members(*STAFF), obj(lambda w: w.plan), sweep=True, foreign=True),
    Rule(
        "staff:plan_detail",
        members(*STAFF),
        obj(lambda w: w.plan_draft),
        variant="draft",
        sweep=True,
    ),
    Rule("staff:plan_edit", members(COORDINATOR), obj(lambda w: w.plan), sweep=True, foreign=True),
    Rule(
        "staff:plan_move",
        members(COORDINATOR),
        obj(lambda w: w.plan),
        method="POST",
        data={"move": "close"},
        foreign=True,
    ),
    Rule(
        "staff:plan_area_create",
        members(COORDINATOR),
        obj(lambda w: w.plan),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:plan_area_edit",
        members(COORDINATOR),
        obj(lambda w: w.plan_area),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:plan_item_create",
        members(COORDINATOR),
        obj(lambda w: w.plan_area),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:plan_item",
        members(*STAFF),
        obj(lambda w: w.plan_item_own),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:plan_item_edit",
        members(COORDINATOR),
        obj(lambda w: w.plan_item_own),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:plan_followup_create",
        members(*REPORTERS),
        obj(lambda w: w.plan_item_own),
        sweep=True,
        foreign=True,
    ),
    # Another partner's item: its partner contact is not the world's.
    Rule(
        "staff:plan_followup_create",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.plan_item_other),
        variant="another partner's item",
    ),
    Rule(
        "staff:plan_followup_create",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.plan_item_board),
        variant="a responsible in words",
    ),
    Rule(
        "staff:plan_followup_create",
        members(*REPORTERS),
        obj(lambda w: w.plan_item_own),
        method="POST",
        variant="report",
        data={"status": "done", "text": "Klart."},
    ),
    Rule(
        "staff:plan_meeting",
        members(*STAFF),
        obj(lambda w: w.plan_meeting),
        sweep=True,
        foreign=True,
    ),
    # A meeting that is not a plenary meeting has no follow-up.
    Rule(
        "staff:plan_meeting",
        members(),
        obj(lambda w: w.meeting),
        variant="not a plenary meeting",
    ),
    Rule(
        "staff:plan_meeting_file",
        members(*STAFF),
        lambda w: {"partnership": w.partnership.slug, "pk": w.plan_meeting.pk, "fmt": "pdf"},
        foreign=True,
    ),
    Rule(
        "staff:plan_meeting_file",
        members(*STAFF),
        lambda w: {"partnership": w.partnership.slug, "pk": w.plan_meeting.pk, "fmt": "docx"},
        variant="docx",
    ),
]
