"""Erasure of a person on their request: what goes, what stays, and what is recorded."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from soin.activities.models import Registration
from soin.audit.models import AuditEntry
from soin.core.testing import COORDINATOR, make_organisation
from soin.grants.models import Grant
from soin.ideas import selectors as idea_selectors
from soin.ideas.models import CarrierContact, Idea
from soin.ideas.services import status_token
from soin.newsletter.models import Subscriber, Suppression
from soin.newsletter.services import email_hash
from soin.partners import selectors as partner_selectors
from soin.partners.models import ContactPerson, Organisation
from soin.retention.erasure import person_erase, person_erase_preview, subject_hash
from soin.retention.models import ErasureRecord
from soin.retention.tests.people import (
    ADDRESS,
    IDEA_TEXT,
    NAME,
    PHONE,
    make_person,
    rows_mentioning,
)

pytestmark = pytest.mark.django_db


def test_the_scan_finds_a_person_before_erasure(world) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    found = rows_mentioning(world.partnership, ADDRESS, NAME, PHONE)
    kinds = {row.split()[0] for row in found}
    assert {
        "knowledge.entry",
        "activities.activity",
        "newsletter.friendtip",
        "ideas.idea",
        "ideas.carriercontact",
        "activities.registration",
        "newsletter.subscriber",
        "grants.grant",
        "partners.contactperson",
        "audit.auditentry",
    } <= kinds


def test_erasure_leaves_no_trace_of_the_person_in_the_partnership(world, journal) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    coordinator = world.users[COORDINATOR]

    counts = person_erase(
        partnership=world.partnership,
        email=f"  {ADDRESS.upper()} ",
        actor=coordinator,
        via="staff",
    )

    assert rows_mentioning(world.partnership, ADDRESS, NAME, PHONE) == []
    # Audit entries without a partnership that copy the person's records are clean too.
    other_audit = AuditEntry.objects.exclude(partnership=world.other_partnership)
    assert not [
        e.pk
        for e in other_audit
        if NAME.lower()
        in json.dumps([e.object_repr, e.before, e.after], ensure_ascii=False).lower()
        or ADDRESS.lower() in json.dumps([e.before, e.after]).lower()
    ]
    assert counts["ideas"] == 1
    assert counts["registrations"] == 1
    assert counts["subscribers"] == 1
    assert counts["grants"] == 1
    assert counts["partner_contacts"] == 1
    assert counts["carrier_contacts"] == 1
    assert counts["audit_entries"] > 0
    assert counts["bank_entries"] == 1 and counts["friend_tips"] == 1
    # The meeting's minutes named her: the sweep of the partnership's other texts took it out.
    assert counts["other_rows"] >= 1
    world.meeting.refresh_from_db()
    assert world.meeting.minutes == "[…] berättade om kaféet."


def test_the_idea_stays_as_a_document_without_its_carrier(world) -> None:  # type: ignore[no-untyped-def]
    person = make_person(world)
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")

    idea = Idea.objects.get(pk=person.idea.pk)
    assert idea.description.startswith(IDEA_TEXT)
    assert idea.title == "Matkafé mellan generationer"
    assert idea.stage == Idea.Stage.IN_ADVICE
    # received, registered, taken into advice, the contact with the carrier
    assert idea.events.count() == 4
    assert (idea.carrier_name, idea.carrier_email, idea.carrier_phone) == ("", "", "")
    # The status link is revoked: no nonce opens it.
    assert idea.status_nonce == ""
    # Being erased withdraws the consent to be named in the knowledge bank.
    person.entry.refresh_from_db()
    assert person.entry.carrier_name == "" and person.entry.carrier_consent_at is None
    contact = CarrierContact.objects.get(idea=idea)
    assert contact.summary.startswith("Pratade med [") and "budget" in contact.summary


def test_the_status_link_stops_working(client, world) -> None:  # type: ignore[no-untyped-def]
    person = make_person(world)
    token = status_token(person.idea)
    url = f"/sv/{world.partnership.slug}/idea/status/{token}/"
    assert client.get(url).status_code == 200
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")
    assert client.get(url).status_code == 404


def test_registrations_stay_as_places_taken_and_applications_as_documents(world) -> None:  # type: ignore[no-untyped-def]
    person = make_person(world)
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")

    registration = Registration.objects.get(pk=person.registration.pk)
    # The event has not begun: the seat is given up, the row stays for the statistics.
    assert registration.state == Registration.State.CANCELLED
    assert registration.name == "" and registration.dietary_needs == ""
    assert registration.email.endswith("@erased.invalid")
    grant = Grant.objects.get(pk=person.grant.pk)
    assert grant.association_name == "Föreningen Matglädje"
    assert grant.org_number == "802412-3435"
    assert (grant.contact_name, grant.contact_email, grant.contact_phone, grant.nonce) == (
        "",
        "",
        "",
        "",
    )
    assert not ContactPerson.objects.filter(pk=person.contact.pk).exists()
    assert not Subscriber.objects.filter(pk=person.subscriber.pk).exists()
    assert Suppression.objects.filter(
        partnership=world.partnership, email_hash=email_hash(ADDRESS)
    ).exists()


def test_the_same_address_in_another_partnership_is_untouched(world) -> None:  # type: ignore[no-untyped-def]
    person = make_person(world)
    before = rows_mentioning(world.other_partnership, ADDRESS, NAME, PHONE)
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")

    assert rows_mentioning(world.other_partnership, ADDRESS, NAME, PHONE) == before
    assert Idea.objects.get(pk=person.other_idea.pk).carrier_email == ADDRESS
    assert Subscriber.objects.filter(pk=person.other_subscriber.pk).exists()


def test_the_record_and_the_journal_name_no_one(  # type: ignore[no-untyped-def]
    world, journal, django_capture_on_commit_callbacks
) -> None:
    make_person(world)
    with django_capture_on_commit_callbacks(execute=True):
        counts = person_erase(
            partnership=world.partnership, email=ADDRESS, actor=None, via="self-service"
        )
        # Nothing is journalled before the erasure is committed.
        assert not journal.exists()
    record = ErasureRecord.objects.get(partnership=world.partnership)
    assert record.via == "self-service"
    assert record.subject_hash == subject_hash(ADDRESS) == subject_hash(f" {ADDRESS.upper()}")
    assert record.counts == counts
    lines = journal.read_text().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["partnership"] == world.partnership.slug
    assert line["subject_hash"] == record.subject_hash
    assert line["via"] == "self-service"
    for text in (lines[0], json.dumps([record.counts, record.subject_hash])):
        assert ADDRESS.lower() not in text.lower() and NAME not in text
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.after == {"via": "self-service", "counts": counts}


def test_an_invalid_address_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="valid e-mail"):
        person_erase(partnership=world.partnership, email="inte en adress", actor=None, via="staff")


def test_an_address_the_partnership_does_not_hold_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="holds no personal data"):
        person_erase(
            partnership=world.partnership, email="okand@example.se", actor=None, via="staff"
        )
    assert not ErasureRecord.objects.exists()


def test_a_staff_account_is_not_erased(world) -> None:  # type: ignore[no-untyped-def]
    # The coordinator registered for the seminar with their login address.
    from soin.activities.services import registration_create

    registration_create(
        activity=world.activity,
        name="Koordinatorn",
        email="coordinator@example.org",
        consent_text="Samtycke",
    )
    with pytest.raises(ValidationError, match="staff account"):
        person_erase(
            partnership=world.partnership,
            email="coordinator@example.org",
            actor=None,
            via="self-service",
        )
    assert Registration.objects.filter(email="coordinator@example.org").exists()


def test_a_grant_application_still_being_handled_keeps_its_contact(world) -> None:  # type: ignore[no-untyped-def]
    # The world's approved grant is partly paid: its contact is needed until it is closed.
    with pytest.raises(ValidationError, match="still being"):
        person_erase(
            partnership=world.partnership, email="annan@example.org", actor=None, via="staff"
        )
    with pytest.raises(ValidationError, match="still being"):
        person_erase_preview(partnership=world.partnership, email="annan@example.org")
    assert Grant.objects.get(pk=world.grant_approved.pk).contact_name == "Annan Sökande"


def test_a_refused_erasure_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    # Maria is also the contact of an application still being handled: nothing is erased.
    person = make_person(world)
    Grant.objects.filter(pk=person.grant.pk).update(state=Grant.State.RECEIVED)
    before = rows_mentioning(world.partnership, ADDRESS, NAME, PHONE)
    with pytest.raises(ValidationError):
        person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="staff")
    assert rows_mentioning(world.partnership, ADDRESS, NAME, PHONE) == before
    assert not ErasureRecord.objects.exists()


def test_the_preview_counts_without_touching(world) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    counts = person_erase_preview(partnership=world.partnership, email=ADDRESS)
    assert counts == {
        "ideas": 1,
        "carrier_contacts": 1,
        "registrations": 1,
        "subscribers": 1,
        "grants": 1,
        "partner_contacts": 1,
    }
    assert Idea.objects.filter(carrier_email=ADDRESS).count() == 2


def test_erasing_twice_finds_nothing_the_second_time(world) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")
    with pytest.raises(ValidationError, match="holds no personal data"):
        person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")
    assert (
        person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="replay") == {}
    )
    assert ErasureRecord.objects.count() == 1


def test_an_unknown_way_is_a_programming_error(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="other")


def test_the_lists_that_search_text_no_longer_find_the_person(world) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    make_organisation(world.partnership, f"{NAME}s kafé")
    coordinator = world.users[COORDINATOR]

    def found() -> tuple[list[str], list[str]]:
        ideas = idea_selectors.ideas_for(
            user=coordinator, partnership=world.partnership, query="lind"
        )
        orgs = partner_selectors.organisations_for_staff(
            partnership=world.partnership, query="lind"
        )
        return [i.title for i in ideas], [o.name for o in orgs]

    assert found() == (["Matkafé mellan generationer"], [f"{NAME}s kafé"])
    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="staff")
    assert found() == ([], [])
    # What the rows keep of their words lost her name with them.
    assert not Organisation.objects.filter(search_terms__contains=" lind").exists()
    assert not Idea.objects.filter(search_terms__contains=" lind").exists()
