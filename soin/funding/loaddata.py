"""Generated funding: calls watched each year, applications to them with co-financing from
the partners (some granted, each granted one a project with results), and their timelines."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from soin.funding.models import (
    Application,
    ApplicationEvent,
    CoFinancing,
    FundingCall,
    Project,
    ProjectResult,
)

FUNDERS = [
    ("esf_plus", "Svenska ESF-rådet"),
    ("erdf", "Tillväxtverket"),
    ("vinnova", "Vinnova"),
    ("arvsfonden", "Allmänna arvsfonden"),
    ("leader", "Leader"),
    ("interreg", "Interreg Sverige–Norge"),
]


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    calls = []
    for year in load.years:
        for _n in range(scale.calls_per_year):
            programme, funder = rng.choice(FUNDERS)
            opens = load.day(year)
            calls.append(
                FundingCall(
                    partnership=p,
                    funder=funder,
                    programme=programme,
                    title=f"Utlysning: {load.text.title(p.region.name_sv)[0]}",
                    url="https://example.org/utlysning",
                    opens_on=opens,
                    closes_on=opens + datetime.timedelta(days=60),
                    themes="social innovation, inkludering",
                    watcher=load.pick(load.staff),
                    created_by=load.pick(load.staff),
                    created_at=load.moment(opens),
                    updated_at=load.moment(opens),
                )
            )
    calls = load.bulk(FundingCall, calls)
    applications = []
    for i, call in enumerate(calls):
        status = ["granted", "rejected", "submitted", "planned"][i % 4]
        budget = Decimal(rng.randrange(200, 5_000) * 1_000)
        applications.append(
            Application(
                partnership=p,
                title=call.title.replace("Utlysning: ", ""),
                call=call,
                funder=call.funder,
                programme=call.programme,
                lead=load.pick(load.organisations),
                budget=budget,
                applied=budget * Decimal("0.6"),
                description=load.text.paragraph(p.region.name_sv, 3)[0],
                status=status,
                submitted_on=call.closes_on if status != "planned" else None,
                decided_on=call.closes_on + datetime.timedelta(days=90)
                if status in ("granted", "rejected")
                else None,
                created_by=call.created_by,
                created_at=call.created_at,
                updated_at=call.created_at,
            )
        )
    applications = load.bulk(Application, applications)
    load.bulk(
        CoFinancing,
        (
            CoFinancing(
                application=a,
                organisation=load.pick(load.organisations),
                amount=a.budget / 10,
                kind=kind,
            )
            for a in applications
            for kind in ("cash", "in_kind")
        ),
    )
    load.bulk(
        ApplicationEvent,
        (
            ApplicationEvent(
                application=a, kind="created", to_state="planned", created_at=a.created_at
            )
            for a in applications
        ),
    )
    projects = load.bulk(
        Project,
        (
            Project(
                partnership=p,
                name=a.title,
                starts_on=a.decided_on,
                ends_on=a.decided_on + datetime.timedelta(days=730),
                lead=a.lead,
                funder=a.funder,
                programme=a.programme,
                budget=a.budget,
                description=a.description,
                application=a,
                created_by=a.created_by,
                created_at=load.moment(a.decided_on),
                updated_at=load.moment(a.decided_on),
            )
            for a in applications
            if a.status == "granted"
        ),
    )
    load.projects = projects
    load.bulk(
        ProjectResult,
        (
            ProjectResult(
                project=pr,
                noted_on=pr.starts_on + datetime.timedelta(days=180),
                text="Fyrtio deltagare har gått utbildningen och tolv har fått arbete.",
                created_at=load.moment(pr.starts_on + datetime.timedelta(days=180)),
            )
            for pr in projects
        ),
    )
