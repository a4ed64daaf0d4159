"""Generated activity plans: one for every three years, with areas, items and their
follow-ups at the plenary meetings."""

from __future__ import annotations

import datetime
from typing import Any

from soin.plans.models import Area, FollowUp, Item, Plan, PlanEvent

AREAS = [
    ("Idéer och rådgivning", "Ideas and advice"),
    ("Kunskap och spridning", "Knowledge and dissemination"),
    ("Samverkan och finansiering", "Co-operation and funding"),
]


def generate(load: Any) -> None:
    p, rng = load.partnership, load.rng
    years = list(load.years)
    plans = load.bulk(
        Plan,
        (
            Plan(
                partnership=p,
                title_sv=f"Verksamhetsplan {y}–{min(y + 2, years[-1])}",
                title_en=f"Activity plan {y}–{min(y + 2, years[-1])}",
                first_year=y,
                last_year=min(y + 2, years[-1]),
                adopted_on=datetime.date(y, 2, 1),
                state="closed" if y + 2 < years[-1] else "adopted",
                created_by=load.pick(load.staff),
                created_at=load.moment(datetime.date(y - 1, 11, 1)),
                updated_at=load.moment(datetime.date(y, 2, 1)),
            )
            for y in years[::3]
        ),
    )
    load.bulk(
        PlanEvent,
        (
            PlanEvent(plan=plan, kind=kind, to_state=to, created_at=plan.created_at)
            for plan in plans
            for kind, to in (("created", "draft"), ("moved", "adopted"))
        ),
    )
    areas = load.bulk(
        Area,
        (
            Area(plan=plan, position=n + 1, title_sv=sv, title_en=en)
            for plan in plans
            for n, (sv, en) in enumerate(AREAS)
        ),
    )
    items = load.bulk(
        Item,
        (
            Item(
                area=area,
                position=n + 1,
                title_sv=load.text.title(p.region.name_sv)[0],
                description_sv=load.text.paragraph(p.region.name_sv, 2)[0],
                goal_sv="Minst tio nya idéer ska ha fått rådgivning.",
                responsible_text="Samordnaren",
            )
            for area in areas
            for n in range(4)
        ),
    )
    plenaries = [a for a in load.activities if a.kind == "plenary"]
    statuses = ["on_track", "done", "delayed", "not_started"]
    load.bulk(
        FollowUp,
        (
            FollowUp(
                item=item,
                status=rng.choice(statuses),
                text="Arbetet går enligt plan.",
                reported_on=datetime.date(item.area.plan.first_year, 11, 30),
                meeting=plenaries[i % len(plenaries)] if plenaries else None,
                reported_by=load.pick(load.staff),
                created_at=load.moment(datetime.date(item.area.plan.first_year, 11, 30)),
            )
            for i, item in enumerate(items)
        ),
    )
