"""Demo data for funding: a few calls of real programmes (invented titles and dates), the
joint application grown from the idea "Maker Space", and the two projects seed 003 §6 says
partners ran through the partnership in 2017: Coompanion's FRAMSTEG (Regional Fund) and
Region Örebro län's RaiSE (Interreg)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from soin.accounts.models import User
from soin.funding import services
from soin.funding.models import Application, FundingCall, Project
from soin.ideas.models import Challenge, Idea
from soin.regions.models import Partnership

D = datetime.date

# (title, funder, programme, days from today to opening, to closing, themes, challenge keys,
# interested partners)
CALLS: list[tuple[str, str, str, int, int, str, list[str], list[str]]] = [
    (
        "Social innovation och social ekonomi i Östra Mellansverige",
        "Tillväxtverket",
        "erdf",
        -30,
        21,
        "Sociala företag, samverkan mellan sektorer, nya tjänster i landsbygd",
        ["inclusive-societies", "climate"],
        ["Coompanion", "Region Örebro län"],
    ),
    (
        "Vägar till arbete för unga utanför arbetsmarknaden",
        "Svenska ESF-rådet",
        "esf_plus",
        -10,
        75,
        "Unga som varken arbetar eller studerar, arbetsintegrerande sociala företag",
        ["inclusive-societies", "health"],
        ["Arbetsförmedlingen", "Finsam Sydnärke"],
    ),
    (
        "Återbruk och delningsekonomi i föreningslivet",
        "Allmänna arvsfonden",
        "arvsfonden",
        -60,
        -5,
        "Återbruk, delning, barn och unga, föreningsliv",
        ["climate"],
        ["Studieförbundet Bilda"],
    ),
    (
        "Innovationer för ett hållbart samhälle",
        "Vinnova",
        "vinnova",
        14,
        120,
        "Samhällsutmaningar, offentlig sektor, civilsamhälle",
        ["climate", "health"],
        [],
    ),
]

FRAMSTEG = "FRAMSTEG"
RAISE = "RaiSE"
MAKER_SPACE_APPLICATION = "Maker Space Kumla – verkstad för återbruk"


def _orgs(partnership: Partnership, names: list[str]) -> list[Any]:
    found = {o.name: o for o in partnership.organisations.filter(name__in=names)}
    return [found[n] for n in names if n in found]


def seed(*, partnership: Partnership, actor: User) -> dict[str, Any]:
    """Create the demo calls, the application and the projects that are missing."""
    today = timezone.localdate()
    challenges = {c.key: c for c in Challenge.objects.filter(partnership__isnull=True)}
    existing = set(
        FundingCall.objects.filter(partnership=partnership).values_list("title", flat=True)
    )
    calls: dict[str, FundingCall] = {}
    for title, funder, programme, opens, closes, themes, keys, interested in CALLS:
        if title in existing:
            continue
        calls[title] = services.call_create(
            partnership=partnership,
            actor=actor,
            title=title,
            funder=funder,
            programme=programme,
            url="https://example.org/utlysningar",
            opens_on=today + datetime.timedelta(days=opens),
            closes_on=today + datetime.timedelta(days=closes),
            themes=themes,
            watcher=actor,
            challenges=[challenges[k] for k in keys if k in challenges],
            interested=_orgs(partnership, interested),
        )
    projects = set(Project.objects.filter(partnership=partnership).values_list("name", flat=True))
    orgs = {o.name: o for o in partnership.organisations.all()}
    if FRAMSTEG not in projects and "Coompanion" in orgs:
        framsteg = services.project_create(
            partnership=partnership,
            actor=actor,
            name=FRAMSTEG,
            starts_on=D(2016, 9, 1),
            ends_on=D(2018, 12, 31),
            lead=orgs["Coompanion"],
            partners=_orgs(partnership, ["Region Örebro län", "Stiftelsen Cesam"]),
            funder="Tillväxtverket",
            programme="erdf",
            description=(
                "Regionalfondsprojekt för att stärka sociala företag och kooperativ i länet. "
                "Coompanion genomförde delar av projektet genom Partnerskapet."
            ),
        )
        services.project_result_add(
            project=framsteg,
            actor=actor,
            noted_on=D(2017, 12, 15),
            text="Projektet presenterades på två partnerskapsmöten under 2017.",
        )
    if RAISE not in projects and "Region Örebro län" in orgs:
        raise_project = services.project_create(
            partnership=partnership,
            actor=actor,
            name=RAISE,
            starts_on=D(2017, 1, 1),
            ends_on=D(2020, 12, 31),
            lead=orgs["Region Örebro län"],
            partners=_orgs(partnership, ["Coompanion"]),
            funder="Interreg Europe",
            programme="interreg",
            description=(
                "Interreg-projekt för att stärka konkurrenskraften hos sociala företag. Flera "
                "representanter från Partnerskapet deltog i projektmöten i andra länder."
            ),
        )
        services.project_result_add(
            project=raise_project,
            actor=actor,
            noted_on=D(2017, 11, 30),
            text="Representanter från Partnerskapet deltog i projektmöten i andra länder.",
        )
    created_application = 0
    if not Application.objects.filter(
        partnership=partnership, title=MAKER_SPACE_APPLICATION
    ).exists():
        idea = Idea.objects.filter(partnership=partnership, title="Maker Space").first()
        call = FundingCall.objects.filter(partnership=partnership, programme="arvsfonden").first()
        lead = orgs.get("Kumla kommun")
        if lead is not None:
            application = services.application_create(
                partnership=partnership,
                actor=actor,
                title=MAKER_SPACE_APPLICATION,
                call=call,
                lead=lead,
                partners=_orgs(partnership, ["Studieförbundet Bilda", "Coompanion"]),
                budget=Decimal("1200000"),
                applied=Decimal("840000"),
                description="En verkstad där alla kan laga, bygga och återbruka tillsammans.",
                ideas=[idea] if idea else [],
                co_financing=[
                    {"organisation": lead, "amount": Decimal("240000"), "kind": "cash"},
                    *[
                        {"organisation": o, "amount": Decimal("120000"), "kind": "in_kind"}
                        for o in _orgs(partnership, ["Studieförbundet Bilda"])
                    ],
                ],
            )
            if application.applied + application.co_financing_total == application.budget:
                services.application_move(
                    application=application,
                    actor=actor,
                    move="submit",
                    on=min(today, (call.closes_on if call else today)),
                    note="Inskickad före sista ansökningsdag.",
                )
            created_application = 1
    return {
        "funding_calls_created": len(calls),
        "funding_applications_created": created_application,
        "funding_projects": Project.objects.filter(partnership=partnership).count(),
    }
