"""Registration for a public event in a real browser: a seat, the waiting list, a cancelled
seat offered to the next person and taken, an offer whose time ran out, and the deadline.

Everything is real: the pages in Chromium, the services, the task worker and an SMTP server.
The texts are looked up through the catalogue of the page's language, so the assertions hold
before and after the Swedish translations are written."""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from soin.activities import selectors, services
from soin.activities.models import Registration
from soin.core.testing import COORDINATOR, build_world

R = Registration.State
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = "form.registration-form button[type=submit]"
ACCEPT = "form:has(input[name=action][value=accept]) button[type=submit]"
CANCEL = "form:has(input[name=action][value=cancel]) button[type=submit]"


def t(language: str, message: str, context: str = "", **values: object) -> str:
    """Return ``message`` as the ``language`` pages show it."""
    with translation.override(language):
        text = pgettext(context, message) if context else gettext(message)
    return text % values if values else text


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def mails_to(smtp_server, address: str) -> list[EmailMessage]:  # type: ignore[no-untyped-def]
    return [m for m in smtp_server.inbox.messages if m["X-Envelope-To"] == address]


def subject(mail: EmailMessage) -> str:
    """The subject as a mail program shows it (folded header lines joined)."""
    return " ".join(str(mail["Subject"]).split())


def body(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def calendar_parts(mail: EmailMessage) -> list[str]:
    return [
        part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode()
        for part in mail.walk()
        if part.get_content_type() == "text/calendar"
    ]


def link_path(mail: EmailMessage, language: str) -> str:
    """Return the path of the private registration link in a mail."""
    found = re.search(
        rf"https?://[^\s/]+(/{language}/orebro/activities/registration/[\w-]+/)", body(mail)
    )
    assert found, body(mail)
    return found.group(1)


def private_path(registration: Registration, language: str) -> str:
    token = services.registration_token(registration)
    return f"/{language}/orebro/activities/registration/{token}/"


def cecilia_of(activity) -> Registration:  # type: ignore[no-untyped-def]
    return Registration.objects.get(activity=activity, email_canonical="cecilia@example.org")


def register(page, url: str, name: str, email: str, **extra: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.fill("[name=name]", name)
    page.fill("[name=email]", email)
    page.fill("[name=organisation]", extra.get("organisation", ""))
    page.fill("[name=dietary_needs]", extra.get("dietary_needs", ""))
    page.fill("[name=accessibility_needs]", extra.get("accessibility_needs", ""))
    page.check("[name=consent]")
    page.click(SUBMIT)
    page.wait_for_url("**/registered/")


def test_a_seat_the_waiting_list_and_a_freed_seat_taken(  # type: ignore[no-untyped-def]
    browser, live_server, reference_data, smtp_server
) -> None:
    world = build_world()
    activity = world.activity  # capacity 2; Anna has a seat
    detail = f"{live_server.url}/sv/orebro/activities/{activity.pk}/"
    page = browser.new_page()
    try:
        # 1. The public page, in Swedish, with one seat left.
        page.goto(detail)
        assert page.get_attribute("html", "lang") == "sv"
        expect(page.locator("h1")).to_have_text(activity.title_sv)
        expect(page.locator(SUBMIT)).to_have_text(t("sv", "Register"))

        # 2. Bertil registers and gets the last seat.
        register(
            page,
            detail,
            "Bertil Besökare",
            "Bertil@Example.org",
            organisation="Coompanion",
            dietary_needs="Vegetarisk",
            accessibility_needs="Hörslinga",
        )
        # Everyone is told the same: check your e-mail (whether the address was registered
        # before is said only to the address).
        sent = t("sv", "Thank you: check your e-mail")
        expect(page.locator("h1")).to_have_text(sent)
        assert page.get_attribute("html", "lang") == "sv"
        bertil = Registration.objects.get(activity=activity, email_canonical="bertil@example.org")
        assert bertil.state == R.CONFIRMED and bertil.language == "sv"
        assert (bertil.name, bertil.organisation) == ("Bertil Besökare", "Coompanion")
        assert (bertil.dietary_needs, bertil.accessibility_needs) == ("Vegetarisk", "Hörslinga")
        assert bertil.consent_at is not None and world.partnership.name_sv in bertil.consent_text
        seats = selectors.seats(activity)
        assert (seats.confirmed, seats.waiting, seats.free) == (2, 0, 0)

        # 3. The event is full: Cecilia is put on the waiting list, first in the queue.
        page.goto(detail)
        expect(page.locator(SUBMIT)).to_have_text(t("sv", "Join the waiting list"))
        register(page, detail, "Cecilia Köande", "cecilia@example.org")
        expect(page.locator("h1")).to_have_text(sent)
        cecilia = Registration.objects.get(activity=activity, email_canonical="cecilia@example.org")
        assert cecilia.state == R.WAITING and selectors.waiting_position(cecilia) == 1

        # 4. The worker mails both, in Swedish, with their private links; Bertil's mail
        # carries the event as an .ics file.
        run_worker()
        title = activity.title_sv
        [to_bertil] = mails_to(smtp_server, "Bertil@Example.org")
        assert subject(to_bertil) == t("sv", "You are registered: %(title)s", title=title)
        [ics] = calendar_parts(to_bertil)
        assert "BEGIN:VEVENT" in ics and f"activity-{activity.pk}@" in ics
        assert link_path(to_bertil, "sv") == private_path(bertil, "sv")
        [to_cecilia] = mails_to(smtp_server, "cecilia@example.org")
        assert subject(to_cecilia) == t("sv", "You are on the waiting list: %(title)s", title=title)
        assert calendar_parts(to_cecilia) == []
        assert link_path(to_cecilia, "sv") == private_path(cecilia, "sv")
        page.goto(live_server.url + link_path(to_cecilia, "sv"))
        waiting = t("sv", "On the waiting list", "registration")
        queue = t("sv", "number %(position)s in the queue", position=1)
        expect(page.locator("#registration-state")).to_have_text(f"{waiting} ({queue})")
        expect(page.locator(ACCEPT)).to_have_count(0)

        # 5. Bertil cannot come: he cancels through the link in his mail, and the seat is
        # offered to Cecilia.
        page.goto(live_server.url + link_path(to_bertil, "sv"))
        expect(page.locator("#registration-state")).to_have_text(
            t("sv", "Has a seat", "registration")
        )
        page.click(CANCEL)
        expect(page.locator("p.notice")).to_have_text(
            t("sv", "Your registration is cancelled. Thank you for telling us.")
        )
        expect(page.locator("#registration-state")).to_have_text(
            t("sv", "Cancelled", "registration")
        )
        expect(page.locator(CANCEL)).to_have_count(0)
        bertil.refresh_from_db()
        cecilia.refresh_from_db()
        assert bertil.state == R.CANCELLED
        assert cecilia.state == R.OFFERED and cecilia.offer_expires_at is not None
        expected = timezone.now() + datetime.timedelta(hours=activity.offer_hours)
        assert abs((cecilia.offer_expires_at - expected).total_seconds()) < 120

        run_worker()
        [_confirmed, cancelled] = mails_to(smtp_server, "Bertil@Example.org")
        assert subject(cancelled) == t(
            "sv", "Your registration is cancelled: %(title)s", title=title
        )
        [_waiting, offer] = mails_to(smtp_server, "cecilia@example.org")
        assert subject(offer) == t("sv", "A seat is free for you: %(title)s", title=title)
        assert link_path(offer, "sv") == private_path(cecilia, "sv")

        # 6. Cecilia takes the seat through the link in the offer.
        page.goto(live_server.url + link_path(offer, "sv"))
        expect(page.locator("#registration-state")).to_have_text(
            t("sv", "Offered a freed seat", "registration")
        )
        page.click(ACCEPT)
        expect(page.locator("p.notice")).to_have_text(t("sv", "The seat is yours. Welcome!"))
        expect(page.locator("#registration-state")).to_have_text(
            t("sv", "Has a seat", "registration")
        )
        expect(page.locator(ACCEPT)).to_have_count(0)
        cecilia.refresh_from_db()
        assert cecilia.state == R.CONFIRMED and cecilia.offer_expires_at is None
        seats = selectors.seats(activity)
        assert (seats.confirmed, seats.offered, seats.waiting) == (2, 0, 0)
        run_worker()
        [*_earlier, welcome] = mails_to(smtp_server, "cecilia@example.org")
        assert subject(welcome) == t("sv", "You are registered: %(title)s", title=title)
        assert len(calendar_parts(welcome)) == 1

        # 8. The last day to register has passed: the form is gone, in Swedish and English,
        # and a form posted anyway is refused without a registration.
        services.activity_update(
            activity=activity,
            actor=world.users[COORDINATOR],
            registration_deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
        page.goto(detail)
        expect(page.locator("form.registration-form")).to_have_count(0)
        expect(page.locator("#register ~ p.notice")).to_have_text(
            t("sv", "Registration has closed.")
        )
        page.goto(f"{live_server.url}/en/orebro/activities/{activity.pk}/")
        assert page.get_attribute("html", "lang") == "en"
        expect(page.locator("h1")).to_have_text(activity.title_en)
        expect(page.locator("form.registration-form")).to_have_count(0)
        expect(page.locator("#register ~ p.notice")).to_have_text("Registration has closed.")
    finally:
        page.close()

    before = Registration.objects.count()
    response = Client().post(
        f"/sv/orebro/activities/{activity.pk}/",
        {
            "name": "David Sen",
            "email": "david@example.org",
            "organisation": "",
            "dietary_needs": "",
            "accessibility_needs": "",
            "consent": "on",
            "homepage": "",
        },
    )
    assert response.status_code == 409
    assert t("sv", "Registration has closed.") in response.content.decode()
    assert Registration.objects.count() == before
    assert not Registration.objects.filter(email="david@example.org").exists()


def test_an_offer_whose_time_ran_out_goes_to_the_next_person(  # type: ignore[no-untyped-def]
    browser, live_server, reference_data, smtp_server
) -> None:
    world = build_world()
    activity = world.activity  # capacity 2; Anna has a seat
    title = activity.title_en
    services.registration_create(
        activity=activity, name="Bertil", email="bertil@example.org", consent_text="Samtycke"
    )
    page = browser.new_page()
    try:
        # Cecilia registers in English and is first on the waiting list; David comes after.
        register(
            page,
            f"{live_server.url}/en/orebro/activities/{activity.pk}/",
            "Cecilia Waiting",
            "cecilia@example.org",
        )
        assert page.get_attribute("html", "lang") == "en"
        expect(page.locator("h1")).to_have_text("Thank you: check your e-mail")
        page.goto(live_server.url + private_path(cecilia_of(activity), "en"))
        expect(page.locator("#registration-state")).to_have_text(
            "On the waiting list (number 1 in the queue)"
        )
        cecilia = Registration.objects.get(activity=activity, email_canonical="cecilia@example.org")
        assert cecilia.state == R.WAITING and cecilia.language == "en"
        david, _token = services.registration_create(
            activity=activity, name="David", email="david@example.org", consent_text="Samtycke"
        )
        assert david.state == R.WAITING and selectors.waiting_position(david) == 2

        # Anna cancels: the seat is offered to Cecilia ...
        services.registration_cancel(registration=world.registration)
        cecilia.refresh_from_db()
        assert cecilia.state == R.OFFERED and cecilia.offer_expires_at is not None
        # ... who opens her page while the offer is open, but whose time runs out before she
        # clicks.
        page.goto(live_server.url + private_path(cecilia, "en"))
        expect(page.locator("#registration-state")).to_have_text("Offered a freed seat")
        Registration.objects.filter(pk=cecilia.pk).update(
            offer_expires_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        page.click(ACCEPT)
        expect(page.locator("p.notice")).to_have_text(
            "Sorry: the time to take the seat had run out."
        )
        expect(page.locator("#registration-state")).to_have_text("Offer expired")
        expect(page.locator(ACCEPT)).to_have_count(0)
        expect(page.locator(CANCEL)).to_have_count(0)
        # Opened again later, the page says the same without a click.
        page.goto(live_server.url + private_path(cecilia, "en"))
        expect(page.locator("#registration-state")).to_have_text("Offer expired")
    finally:
        page.close()

    cecilia.refresh_from_db()
    david.refresh_from_db()
    assert cecilia.state == R.EXPIRED and cecilia.offer_expires_at is None
    assert david.state == R.OFFERED and david.offer_expires_at is not None
    assert david.offer_expires_at > timezone.now()
    seats = selectors.seats(activity)
    assert (seats.confirmed, seats.offered, seats.waiting) == (1, 1, 0)

    # Each hears of it in their own language, David with the link to take the seat.
    run_worker()
    expired = mails_to(smtp_server, "cecilia@example.org")[-1]
    assert subject(expired) == f"The offered seat has gone to the next person: {title}"
    offer = mails_to(smtp_server, "david@example.org")[-1]
    assert subject(offer) == t("sv", "A seat is free for you: %(title)s", title=activity.title_sv)
    assert link_path(offer, "sv") == private_path(david, "sv")
