"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from soin.core.testing import COORDINATOR
from soin.grants import services
from soin.regions.models import Municipality

if TYPE_CHECKING:
    from soin.core.testing import World


def extend(w: World) -> None:
    """A received application from the web form (``grant``, with its private link's secret
    ``grant_token``) and an approved, partly paid grant registered by staff
    (``grant_approved``)."""
    coordinator = w.users[COORDINATOR]
    hallefors = Municipality.objects.get(region=w.partnership.region, name="Hällefors")
    grant, token = services.grant_submit(
        partnership=w.partnership,
        consent_text="Samtycke",
        language="sv",
        budget_lines=[("Virke och färg", 8000), ("Hyra av lokal", 4000)],
        association_name="Byalaget i Grythyttan",
        org_number="802412-3435",
        municipality=hallefors,
        contact_name="Sökande Person",
        contact_email="sokande@example.org",
        contact_phone="",
        title="Ny scen på bygdegården",
        purpose="En enkel scen för byns kulturkvällar.",
        amount_applied=10000,
        co_financing=2000,
    )
    approved = services.grant_register(
        partnership=w.partnership,
        actor=coordinator,
        channel="post",
        received_on=datetime.date(2017, 3, 6),
        language="en",
        budget_lines=[("Study circle leader", 6000), ("Material", 3000)],
        association_name="Föreningen Bygdens framtid",
        org_number="802437-7064",
        municipality=hallefors,
        contact_name="Annan Sökande",
        contact_email="annan@example.org",
        contact_phone="",
        title="Study circle on village development",
        purpose="Six evenings about what the village needs.",
        amount_applied=9000,
        co_financing=0,
    )
    approved = services.grant_approve(
        grant=approved,
        actor=coordinator,
        amount_granted=8000,
        decided_on=datetime.date(2017, 4, 3),
    )
    services.payment_add(
        grant=approved, actor=coordinator, paid_on=datetime.date(2017, 4, 10), amount=4000
    )
    approved.refresh_from_db()
    w.extra.update(grant=grant, grant_token=token, grant_approved=approved)


def extend_abroad(w: World, records: dict[str, Any]) -> None:
    """The other partnership's application from its web form (see
    ``soin.core.testing.abroad``)."""
    grant, token = services.grant_submit(
        partnership=w.other_partnership,
        consent_text="Samtycke",
        language="sv",
        budget_lines=[("Hyra", 3000)],
        association_name="Skogsföreningen i Värmland",
        org_number="802412-3435",
        municipality=Municipality.objects.filter(region=w.other_partnership.region).first(),
        contact_name="Värmländsk Sökande",
        contact_email="v-sokande@example.org",
        contact_phone="",
        title="Skogsdag",
        purpose="En dag i skogen.",
        amount_applied=3000,
        co_financing=0,
    )
    records.update(grant=grant, grant_approved=grant, grant_token=token)
