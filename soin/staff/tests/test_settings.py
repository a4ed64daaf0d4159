from __future__ import annotations

from django.test import Client
from django.urls import reverse

from soin.audit.models import AuditEntry
from soin.core.testing import COORDINATOR, login


def test_a_coordinator_writes_the_about_text_shown_on_the_public_site(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[COORDINATOR])
    url = reverse("staff:partnership_settings", kwargs={"partnership": "orebro"})
    response = client.post(
        url,
        {
            "name_sv": "Partnerskapet",
            "name_en": "The Partnership",
            "about_sv": "Vi stöttar idéer.",
            "about_en": "We support ideas.",
            "contact_email": "info@example.org",
            "idea_stale_days": 14,
            "fte_hours": "1650",
        },
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.fte_hours == 1650
    assert "Vi stöttar idéer." in Client().get("/sv/orebro/").content.decode()
    assert "We support ideas." in Client().get("/en/orebro/about/").content.decode()
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.actor == world.users[COORDINATOR]


def test_a_bad_address_is_refused_and_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[COORDINATOR])
    url = reverse("staff:partnership_settings", kwargs={"partnership": "orebro"})
    page = client.post(url, {"name_sv": "", "name_en": "x", "contact_email": "nej"})
    text = page.content.decode()
    assert "Detta fält måste fyllas i." in text
    assert "Fyll i en giltig e-postadress." in text
    world.partnership.refresh_from_db()
    assert world.partnership.name_sv == "Partnerskapet Örebro län"
    assert not AuditEntry.objects.filter(action="partnership.update").exists()
