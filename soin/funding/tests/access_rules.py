"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

import datetime
from typing import Any

from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL, World
from soin.core.tests.access_rules import Rule, members, obj, p

ALL_STAFF = (CONTACT, COORDINATOR, ADVISOR, NATIONAL)
KEEPERS = (COORDINATOR, ADVISOR)
PROJECT_KEEPERS = (CONTACT, COORDINATOR, ADVISOR)


def move(name: str) -> Any:
    return lambda w: {
        "partnership": w.partnership.slug,
        "pk": w.funding_application.pk,
        "move": name,
    }


def result(w: World) -> dict[str, Any]:
    return {"noted_on": datetime.date(2026, 1, 15).isoformat(), "text": "Tio deltagare"}


RULES: list[Rule] = [
    Rule("staff:funding", members(*ALL_STAFF), p, sweep=True),
    # Calls.
    Rule("staff:funding_call_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:funding_call_create", members(*KEEPERS), p, sweep=True),
    Rule("staff:funding_call_export", members(*ALL_STAFF), p),
    Rule("staff:funding_call_ics", members(*ALL_STAFF), p),
    Rule(
        "staff:funding_call_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.funding_call),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_call_edit",
        members(*KEEPERS),
        obj(lambda w: w.funding_call),
        sweep=True,
        foreign=True,
    ),
    # Joint applications.
    Rule("staff:funding_application_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:funding_application_create", members(*KEEPERS), p, sweep=True),
    Rule(
        "staff:funding_application_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.funding_application),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_application_edit",
        members(*KEEPERS),
        obj(lambda w: w.funding_application),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_application_move",
        members(*KEEPERS),
        move("submit"),
        variant="submit",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_application_move",
        members(*KEEPERS),
        move("grant"),
        variant="grant",
        sweep=True,
    ),
    Rule(
        "staff:funding_application_move",
        members(*KEEPERS),
        move("reject"),
        variant="reject refused from planned",
        method="POST",
        data={"on": "2026-01-15"},
    ),
    # The shared project list.
    Rule("staff:funding_project_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:funding_project_create", members(*PROJECT_KEEPERS), p, sweep=True),
    Rule("staff:funding_project_export", members(*ALL_STAFF), p),
    Rule(
        "staff:funding_project_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.funding_project),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_project_edit",
        members(*PROJECT_KEEPERS),
        obj(lambda w: w.funding_project),
        variant="own organisation's",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:funding_project_edit",
        members(*KEEPERS),
        obj(lambda w: w.funding_other_project),
        variant="another organisation's",
        foreign=True,
    ),
    Rule(
        "staff:funding_project_result_add",
        members(*PROJECT_KEEPERS),
        obj(lambda w: w.funding_project),
        method="POST",
        data=result,
        variant="own organisation's",
        foreign=True,
    ),
    Rule(
        "staff:funding_project_result_add",
        members(*KEEPERS),
        obj(lambda w: w.funding_other_project),
        method="POST",
        data=result,
        variant="another organisation's",
        foreign=True,
    ),
    Rule(
        "staff:funding_project_meeting_link",
        members(*PROJECT_KEEPERS),
        obj(lambda w: w.funding_project),
        method="POST",
        data=lambda w: {"meeting": w.activity.pk},
        variant="own organisation's",
        foreign=True,
    ),
    Rule(
        "staff:funding_project_meeting_link",
        members(*KEEPERS),
        obj(lambda w: w.funding_other_project),
        method="POST",
        data=lambda w: {"meeting": w.activity.pk},
        variant="another organisation's",
        foreign=True,
    ),
]
