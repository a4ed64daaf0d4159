"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from soin.activities import services as activity_services
from soin.activities.demo import at
from soin.plans import services

if TYPE_CHECKING:
    from soin.core.testing import World

D = datetime.date


def extend(w: World) -> None:
    """An adopted plan for 2020–2022 with one area and three items (the partner contact's
    organisation's, another partner's, and one with a responsible in words), a plenary
    meeting in 2021 with a report presented at it, and a draft plan."""
    coordinator = w.users["coordinator"]
    p = w.partnership
    plan = services.plan_create(
        partnership=p,
        actor=coordinator,
        title_sv="Verksamhetsplan 2020–2022",
        title_en="Activity plan 2020–2022",
        first_year=2020,
        last_year=2022,
    )
    area = services.area_create(
        plan=plan, actor=coordinator, title_sv="Mötesplatser", title_en="Meeting places"
    )
    own = services.item_create(
        area=area,
        actor=coordinator,
        title_sv="Lokala mötesplatser",
        title_en="Local meeting places",
        goal_sv="Tre mötesplatser om året.",
        responsible=[w.own_org],
    )
    other = services.item_create(
        area=area,
        actor=coordinator,
        title_sv="Rådgivning till kooperativ",
        title_en="Advice to cooperatives",
        responsible=[w.other_org],
    )
    board = services.item_create(
        area=area,
        actor=coordinator,
        title_sv="Fler medlemmar",
        title_en="More members",
        responsible_text="Styrelsen",
    )
    plan = services.plan_move(plan=plan, actor=coordinator, move="adopt", adopted_on=D(2020, 2, 4))
    meeting = activity_services.activity_create(
        partnership=p,
        actor=coordinator,
        kind="plenary",
        title_sv="Stormöte i Nora",
        title_en="Plenary meeting in Nora",
        starts_at=at(D(2021, 3, 10), 13),
        ends_at=at(D(2021, 3, 10), 16),
        is_public=False,
    )
    followup = services.followup_create(
        item=own,
        actor=w.users["partner_contact"],
        status="on_track",
        text="Två mötesplatser har hållits i Hällefors.",
        meeting=meeting,
    )
    draft = services.plan_create(
        partnership=p,
        actor=coordinator,
        title_sv="Verksamhetsplan 2023–2025",
        first_year=2023,
        last_year=2025,
    )
    w.extra.update(
        plan=plan,
        plan_area=area,
        plan_item_own=own,
        plan_item_other=other,
        plan_item_board=board,
        plan_meeting=meeting,
        plan_followup=followup,
        plan_draft=draft,
    )


def extend_abroad(w: World, records: dict[str, Any]) -> None:
    """The other partnership's plan with an area and an item of its organisation's (see
    ``soin.core.testing.abroad``)."""
    coordinator = w.users["other_coordinator"]
    plan = services.plan_create(
        partnership=w.other_partnership,
        actor=coordinator,
        title_sv="Värmlands plan",
        first_year=2020,
        last_year=2022,
    )
    area = services.area_create(plan=plan, actor=coordinator, title_sv="Skogen")
    item = services.item_create(
        area=area, actor=coordinator, title_sv="Skogsbad", responsible=[records["own_org"]]
    )
    records.update(
        plan=plan,
        plan_draft=plan,
        plan_area=area,
        plan_meeting=records["meeting"],
        **dict.fromkeys(("plan_item_own", "plan_item_other", "plan_item_board"), item),
    )
