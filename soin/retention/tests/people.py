"""One person known to a partnership in every way at once, and scans of every table for them."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from soin.activities import services as activity_services
from soin.activities.models import Registration
from soin.audit.models import AuditEntry
from soin.core.testing import COORDINATOR, World
from soin.grants import services as grant_services
from soin.grants.models import Grant
from soin.ideas import services as idea_services
from soin.ideas.models import Idea
from soin.knowledge import services as knowledge_services
from soin.knowledge.models import Entry
from soin.newsletter.models import FriendTip, Subscriber
from soin.partners import services as partner_services
from soin.partners.models import ContactPerson
from soin.regions.models import Municipality, Partnership

ADDRESS = "Maria.Lind@Exempel.se"
NAME = "Maria Lind"
PHONE = "070-123 45 67"
IDEA_TEXT = "Ett kafé där äldre lär unga att laga mat, varje torsdag i bygdegården."


@dataclass
class Person:
    idea: Idea
    entry: Entry
    registration: Registration
    subscriber: Subscriber
    grant: Grant
    contact: ContactPerson
    other_idea: Idea
    other_subscriber: Subscriber


def make_person(w: World) -> Person:
    """Maria Lind is a carrier (with a contact log that names her), a registrant, a
    subscriber, a rejected grant's contact and a partner's contact person in the first
    partnership; the second partnership holds her as a carrier and a subscriber too."""
    p, q = w.partnership, w.other_partnership
    coordinator = w.users[COORDINATOR]
    idea, _token = idea_services.idea_submit(
        partnership=p,
        consent_text="Samtycke",
        title="Matkafé mellan generationer",
        description=IDEA_TEXT + f" Ring {NAME} om du vill veta mer.",
        carrier_category="private",
        carrier_name=NAME,
        carrier_email=ADDRESS,
        carrier_phone=PHONE,
    )
    for move in ("register", "take"):
        idea = idea_services.idea_move(idea=idea, actor=coordinator, move=move)
    idea_services.carrier_contact_add(
        idea=idea,
        actor=coordinator,
        happened_on=datetime.date.today(),
        means="phone",
        summary=f"Pratade med {NAME} på {PHONE}; hon skickar en budget till {ADDRESS.lower()}.",
    )
    # The idea is in the knowledge bank, where she agreed to be named; a meeting's minutes
    # name her; a friend tipped her about the newsletter.
    entry = knowledge_services.entry_create(partnership=p, actor=coordinator, idea=idea)
    entry = knowledge_services.entry_record_consent(
        entry=entry, actor=coordinator, note="Per telefon", carrier_name=NAME
    )
    activity_services.activity_minutes_update(
        activity=w.meeting, actor=coordinator, agenda="", minutes=f"{NAME} berättade om kaféet."
    )
    FriendTip.objects.create(
        partnership=p, email_hash="0" * 64, email=ADDRESS.lower(), sender_name="En vän"
    )
    registration, _token = activity_services.registration_create(
        activity=w.activity,
        name=NAME,
        email=ADDRESS.lower(),
        consent_text="Samtycke",
        dietary_needs="Vegetarisk",
    )
    subscriber = Subscriber.objects.create(
        partnership=p, email=ADDRESS.lower(), name=NAME, state="active", nonce="n" * 32
    )
    grant = grant_services.grant_register(
        partnership=p,
        actor=coordinator,
        channel="email",
        received_on=datetime.date(2017, 2, 1),
        language="sv",
        budget_lines=[("Lokalhyra", 5000)],
        association_name="Föreningen Matglädje",
        org_number="802412-3435",
        municipality=Municipality.objects.get(region=p.region, name="Hällefors"),
        contact_name=NAME,
        contact_email=ADDRESS,
        contact_phone=PHONE,
        title="Matkurser",
        purpose="Kurser i matlagning för unga.",
        amount_applied=5000,
        co_financing=0,
    )
    grant = grant_services.grant_reject(
        grant=grant, actor=coordinator, reason="Budgeten räcker inte."
    )
    contact = partner_services.contact_create(
        organisation=w.own_org, actor=coordinator, name=NAME, email=ADDRESS, phone=PHONE
    )
    other_idea, _token = idea_services.idea_submit(
        partnership=q,
        consent_text="Samtycke",
        title="Skogsbad",
        description="Promenader i skogen för stressade.",
        carrier_category="private",
        carrier_name=NAME,
        carrier_email=ADDRESS,
        carrier_phone=PHONE,
    )
    other_subscriber = Subscriber.objects.create(
        partnership=q, email=ADDRESS.lower(), name=NAME, state="active", nonce="m" * 32
    )
    return Person(
        idea, entry, registration, subscriber, grant, contact, other_idea, other_subscriber
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return ""


def rows_mentioning(partnership: Partnership, *needles: str) -> list[str]:
    """Return ``model pk field`` for every text, character or JSON value in a row of
    ``partnership`` (its audit entries included) that holds any of ``needles``, any case."""
    needles_lower = [n.lower() for n in needles]
    found = []
    tables: list[tuple[str, Any]] = [
        ("audit.auditentry", AuditEntry.objects.filter(partnership=partnership))
    ]
    for model in apps.get_models():
        if model.__module__.startswith("soin.") and hasattr(model, "PARTNERSHIP_PATH"):
            tables.append(
                (
                    model._meta.label_lower,
                    model._default_manager.filter(**{model.PARTNERSHIP_PATH: partnership}),
                )
            )
    for label, queryset in tables:
        for row in queryset.values():
            for name, value in row.items():
                text = _text(value).lower()
                if any(n in text for n in needles_lower):
                    found.append(f"{label} {row.get('id')} {name}")
    return found
