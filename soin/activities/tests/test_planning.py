"""Planning: activities and their checks, series from a rule with one occurrence moved or
cancelled, minutes with decisions and actions, the spread over the region, ideas met at an
activity."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from soin.activities import selectors, services
from soin.activities.demo import at
from soin.activities.models import Activity, ActivityEvent, MeetingItem
from soin.audit.models import AuditEntry
from soin.core.testing import login
from soin.ideas import services as idea_services
from soin.regions.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The services' messages are checked in English, the source language."""
    with translation.override("en"):
        yield


D = datetime.date


def test_an_activity_is_checked_before_it_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    start = at(D(2031, 5, 2), 10)
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            partnership=world.partnership,
            actor=world.users["coordinator"],
            kind="outreach_stop",
            title_sv="",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            municipality=Municipality.objects.get(code="1780"),  # Karlstad, Värmland
        )
    assert set(error.value.message_dict) == {"title_sv", "ends_at", "municipality"}
    with pytest.raises(ValidationError, match="organisations of this partnership"):
        services.activity_create(
            partnership=world.other_partnership,
            actor=None,
            kind="fair",
            title_sv="Mässa",
            starts_at=start,
            ends_at=start,
            hosts=[world.own_org],
        )
    assert not Activity.objects.filter(starts_at=start).exists()


def test_the_working_committee_every_third_week(world) -> None:  # type: ignore[no-untyped-def]
    series = services.series_create(
        partnership=world.partnership,
        actor=world.users["coordinator"],
        kind="working_committee",
        title_sv="Arbetsutskottet",
        first_start=at(D(2031, 1, 14), 9),
        duration_minutes=120,
        interval_weeks=3,
        until=D(2031, 6, 30),
        participants=[world.other_org],
    )
    meetings = list(series.occurrences.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).date() for m in meetings] == [
        D(2031, 1, 14) + datetime.timedelta(weeks=3 * i) for i in range(8)
    ]
    # Nine o'clock in Stockholm, winter and summer (summer time starts 30 March 2031).
    assert {timezone.localtime(m.starts_at).hour for m in meetings} == {9}
    assert {m.starts_at.astimezone(datetime.UTC).hour for m in meetings} == {8, 7}
    assert all(m.ends_at - m.starts_at == datetime.timedelta(hours=2) for m in meetings)
    assert all(not m.is_public and m.series_start == m.starts_at for m in meetings)
    assert series.rule == "FREQ=WEEKLY;INTERVAL=3;UNTIL=20310630T235959"
    assert list(meetings[0].participants.all()) == [world.other_org]

    # Move one meeting a day later and cancel another: the rest stay as they were.
    before = {m.pk: (m.starts_at, m.state) for m in meetings}
    moved, cancelled = meetings[3], meetings[5]
    services.activity_update(
        activity=moved,
        actor=world.users["coordinator"],
        starts_at=moved.starts_at + datetime.timedelta(days=1),
        ends_at=moved.ends_at + datetime.timedelta(days=1),
    )
    services.activity_cancel(
        activity=cancelled, actor=world.users["coordinator"], reason="Krockar med stormötet"
    )
    after = {m.pk: (m.starts_at, m.state) for m in series.occurrences.all()}
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {moved.pk, cancelled.pk}
    moved.refresh_from_db()
    assert moved.series_start == before[moved.pk][0]
    assert moved.events.filter(kind=ActivityEvent.Kind.MOVED).count() == 1
    assert cancelled.events.filter(kind=ActivityEvent.Kind.CANCELLED).count() == 1
    # A cancelled meeting cannot be cancelled again or changed.
    with pytest.raises(ValidationError):
        services.activity_cancel(activity=cancelled, actor=None, reason="Igen")
    with pytest.raises(ValidationError):
        services.activity_update(activity=cancelled, actor=None, place="Någonstans")


def test_a_series_is_bounded(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="at most"):
        services.series_create(
            partnership=world.partnership,
            actor=None,
            kind="coordination",
            title_sv="Varje vecka i tio år",
            first_start=at(D(2031, 1, 6), 9),
            duration_minutes=60,
            interval_weeks=1,
            until=D(2041, 1, 1),
        )
    with pytest.raises(ValidationError) as error:
        services.series_create(
            partnership=world.partnership,
            actor=None,
            kind="coordination",
            title_sv="Bakåt",
            first_start=at(D(2031, 1, 6), 9),
            duration_minutes=0,
            interval_weeks=0,
            until=D(2030, 1, 1),
        )
    assert set(error.value.message_dict) == {"interval_weeks", "duration_minutes", "until"}


