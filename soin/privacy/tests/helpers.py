"""What the personal-data tests share: a person known to the partnership in every way."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from soin.core.testing import COORDINATOR, World

PERSON = "Person.Kand@example.org"


def person_everywhere(world: World, email: str = PERSON, *, grant: bool = True) -> None:
    """Make ``email`` the carrier of an idea (with a contact-log entry and a file), a
    registrant, a subscriber, a grant applicant (unless not ``grant``) and a partner's
    contact person."""
    from soin.activities import services as activity_services
    from soin.ideas import services as idea_services
    from soin.newsletter import services as newsletter_services
    from soin.partners import services as partner_services

    coordinator = world.users[COORDINATOR]
    idea, _token = idea_services.idea_submit(
        partnership=world.partnership,
        consent_text="Samtycke till idén",
        title="Bygdens matkasse",
        description="Mat från gårdarna till dem som inte kan handla.",
        carrier_category="private",
        carrier_name="Kända Personen",
        carrier_email=email,
    )
    idea = idea_services.idea_move(idea=idea, actor=coordinator, move="register")
    idea = idea_services.idea_move(idea=idea, actor=coordinator, move="take")
    idea_services.carrier_contact_add(
        idea=idea,
        actor=coordinator,
        happened_on=timezone.localdate() - datetime.timedelta(days=1),
        means="phone",
        summary="Ringde om gårdarna i Ljusnarsberg.",
    )
    idea_services.attachment_add(
        idea=idea,
        actor=coordinator,
        upload=SimpleUploadedFile("gardar.txt", "Lista över gårdar".encode()),
    )
    activity_services.registration_create(
        activity=world.activity,
        name="Kända Personen",
        email=email,
        consent_text="Samtycke till anmälan",
        dietary_needs="Vegetarisk",
    )
    newsletter_services.subscriber_subscribe(
        partnership=world.partnership,
        email=email,
        consent_text="Samtycke till nyhetsbrevet",
        source="test",
        name="Kända Personen",
    )
    if grant:
        _apply(world, email)
    partner_services.contact_create(
        organisation=world.own_org,
        actor=None,
        name="Kända Personen",
        email=email,
        is_public=False,
    )


def _apply(world: World, email: str) -> None:
    from soin.grants import services as grant_services
    from soin.regions.models import Municipality

    grant_services.grant_submit(
        partnership=world.partnership,
        consent_text="Information om ansökan",
        language="sv",
        budget_lines=[("Material", 3000)],
        association_name="Matföreningen",
        org_number="802455-6576",
        municipality=Municipality.objects.get(region=world.partnership.region, name="Nora"),
        contact_name="Kända Personen",
        contact_email=email,
        contact_phone="070-111 22 33",
        title="Matkassar i byn",
        purpose="Matkassar till äldre.",
        amount_applied=3000,
        co_financing=0,
    )


def read_zip(content: bytes) -> dict[str, Any]:
    """Return the ZIP's files: README.txt as text, JSON parsed, CSV as lists of rows."""
    files: dict[str, Any] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            if name.endswith(".json"):
                files[name] = json.loads(raw)
            elif name.endswith(".csv"):
                text = raw.decode("utf-8")
                assert text.startswith("\ufeff")
                files[name] = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
            else:
                files[name] = raw.decode("utf-8")
    return files
