"""iCalendar (RFC 5545): one event, the public feed and a staff user's private feed, parsed
back with the icalendar library; the public calendar page and its filters."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soin.activities import services
from soin.activities.demo import at

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def events(response) -> list[icalendar.Event]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    timezones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(t["TZID"]) for t in timezones] == ["Europe/Stockholm"]
    return list(calendar.walk("VEVENT"))


def test_one_event_in_stockholm_time_summer_and_winter(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    summer = world.activity
    services.activity_update(
        activity=summer,
        actor=coordinator,
        starts_at=at(datetime.date(2031, 6, 10), 9),
        ends_at=at(datetime.date(2031, 6, 10), 12),
        registration_deadline=None,
    )
    response = Client().get(
        reverse(
            "public:activity_ics",
            kwargs={"partnership": world.partnership.slug, "pk": summer.pk},
        )
    )
    assert response["Content-Disposition"].startswith("attachment;")
    (event,) = events(response)
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2031, 6, 10, 9, 0, tzinfo=STOCKHOLM)
    assert start.utcoffset() == datetime.timedelta(hours=2)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert "DTSTART;TZID=Europe/Stockholm:20310610T090000" in response.content.decode()
    assert str(event["SUMMARY"]) == "Idrott, ungdomar och integration"
    assert str(event["LOCATION"]) == "Idrottens Hus, Karlsgatan 28, Örebro"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).startswith(f"activity-{summer.pk}@")
    assert str(event["URL"]).endswith(f"/activities/{summer.pk}/")
    assert int(event["SEQUENCE"]) == 1  # moved once
    services.activity_update(
        activity=summer,
        actor=coordinator,
        starts_at=at(datetime.date(2031, 12, 10), 9),
        ends_at=at(datetime.date(2031, 12, 10), 12),
    )
    response = Client().get(
        reverse(
            "public:activity_ics",
            kwargs={"partnership": world.partnership.slug, "pk": summer.pk},
        )
    )
    (event,) = events(response)
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)
    assert event.decoded("DTSTART").hour == 9
    assert int(event["SEQUENCE"]) == 2


def test_the_public_feed_holds_public_events_only_and_marks_cancellations(world) -> None:  # type: ignore[no-untyped-def]
    services.activity_cancel(
        activity=world.activity, actor=world.users["coordinator"], reason="Sjukdom"
    )
    response = Client().get(
        reverse("public:calendar_feed", kwargs={"partnership": world.partnership.slug})
    )
    found = events(response)
    assert [str(e["UID"]).split("@")[0] for e in found] == [f"activity-{world.activity.pk}"]
    assert str(found[0]["STATUS"]) == "CANCELLED"
    assert "Sjukdom" in str(found[0]["DESCRIPTION"])


def test_the_private_feed_follows_the_users_reach_and_a_new_address_revokes_the_old(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()

    def feed_uids(user) -> set[str]:  # type: ignore[no-untyped-def]
        feed = services.calendar_feed_get_or_create(user=user)
        url = reverse("staff:private_calendar", kwargs={"token": services.calendar_token(feed)})
        return {str(e["UID"]).split("@")[0] for e in events(client.get(url))}

    public, meeting = f"activity-{world.activity.pk}", f"activity-{world.meeting.pk}"
    assert feed_uids(world.users["coordinator"]) == {public, meeting}
    # The partner contact's organisation is not on the working committee.
    assert feed_uids(world.users["partner_contact"]) == {public}
    assert feed_uids(world.users["other_coordinator"]) == set()
    old = services.calendar_token(services.calendar_feed_get_or_create(user=world.users["advisor"]))
    services.calendar_feed_renew(user=world.users["advisor"])
    assert client.get(reverse("staff:private_calendar", kwargs={"token": old})).status_code == 404
    # A feed of a person who has left stops.
    advisor = world.users["advisor"]
    advisor.is_active = False
    advisor.save()
    feed = services.calendar_feed_get_or_create(user=advisor)
    url = reverse("staff:private_calendar", kwargs={"token": services.calendar_token(feed)})
    assert client.get(url).status_code == 404


def test_the_public_calendar_page_filters_by_kind_municipality_and_time(world) -> None:  # type: ignore[no-untyped-def]
    from soin.regions.models import Municipality

    coordinator = world.users["coordinator"]
    kumla = Municipality.objects.get(code="1881")
    past = services.activity_create(
        partnership=world.partnership,
        actor=coordinator,
        kind="outreach_stop",
        title_sv="Husvagnen i Kumla",
        starts_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=10) + datetime.timedelta(hours=4),
        municipality=kumla,
    )
    url = reverse("public:calendar", kwargs={"partnership": world.partnership.slug})
    client = Client()
    upcoming = client.get(url).content.decode()
    assert "Idrott, ungdomar och integration" in upcoming
    assert "Husvagnen i Kumla" not in upcoming
    assert "Arbetsutskottet" not in upcoming  # internal
    old = client.get(url, {"when": "past"}).content.decode()
    assert "Husvagnen i Kumla" in old and "Idrott" not in old
    by_place = client.get(url, {"when": "past", "municipality": kumla.pk}).content.decode()
    assert "Husvagnen i Kumla" in by_place
    by_kind = client.get(url, {"when": "past", "kind": "fair"}).content.decode()
    assert "Husvagnen i Kumla" not in by_kind
    assert past.is_public


def test_the_partnerships_start_page_shows_what_is_coming_up(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("public:partnership", kwargs={"partnership": world.partnership.slug})
    text = Client().get(url).content.decode()
    assert "Idrott, ungdomar och integration" in text
    assert "Arbetsutskottet" not in text
