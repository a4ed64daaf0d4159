"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from soin.ideas.models import Challenge

if TYPE_CHECKING:
    from soin.core.testing import World


def extend(w: World) -> None:
    """Add a watched call, a planned joint application with co-financing, a project led by the
    partner contact's organisation and one led by another partner."""
    from soin.funding import services

    coordinator = w.users["coordinator"]
    today = timezone.localdate()
    climate = Challenge.objects.get(partnership__isnull=True, key="climate")
    call = services.call_create(
        partnership=w.partnership,
        actor=coordinator,
        funder="Tillväxtverket",
        programme="erdf",
        title="Regionalfonden: social innovation på landsbygden",
        url="https://example.org/utlysning",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=60),
        themes="Social ekonomi, landsbygd",
        watcher=coordinator,
        challenges=[climate, w.regional_challenge],
        interested=[w.other_org],
    )
    application = services.application_create(
        partnership=w.partnership,
        actor=coordinator,
        title="Gemensam ansökan om lånecyklar",
        call=call,
        lead=w.other_org,
        partners=[w.own_org],
        budget=Decimal("1000000"),
        applied=Decimal("600000"),
        ideas=[w.idea],
        co_financing=[
            {"organisation": w.own_org, "amount": Decimal("250000"), "kind": "cash"},
            {"organisation": w.other_org, "amount": Decimal("150000"), "kind": "in_kind"},
        ],
    )
    own_project = services.project_create(
        partnership=w.partnership,
        actor=coordinator,
        name="Hällefors bygdeprojekt",
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=300),
        lead=w.own_org,
        partners=[w.other_org],
        funder="Jordbruksverket",
        programme="leader",
    )
    other_project = services.project_create(
        partnership=w.partnership,
        actor=coordinator,
        name="Kooperativ utveckling",
        starts_on=today - datetime.timedelta(days=50),
        ends_on=today + datetime.timedelta(days=500),
        lead=w.other_org,
        programme="esf_plus",
    )
    w.extra.update(
        {
            "funding_call": call,
            "funding_application": application,
            "funding_project": own_project,
            "funding_other_project": other_project,
        }
    )


def extend_abroad(w: World, records: dict[str, Any]) -> None:
    """The other partnership's call, joint application and project (see
    ``soin.core.testing.abroad``)."""
    from soin.funding import services

    coordinator = w.users["other_coordinator"]
    org = records["own_org"]
    today = timezone.localdate()
    call = services.call_create(
        partnership=w.other_partnership,
        actor=coordinator,
        funder="Region Värmland",
        programme="erdf",
        title="Skogens sociala värden",
        closes_on=today + datetime.timedelta(days=60),
    )
    application = services.application_create(
        partnership=w.other_partnership,
        actor=coordinator,
        title="Ansökan om skogsbad",
        call=call,
        lead=org,
        budget=Decimal("100000"),
        applied=Decimal("50000"),
    )
    project = services.project_create(
        partnership=w.other_partnership,
        actor=coordinator,
        name="Värmländskt skogsprojekt",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=100),
        lead=org,
    )
    records.update(
        funding_call=call,
        funding_application=application,
        funding_project=project,
        funding_other_project=project,
    )