def test_the_series_form_plans_the_meetings(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["coordinator"])
    url = reverse("staff:series_create", kwargs={"partnership": world.partnership.slug})
    response = client.post(
        url,
        {
            "kind": "working_committee",
            "title_sv": "AU",
            "first_start": "2031-02-04T09:00",
            "duration_minutes": "90",
            "interval_weeks": "3",
            "until": "2031-03-31",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.filter(title_sv="AU").count() == 3
    bad = client.post(url, {"kind": "plenary", "title_sv": "", "first_start": "igår"})
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()


def test_minutes_decisions_and_actions_followed_up(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    meeting = world.meeting
    services.activity_minutes_update(
        activity=meeting, actor=coordinator, agenda="1. Husvagnen", minutes="Beslut fattades."
    )
    services.meeting_item_add(
        activity=meeting, actor=coordinator, kind="decision", text="Turnén genomförs."
    )
    with pytest.raises(ValidationError):
        services.meeting_item_add(
            activity=meeting,
            actor=coordinator,
            kind="decision",
            text="Med ansvarig",
            responsible=world.other_org,
        )
    open_actions = list(selectors.open_actions(partnership=world.partnership))
    assert [a.text for a in open_actions] == ["Boka lokal"]
    client = Client()
    login(client, coordinator)
    page = client.get(reverse("staff:action_list", kwargs={"partnership": world.partnership.slug}))
    assert "Boka lokal" in page.content.decode()
    client.post(
        reverse(
            "staff:meeting_item_done",
            kwargs={"partnership": world.partnership.slug, "pk": world.meeting_item.pk},
        )
    )
    assert not selectors.open_actions(partnership=world.partnership).exists()
    decision = MeetingItem.objects.get(kind="decision")
    with pytest.raises(ValidationError):
        services.meeting_item_done(item=decision, actor=coordinator)
    kinds = list(meeting.events.values_list("kind", flat=True))
    assert kinds == ["created", "item", "minutes", "item", "item_done"]
    assert AuditEntry.objects.filter(action="meeting_item.done").count() == 1


def test_the_spread_over_the_region_and_the_ideas_met_at_each_stop(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    kumla = Municipality.objects.get(code="1881")
    day = timezone.localdate() - datetime.timedelta(days=3)
    stop = services.activity_create(
        partnership=world.partnership,
        actor=coordinator,
        kind="outreach_stop",
        title_sv="Husvagnen i Kumla",
        place="Kumla torg",
        starts_at=at(day, 10),
        ends_at=at(day, 15),
        municipality=kumla,
        participants=[world.own_org],
    )
    idea = idea_services.idea_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="outreach",
        received_on=day,
        activity=stop,
        title="Basar",
        description="En basar för föreningarna.",
        carrier_category="private",
    )
    assert idea.municipality == kumla  # taken from the stop
    with pytest.raises(ValidationError):
        idea_services.idea_register(
            partnership=world.partnership,
            actor=coordinator,
            channel="outreach",
            received_on=day - datetime.timedelta(days=1),
            activity=stop,
            title="Före stoppet",
            description="Kan inte ha mötts där.",
            carrier_category="private",
        )
    spread = selectors.spread(partnership=world.partnership, year=day.year)
    assert spread.municipalities == 12
    row = next(r for r in spread.rows if r.municipality == kumla)
    assert row.by_kind == {"outreach_stop": 1} and row.total == 1 and row.ideas == 1
    assert spread.reached == 1
    assert [s.pk for s in spread.stops] == [stop.pk]
    assert [i.title for i in spread.stops[0].ideas.all()] == ["Basar"]
    client = Client()
    login(client, world.users["national_coordinator"])
    page = client.get(
        reverse("staff:activity_spread", kwargs={"partnership": world.partnership.slug}),
        {"year": day.year},
    ).content.decode()
    assert "Kumla torg" in page and "Basar" in page
    detail = client.get(
        reverse(
            "staff:activity_detail", kwargs={"partnership": world.partnership.slug, "pk": stop.pk}
        )
    ).content.decode()
    assert "Basar" in detail


def test_the_staff_list_shows_a_partner_contact_only_what_they_may_see(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["partner_contact"])
    url = reverse("staff:activity_list", kwargs={"partnership": world.partnership.slug})
    text = client.get(url).content.decode()
    assert "Idrott, ungdomar och integration" in text
    assert "Arbetsutskottet" not in text
    # Once their organisation takes part, they see the meeting.
    services.activity_update(
        activity=world.meeting, actor=None, participants=[world.own_org, world.other_org]
    )
    assert "Arbetsutskottet" in client.get(url).content.decode()


def test_editing_through_the_form_moves_and_notifies(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["coordinator"])
    activity = world.activity
    url = reverse(
        "staff:activity_edit", kwargs={"partnership": world.partnership.slug, "pk": activity.pk}
    )
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("hosts", "participants")
    }
    start = timezone.localtime(activity.starts_at) + datetime.timedelta(days=1)
    data.update(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        hosts=[world.other_org.pk],
        is_public="on",
        registration_open="on",
        registration_deadline=activity.registration_deadline.isoformat(),
    )
    data.pop("municipality", None)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert timezone.localtime(activity.starts_at) == start
    assert activity.sequence == 1
    # One mail to the person registered, and their reminder planned again.
    assert len(callbacks) == 2


def test_a_partner_contact_reads_minutes_only_of_meetings_of_their_own(world) -> None:  # type: ignore[no-untyped-def]
    services.activity_minutes_update(
        activity=world.meeting, actor=None, agenda="", minutes="Hemligt protokoll"
    )
    # Put on the public calendar, the working committee's meeting is visible to the partner
    # contact, but its minutes are not: their organisation is not on the committee.
    Activity.objects.filter(pk=world.meeting.pk).update(is_public=True)
    client = Client()
    login(client, world.users["partner_contact"])
    url = reverse(
        "staff:activity_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.meeting.pk},
    )
    page = client.get(url).content.decode()
    assert "Arbetsutskottet" in page and "Hemligt protokoll" not in page
    services.activity_update(
        activity=world.meeting, actor=None, participants=[world.own_org, world.other_org]
    )
    assert "Hemligt protokoll" in client.get(url).content.decode()
    login(client, world.users["advisor"])
    assert "Hemligt protokoll" in client.get(url).content.decode()


def test_staff_register_an_idea_met_at_an_outreach_stop(world) -> None:  # type: ignore[no-untyped-def]
    day = timezone.localdate() - datetime.timedelta(days=1)
    stop = services.activity_create(
        partnership=world.partnership,
        actor=None,
        kind="outreach_stop",
        title_sv="Husvagnen i Askersund",
        starts_at=at(day, 10),
        ends_at=at(day, 15),
        municipality=Municipality.objects.get(code="1882"),
    )
    client = Client()
    login(client, world.users["advisor"])
    url = reverse("staff:idea_register", kwargs={"partnership": world.partnership.slug})
    assert "Husvagnen i Askersund" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "channel": "outreach",
            "received_on": day.isoformat(),
            "activity": stop.pk,
            "title": "Laddcyklar",
            "description": "Elcyklar att låna i byn.",
            "carrier_category": "private",
            "another": "1",
        },
    )
    assert response.status_code == 302
    assert f"activity={stop.pk}" in response["Location"]
    idea = stop.ideas.get()
    assert idea.title == "Laddcyklar" and idea.municipality.code == "1882"
    # The next idea from the same stop starts with the stop chosen.
    again = client.get(response["Location"])
    assert again.context["form"].initial["activity"] == str(stop.pk)


def test_the_plan_form_explains_in_swedish_and_keeps_nothing_bad(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["coordinator"])
    url = reverse("staff:activity_create", kwargs={"partnership": world.partnership.slug})
    data = {
        "kind": "learning_seminar",
        "title_sv": "Upphandling med social hänsyn",
        "starts_at": "2031-03-23T09:00",
        "ends_at": "2031-03-23T08:00",
        "offer_hours": "48",
        "registration_open": "on",
    }
    with translation.override("sv"):
        bad = client.post(url, data)
    text = bad.content.decode()
    assert bad.status_code == 200
    for message in (
        "The end cannot come before the start.",
        "Only activities on the public calendar take registrations.",
    ):
        with translation.override("sv"):
            swedish = translation.gettext(message)
        assert swedish != message and swedish in text
    assert not Activity.objects.filter(title_sv="Upphandling med social hänsyn").exists()
    good = client.post(url, {**data, "ends_at": "2031-03-23T15:00", "is_public": "on"})
    assert good.status_code == 302
    activity = Activity.objects.get(title_sv="Upphandling med social hänsyn")
    assert timezone.localtime(activity.starts_at).hour == 9
    assert activity.registration_open and activity.is_public
