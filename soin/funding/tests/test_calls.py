"""Funding calls through the back office: watching one, the checks, the list with its filters,
the exports and the deadlines' calendar, and the suggested ideas and partners."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from soin.audit.models import AuditEntry
from soin.funding import selectors, services
from soin.funding.models import FundingCall
from soin.ideas import services as idea_services
from soin.ideas.models import Challenge
from soin.partners.models import Organisation

pytestmark = pytest.mark.django_db


def url(world, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"staff:{name}", kwargs={"partnership": world.partnership.slug, **kwargs})


def call_data(world, **changes) -> dict:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "title": "Interreg Östersjön: sociala företag",
        "funder": "Interreg Baltic Sea Region",
        "programme": "interreg",
        "url": "https://example.org/interreg",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=40)).isoformat(),
        "themes": "Sociala företag",
        "challenges": [Challenge.objects.get(partnership__isnull=True, key="health").pk],
        "watcher": world.users["advisor"].pk,
        "interested": [world.own_org.pk],
        "remind_days": "10",
    }
    data.update(changes)
    return data


def test_an_advisor_watches_a_call_and_it_shows_in_the_list(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("advisor")
    response = client.post(url(world, "funding_call_create"), call_data(world))
    call = FundingCall.objects.get(title="Interreg Östersjön: sociala företag")
    assert response.status_code == 302
    assert response["Location"] == url(world, "funding_call_detail", pk=call.pk)
    assert list(call.interested.all()) == [world.own_org]
    assert call.watcher == world.users["advisor"]
    assert call.remind_days == 10
    assert AuditEntry.objects.filter(action="funding_call.create", object_pk=str(call.pk)).exists()
    page = client.get(url(world, "funding_call_list"), {"programme": "interreg"})
    assert [c.pk for c in page.context["calls"]] == [call.pk]
    assert "Interreg Östersjön" in page.content.decode()


def test_a_call_that_closes_before_it_opens_is_refused_and_nothing_is_kept(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("coordinator")
    today = timezone.localdate()
    response = client.post(
        url(world, "funding_call_create"),
        call_data(
            world,
            opens_on=today.isoformat(),
            closes_on=(today - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["closes_on"] == ["The call cannot close before it opens."]
    assert not FundingCall.objects.filter(title="Interreg Östersjön: sociala företag").exists()
    # A partner contact cannot be the one watching a call.
    with pytest.raises(ValidationError) as error:
        services.call_create(
            partnership=world.partnership,
            actor=world.users["coordinator"],
            title="X",
            funder="Y",
            programme="other",
            closes_on=today,
            watcher=world.users["partner_contact"],
        )
    assert set(error.value.message_dict) == {"watcher"}
    assert not FundingCall.objects.filter(title="X").exists()


def test_a_partner_contact_reads_calls_but_cannot_enter_them(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("partner_contact")
    assert (
        client.get(url(world, "funding_call_detail", pk=world.funding_call.pk)).status_code == 200
    )
    assert client.post(url(world, "funding_call_create"), call_data(world)).status_code == 403
    assert client.get(url(world, "funding_call_edit", pk=world.funding_call.pk)).status_code == 403


def test_a_challenge_of_another_partnership_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    foreign = idea_services.challenge_add(
        partnership=world.other_partnership, actor=None, name_sv="Skog", name_en="Forest"
    )
    with pytest.raises(ValidationError, match="shared challenges or this partnership"):
        services.call_update(
            call=world.funding_call, actor=world.users["coordinator"], challenges=[foreign]
        )
    assert foreign not in world.funding_call.challenges.all()


def test_the_list_says_open_closing_soon_and_closed_and_filters_by_challenge(
    world, as_role
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    coordinator = world.users["coordinator"]
    health = Challenge.objects.get(partnership__isnull=True, key="health")
    base = {"funder": "Vinnova", "programme": "vinnova", "watcher": coordinator}
    soon = services.call_create(
        partnership=world.partnership,
        actor=coordinator,
        title="Snart",
        closes_on=today + datetime.timedelta(days=5),
        challenges=[health],
        **base,
    )
    closed = services.call_create(
        partnership=world.partnership,
        actor=coordinator,
        title="Stängd",
        closes_on=today - datetime.timedelta(days=5),
        **base,
    )
    client = as_role("partner_contact")
    page = client.get(url(world, "funding_call_list"))
    states = {c.title: c.state for c in page.context["calls"]}
    assert states == {
        "Snart": "closing_soon",
        world.funding_call.title: "open",
        "Stängd": "closed",
    }
    # Soonest deadline first, the closed ones last.
    assert [c.pk for c in page.context["calls"]] == [soon.pk, world.funding_call.pk, closed.pk]
    assert "Closing soon" in page.content.decode()
    by_challenge = client.get(url(world, "funding_call_list"), {"challenge": health.pk})
    assert [c.pk for c in by_challenge.context["calls"]] == [soon.pk]
    landing = client.get(url(world, "funding"))
    assert [c.pk for c in landing.context["closing"]] == [soon.pk]


def test_the_suggestions_rank_ideas_and_partners_by_the_challenges_they_share(
    world, as_role
) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    climate = Challenge.objects.get(partnership__isnull=True, key="climate")
    food = Challenge.objects.get(partnership__isnull=True, key="food-bioeconomy")
    regional = world.regional_challenge
    # The world's idea shares both of the call's challenges; the referred one only one.
    idea_services.idea_document(idea=world.idea, actor=coordinator, challenges=[climate, regional])
    idea_services.idea_document(idea=world.referred_idea, actor=coordinator, challenges=[climate])
    # An idea sharing none is not suggested; a dropped one neither.
    other = idea_services.idea_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="outreach",
        received_on=datetime.date(2017, 6, 1),
        title="Matkassar",
        description="Mat till fler.",
        carrier_category="association",
    )
    idea_services.idea_document(idea=other, actor=coordinator, challenges=[food])
    # A partner interested in an earlier call with the regional challenge.
    folk = Organisation.objects.create(
        partnership=world.partnership, name="Folkhögskolan", slug="folkhogskolan", kind="other"
    )
    services.call_create(
        partnership=world.partnership,
        actor=coordinator,
        title="Tidigare utlysning",
        funder="Jordbruksverket",
        programme="leader",
        closes_on=timezone.localdate() - datetime.timedelta(days=300),
        challenges=[regional],
        interested=[folk],
    )
    client = as_role("coordinator")
    page = client.get(url(world, "funding_call_detail", pk=world.funding_call.pk))
    ideas = page.context["idea_suggestions"]
    assert [s.item.pk for s in ideas] == [world.idea.pk, world.referred_idea.pk]
    assert {c.pk for c in ideas[0].challenges} == {climate.pk, regional.pk}
    partners = page.context["partner_suggestions"]
    # Hällefors kommun had the referred idea (climate); the folk high school was interested in
    # an earlier call (regional). Coompanion is already interested in this call: not repeated.
    assert [s.item.name for s in partners] == ["Folkhögskolan", "Hällefors kommun"]
    assert any("referred" in r for r in partners[1].reasons)
    assert any("Tidigare utlysning" in r for r in partners[0].reasons)
    body = page.content.decode()
    assert "Lånecykelpool" in body and "Matkassar" not in body
    # A partner contact does not see ideas, but sees the partners to ask.
    contact_page = as_role("partner_contact").get(
        url(world, "funding_call_detail", pk=world.funding_call.pk)
    )
    assert "Lånecykelpool" not in contact_page.content.decode()
    assert "Folkhögskolan" in contact_page.content.decode()


def test_a_partner_contact_is_not_told_the_titles_of_ideas_they_may_not_see(world, as_role) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    climate = Challenge.objects.get(partnership__isnull=True, key="climate")
    folk = Organisation.objects.create(
        partnership=world.partnership, name="Folkhögskolan", slug="folkhogskolan", kind="other"
    )
    secret = idea_services.idea_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="outreach",
        received_on=datetime.date(2017, 6, 1),
        title="Hemlig matbank",
        description="Mat till fler.",
        carrier_category="association",
    )
    secret = idea_services.idea_move(idea=secret, actor=coordinator, move="take")
    secret = idea_services.idea_move(idea=secret, actor=coordinator, move="refer", referred_to=folk)
    idea_services.idea_document(idea=secret, actor=coordinator, challenges=[climate])
    page_url = url(world, "funding_call_detail", pk=world.funding_call.pk)
    staff = as_role("advisor").get(page_url).content.decode()
    assert "Hemlig matbank" in staff
    contact = as_role("partner_contact").get(page_url)
    body = contact.content.decode()
    # The school is still suggested, without naming the idea referred to it.
    assert "Folkhögskolan" in body and "Hemlig matbank" not in body
    assert all(s.item.pk != secret.pk for s in contact.context["idea_suggestions"])


def test_the_calls_export_and_the_deadlines_calendar(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("national_coordinator")
    csv = client.get(url(world, "funding_call_export"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert world.funding_call.title in text and "Tillväxtverket" in text
    xlsx = client.get(url(world, "funding_call_export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    ics = client.get(url(world, "funding_call_ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(ics.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == world.funding_call.closes_on
    assert world.funding_call.title in str(events[0]["summary"])


def test_the_suggestions_read_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    call = selectors.call_get_for(
        user=world.users["coordinator"], partnership=world.partnership, pk=world.funding_call.pk
    )
    with django_assert_max_num_queries(8):
        selectors.call_suggestions(call=call)
