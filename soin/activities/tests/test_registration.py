"""Registration for public events: seats, the waiting list and its expiring offers,
cancellation through the private link, the deadline, mails from the worker, the participant
list and its export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from soin.activities import selectors, services
from soin.activities.models import ActivityEvent, Registration
from soin.audit.models import AuditEntry
from soin.core.testing import build_world, login, post_form

R = Registration.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The services' messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def register(activity, name: str, **extra):  # type: ignore[no-untyped-def]
    return services.registration_create(
        activity=activity,
        name=name,
        email=extra.pop("email", f"{name.lower()}@example.org"),
        consent_text="Samtycke",
        **extra,
    )


def test_seats_then_the_waiting_list_in_order(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity  # capacity 2, Anna has a seat
    b, _t = register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    d, _t = register(activity, "David")
    assert [b.state, c.state, d.state] == [R.CONFIRMED, R.WAITING, R.WAITING]
    assert selectors.waiting_position(c) == 1
    assert selectors.waiting_position(d) == 2
    seats = selectors.seats(activity)
    assert (seats.confirmed, seats.waiting, seats.free) == (2, 2, 0)
    kinds = list(activity.events.filter(registration=d).values_list("kind", flat=True))
    assert kinds == [ActivityEvent.Kind.WAITLISTED]


def test_a_cancelled_seat_is_offered_to_the_first_waiting(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    d, _t = register(activity, "David")
    services.registration_cancel(registration=world.registration)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.state == R.OFFERED and d.state == R.WAITING
    assert c.offer_expires_at is not None
    expected = timezone.now() + datetime.timedelta(hours=activity.offer_hours)
    assert abs((c.offer_expires_at - expected).total_seconds()) < 60
    # The offer holds the seat: a newcomer goes to the waiting list, behind David.
    e, _t = register(activity, "Erik")
    assert e.state == R.WAITING
    services.registration_accept(registration=c)
    c.refresh_from_db()
    assert c.state == R.CONFIRMED and c.offer_expires_at is None
    assert selectors.seats(activity).confirmed == 2


def test_an_expired_offer_passes_the_seat_on(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    d, _t = register(activity, "David")
    services.registration_cancel(registration=world.registration)
    Registration.objects.filter(pk=c.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # Taking the seat too late: it expires and goes to David.
    c = services.registration_accept(registration=Registration.objects.get(pk=c.pk))
    assert c.state == R.EXPIRED
    d.refresh_from_db()
    assert d.state == R.OFFERED


def test_the_worker_expires_an_offer_when_its_time_is_up(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    services.registration_cancel(registration=world.registration)
    c.refresh_from_db()
    assert not services.registration_expire(registration=c)  # not yet due
    Registration.objects.filter(pk=c.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.registration_expire(registration=c)
    c.refresh_from_db()
    assert c.state == R.EXPIRED
    assert activity.events.filter(registration=c, kind=ActivityEvent.Kind.EXPIRED).count() == 1


def test_an_offer_never_outlasts_the_start(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    services.activity_update(
        activity=activity,
        actor=world.users["coordinator"],
        starts_at=timezone.now() + datetime.timedelta(hours=5),
        ends_at=timezone.now() + datetime.timedelta(hours=8),
        registration_deadline=None,
    )
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    services.registration_cancel(registration=world.registration)
    c.refresh_from_db()
    activity.refresh_from_db()
    assert c.offer_expires_at == activity.starts_at


def test_more_seats_go_to_the_waiting_list_at_once(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    services.activity_update(activity=activity, actor=world.users["coordinator"], capacity=3)
    c.refresh_from_db()
    assert c.state == R.OFFERED


def test_seats_cannot_be_cut_below_those_taken(world) -> None:  # type: ignore[no-untyped-def]
    register(world.activity, "Bertil")
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            activity=world.activity, actor=world.users["coordinator"], capacity=1
        )
    assert "capacity" in error.value.message_dict
    world.activity.refresh_from_db()
    assert world.activity.capacity == 2


def test_one_active_registration_per_address(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.AlreadyRegistered):
        register(world.activity, "Anna", email="ANNA@example.org ")
    # After cancelling, the same person may register again.
    services.registration_cancel(registration=world.registration)
    again, _t = register(world.activity, "Anna", email="anna@example.org")
    assert again.state == R.CONFIRMED


def test_the_deadline_closes_registration_at_the_end_of_its_day(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    closes = services.registration_closes_at(activity)
    local = timezone.localtime(closes)
    assert (local.hour, local.minute) == (0, 0)
    assert local.date() == activity.registration_deadline + datetime.timedelta(days=1)
    assert services.registration_refusal(activity, now=closes - datetime.timedelta(seconds=1)) == ""
    assert services.registration_refusal(activity, now=closes) != ""


def test_a_closed_or_cancelled_activity_takes_no_registrations(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    activity.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    activity.save()
    with pytest.raises(ValidationError, match="closed"):
        register(activity, "Bertil")
    services.activity_cancel(activity=activity, actor=world.users["coordinator"], reason="Sjukdom")
    with pytest.raises(ValidationError):
        register(activity, "Cecilia")
    assert activity.registrations.count() == 1


def test_registration_needs_a_public_activity(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            activity=world.activity, actor=world.users["coordinator"], is_public=False
        )
    assert "registration_open" in error.value.message_dict


def test_the_public_form_registers_and_answers_alike_for_a_second_time(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    url = reverse(
        "public:activity_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "1 seat is left" in page.content.decode()
    data = {
        "name": "Bertil Berg",
        "email": "bertil@example.org",
        "organisation": "Föreningen",
        "dietary_needs": "Vegetariskt",
        "accessibility_needs": "Hörslinga",
        "consent": "on",
    }
    sent = reverse(
        "public:registration_sent",
        kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
    )
    with django_capture_on_commit_callbacks() as first:
        response = post_form(client, url, data)
    assert (response.status_code, response["Location"]) == (302, sent)
    registration = Registration.objects.get(email="bertil@example.org")
    assert registration.state == R.CONFIRMED
    assert registration.language == "en"  # registered under /en/
    assert registration.consent_at is not None and registration.consent_text
    assert len(first) == 2  # the confirmation, and the reminder planned
    # The same address again: the same answer, nothing new kept, the link mailed again.
    with django_capture_on_commit_callbacks() as second:
        again = post_form(client, url, {**data, "name": "Someone Else"})
    assert (again.status_code, again["Location"]) == (302, sent)
    assert Registration.objects.filter(email="bertil@example.org").count() == 1
    assert len(second) == 1
    assert "check your e-mail" in client.get(sent).content.decode()


def test_registrations_from_one_address_are_limited(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_REGISTRATION_PER_HOUR = 2
    services.activity_update(activity=world.activity, actor=None, capacity=None)
    url = reverse(
        "public:activity_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
    )
    client = Client()
    codes = [
        post_form(
            client, url, {"name": f"P{i}", "email": f"p{i}@example.org", "consent": "on"}
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert world.activity.registrations.count() == 3  # Anna and two


def test_bad_input_is_explained_and_nothing_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse(
        "public:activity_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
    )
    response = post_form(
        Client(), f"/en{url[3:]}", {"name": "", "email": "not-an-address", "consent": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a valid email address." in text
    assert "We cannot register you without your consent." in text
    assert world.activity.registrations.count() == 1


def test_a_robot_filling_the_hidden_field_registers_nobody(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse(
        "public:activity_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
    )
    response = post_form(
        Client(),
        url,
        {"name": "Bot", "email": "bot@example.org", "consent": "on", "homepage": "http://x"},
    )
    assert response.status_code == 200  # the same answer as for a person
    assert "check your e-mail" in response.content.decode()
    assert not Registration.objects.filter(email="bot@example.org").exists()


def test_the_private_link_cancels_and_a_wrong_link_does_not(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    slug = world.partnership.slug
    forged = f"{world.registration.pk}-AAAAAAAAAAAAAAAAAAAAAAAA"
    wrong = client.post(
        reverse("public:registration", kwargs={"partnership": slug, "token": forged}),
        {"action": "cancel"},
    )
    assert wrong.status_code == 404
    url = reverse(
        "public:registration", kwargs={"partnership": slug, "token": world.registration_token}
    )
    # A GET (a link scanner, a preview) never cancels.
    assert client.get(url).status_code == 200
    world.registration.refresh_from_db()
    assert world.registration.state == R.CONFIRMED
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 200
    world.registration.refresh_from_db()
    assert world.registration.state == R.CANCELLED
    # Twice is harmless and says why.
    again = client.post(url, {"action": "cancel"})
    assert again.status_code == 200
    assert AuditEntry.objects.filter(action="registration.cancel").count() == 1


@pytest.mark.django_db(transaction=True)
def test_mails_from_the_worker(reference_data, settings) -> None:  # type: ignore[no-untyped-def]
    # The worker opens and closes its own connections: a transactional test, as in production.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    mail.outbox.clear()
    b, _t = register(world.activity, "Bertil", language="en")
    c, _t = register(world.activity, "Cecilia", language="en")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    services.registration_cancel(registration=b)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    subjects = [(m.to[0], m.subject.split(":")[0]) for m in mail.outbox]
    title = world.activity.title_en
    assert sorted(subjects) == sorted(
        [
            ("bertil@example.org", "You are registered"),
            ("bertil@example.org", "Your registration is cancelled"),
            ("cecilia@example.org", "You are on the waiting list"),
            ("cecilia@example.org", "A seat is free for you"),
        ]
    )
    assert all(title in m.subject for m in mail.outbox)
    c.refresh_from_db()
    offer = next(m for m in mail.outbox if m.subject.startswith("A seat is free"))
    assert services.registration_token(c) in offer.body
    assert timezone.localtime(c.offer_expires_at).strftime("%H:%M") in offer.body
    confirmation = next(m for m in mail.outbox if m.subject.startswith("You are registered"))
    assert any(a[2].startswith("text/calendar") for a in confirmation.attachments)
    assert services.registration_token(b) in confirmation.body


def test_the_reminder_is_sent_once_the_day_before(world, settings) -> None:  # type: ignore[no-untyped-def]
    from soin.activities.tasks import send_reminder

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    registration = world.registration
    # A month ahead: too early.
    send_reminder.call(registration_id=registration.pk)
    assert mail.outbox == []
    activity = registration.activity
    activity.starts_at = timezone.now() + datetime.timedelta(hours=20)
    activity.ends_at = activity.starts_at + datetime.timedelta(hours=2)
    activity.registration_deadline = None
    activity.save()
    send_reminder.call(registration_id=registration.pk)
    send_reminder.call(registration_id=registration.pk)
    assert len(mail.outbox) == 1
    assert "Reminder" in mail.outbox[0].subject or "Påminnelse" in mail.outbox[0].subject


def test_participant_list_attendance_and_export(world) -> None:  # type: ignore[no-untyped-def]
    register(world.activity, "Bertil", accessibility_needs="Hörslinga")
    client = Client()
    login(client, world.users["advisor"])
    slug, pk = world.partnership.slug, world.activity.pk
    page = client.get(reverse("staff:registration_list", kwargs={"partnership": slug, "pk": pk}))
    assert "Bertil" in page.content.decode()
    # Attendance waits for the activity to begin.
    url = reverse("staff:registration_attendance", kwargs={"partnership": slug, "pk": pk})
    client.post(url, {"attended": [world.registration.pk]})
    world.registration.refresh_from_db()
    assert world.registration.attended is None
    world.activity.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    world.activity.save()
    client.post(url, {"attended": [world.registration.pk]})
    statuses = dict(world.activity.registrations.values_list("name", "attended"))
    assert statuses == {"Anna Deltagare": True, "Bertil": False}
    export = client.get(
        reverse("staff:registration_export", kwargs={"partnership": slug, "pk": pk})
        + "?format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert "Hörslinga" in rows[2]
    csv = client.get(
        reverse("staff:registration_export", kwargs={"partnership": slug, "pk": pk}) + "?format=csv"
    )
    assert csv["Content-Type"].startswith("text/csv")
    assert "Bertil" in csv.content.decode("utf-8-sig")


def test_a_cancelled_activity_ends_open_offers(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    services.registration_cancel(registration=world.registration)
    with django_capture_on_commit_callbacks() as callbacks:
        services.activity_cancel(activity=activity, actor=None, reason="Sjukdom")
    c.refresh_from_db()
    assert c.state == R.EXPIRED
    # Bertil and Cecilia hear that the activity is cancelled, nothing else.
    assert len(callbacks) == 2
    with pytest.raises(ValidationError):
        services.registration_accept(registration=c)


def test_moving_an_activity_earlier_shortens_open_offers(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    register(activity, "Bertil")
    c, _t = register(activity, "Cecilia")
    services.registration_cancel(registration=world.registration)
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=10)
    services.activity_update(
        activity=activity,
        actor=None,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        registration_deadline=None,
    )
    c.refresh_from_db()
    assert c.offer_expires_at == soon


def test_lifting_the_limit_gives_everyone_waiting_a_seat(world) -> None:  # type: ignore[no-untyped-def]
    register(world.activity, "Bertil")
    c, _t = register(world.activity, "Cecilia")
    d, _t = register(world.activity, "David")
    services.activity_update(activity=world.activity, actor=None, capacity=None)
    assert set(
        Registration.objects.filter(pk__in=[c.pk, d.pk]).values_list("state", flat=True)
    ) == {R.CONFIRMED}


def test_no_reminder_for_someone_registering_the_day_before(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    soon = timezone.now() + datetime.timedelta(hours=5)
    services.activity_update(
        activity=world.activity,
        actor=None,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        registration_deadline=None,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        register(world.activity, "Bertil")
    assert len(callbacks) == 1  # the confirmation only


def test_a_mail_whose_moment_has_passed_is_not_sent(world, settings) -> None:  # type: ignore[no-untyped-def]
    from soin.activities.tasks import send_registration_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    registration = world.registration
    send_registration_mail.call(registration_id=registration.pk, kind="offered")
    send_registration_mail.call(registration_id=registration.pk, kind="waiting")
    assert mail.outbox == []
    send_registration_mail.call(registration_id=registration.pk, kind="confirmed")
    assert len(mail.outbox) == 1


def test_no_cancelling_once_the_activity_has_begun(world) -> None:  # type: ignore[no-untyped-def]
    activity = world.activity
    activity.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    activity.save()
    with pytest.raises(ValidationError, match="begun"):
        services.registration_cancel(registration=world.registration)


def test_the_audit_log_keeps_the_course_not_the_persons_data(world) -> None:  # type: ignore[no-untyped-def]
    register(world.activity, "Bertil", accessibility_needs="Hörslinga")
    services.registration_cancel(registration=world.registration)
    entries = AuditEntry.objects.filter(action__startswith="registration.")
    assert entries.count() == 3
    for entry in entries:
        for snapshot in (entry.before or {}, entry.after or {}):
            assert not set(snapshot) & set(services.PERSONAL_FIELDS)
            assert "Hörslinga" not in str(snapshot)
