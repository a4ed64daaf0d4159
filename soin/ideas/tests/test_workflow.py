"""The advisory process of annex 9, walked through the back office's HTTP interface."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from soin.audit.models import AuditEntry
from soin.core.testing import login
from soin.ideas.models import Idea, IdeaEvent
from soin.ideas.workflow import MOVES

S = Idea.Stage


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, user)
    return client


def move(client: Client, idea: Idea, name: str, **data: object):  # type: ignore[no-untyped-def]
    url = reverse(
        "staff:idea_move",
        kwargs={"partnership": idea.partnership.slug, "pk": idea.pk, "move": name},
    )
    return client.post(url, data, follow=True)


def stage(idea: Idea) -> str:
    idea.refresh_from_db()
    return idea.stage


PATHS = [
    # register → advice → clarify → refined by the carrier → development → disseminated
    ["take", "clarify", "refined", "develop", "disseminate"],
    # advice → referred to another advisor (a partner) → development
    ["take", "refer", "develop"],
    # advice → clarify → referred
    ["take", "clarify", "refer"],
    # advice → dropped → reopened → development
    ["take", "drop", "reopen", "develop"],
    # dropped straight after registration
    ["drop"],
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(p))
def test_every_path_of_the_advisory_process(world, path) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    idea = world.idea
    assert idea.stage == S.REGISTERED
    for name in path:
        data = {"note": "Därför."}
        if name == "refer":
            data["referred_to"] = world.own_org.pk
        response = move(advisor, idea, name, **data)
        assert response.status_code == 200
        assert stage(idea) == MOVES[name].target, name
    moved = list(idea.events.filter(kind=IdeaEvent.Kind.MOVED).order_by("pk"))[-len(path) :]
    assert [e.to_stage for e in moved] == [MOVES[n].target for n in path]
    assert all(e.actor == world.users["advisor"] for e in moved)
    assert AuditEntry.objects.filter(
        object_pk=str(idea.pk), model="ideas.idea", action=f"idea.{path[-1]}"
    ).exists()


def test_a_step_the_stage_does_not_allow_is_refused_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    idea = world.idea
    events = idea.events.count()
    response = move(advisor, idea, "disseminate")
    assert "kan inte gå vidare med" in response.content.decode()
    assert stage(idea) == S.REGISTERED
    assert idea.events.count() == events


def test_dropping_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    response = move(advisor, world.idea, "drop", note="  ")
    assert stage(world.idea) == S.REGISTERED
    assert "Ange varför." in response.content.decode()
    move(advisor, world.idea, "drop", note="Finns redan i kommunen.")
    assert stage(world.idea) == S.DROPPED
    assert world.idea.events.last().note == "Finns redan i kommunen."


def test_referring_needs_a_partner_of_the_partnership(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    move(advisor, world.idea, "take")
    foreign = world.other_partnership.organisations.first()
    move(advisor, world.idea, "refer", referred_to=foreign.pk)
    assert stage(world.idea) == S.IN_ADVICE
    move(advisor, world.idea, "refer")
    assert stage(world.idea) == S.IN_ADVICE


def test_a_partner_contact_sees_only_ideas_referred_to_their_organisation(world) -> None:  # type: ignore[no-untyped-def]
    contact = client_for(world.users["partner_contact"])
    listing = contact.get(reverse("staff:idea_list", kwargs={"partnership": "orebro"}))
    page = listing.content.decode()
    assert "Kulturfestival" in page and "Lånecykelpool" not in page
    detail = reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": world.idea.pk})
    assert contact.get(detail).status_code == 404
    # The receiving partner takes the referred idea on into development and records it.
    response = move(contact, world.referred_idea, "develop")
    assert response.status_code == 200
    assert stage(world.referred_idea) == S.IN_DEVELOPMENT
    # But may not drop it: that is the advisors' call.
    response = contact.post(
        reverse(
            "staff:idea_move",
            kwargs={"partnership": "orebro", "pk": world.referred_idea.pk, "move": "drop"},
        ),
        {"note": "x"},
    )
    assert response.status_code == 403


def test_the_national_coordinator_reads_but_does_not_move(world) -> None:  # type: ignore[no-untyped-def]
    national = client_for(world.users["national_coordinator"])
    detail = reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": world.idea.pk})
    assert national.get(detail).status_code == 200
    url = reverse(
        "staff:idea_move", kwargs={"partnership": "orebro", "pk": world.idea.pk, "move": "take"}
    )
    assert national.post(url).status_code == 403
    assert stage(world.idea) == S.REGISTERED


def test_escalation_and_outcome(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    idea = world.idea
    url = reverse("staff:idea_escalate", kwargs={"partnership": "orebro", "pk": idea.pk})
    advisor.post(url, {"note": ""})
    idea.refresh_from_db()
    assert idea.tier == Idea.Tier.PRIMARY
    advisor.post(url, {"note": "Spänner över flera områden."})
    idea.refresh_from_db()
    assert idea.tier == Idea.Tier.EXTENDED
    outcome = reverse("staff:idea_outcome", kwargs={"partnership": "orebro", "pk": idea.pk})
    advisor.post(outcome, {"outcome": "outside_body", "note": ""})
    idea.refresh_from_db()
    assert idea.outcome == ""
    advisor.post(outcome, {"outcome": "outside_body", "note": "Innovationsslussen"})
    idea.refresh_from_db()
    assert (idea.outcome, idea.outcome_note) == ("outside_body", "Innovationsslussen")


def test_documenting_shows_what_is_missing(world) -> None:  # type: ignore[no-untyped-def]
    from soin.ideas.models import Challenge

    advisor = client_for(world.users["advisor"])
    idea = world.idea
    detail = reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": idea.pk})
    assert len(idea.missing_documentation()) == 5
    health = Challenge.objects.get(key="health")
    advisor.post(
        reverse("staff:idea_document", kwargs={"partnership": "orebro", "pk": idea.pk}),
        {"solution_type": "service", "challenges": [health.pk], "new_for": "region"},
    )
    idea.refresh_from_db()
    assert list(idea.challenges.all()) == [health]
    missing = idea.missing_documentation()
    assert len(missing) == 2
    page = advisor.get(detail).content.decode()
    assert "Hälsa, demografiska förändringar och välbefinnande" in page


def test_the_contact_log(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    url = reverse("staff:idea_contact_add", kwargs={"partnership": "orebro", "pk": world.idea.pk})
    advisor.post(url, {"happened_on": "2017-05-03", "means": "phone", "summary": ""})
    assert world.idea.contacts.count() == 0
    advisor.post(
        url,
        {
            "happened_on": "2017-05-03",
            "means": "phone",
            "summary": "Idébäraren vill starta till hösten.",
        },
    )
    [contact] = world.idea.contacts.all()
    assert contact.actor == world.users["advisor"]
    assert world.idea.events.filter(kind="contact").count() == 1


@pytest.mark.parametrize("count", [5, 40])
def test_the_idea_list_costs_the_same_queries_at_any_size(  # type: ignore[no-untyped-def]
    world, count, django_assert_max_num_queries
) -> None:
    from soin.ideas import services
    from soin.ideas.models import Challenge

    health = Challenge.objects.get(key="health")
    for i in range(count):
        idea = services.idea_register(
            partnership=world.partnership,
            actor=world.users["advisor"],
            channel="phone",
            received_on=world.idea.received_on,
            title=f"Idé {i}",
            description="…",
            carrier_category="private",
        )
        idea.challenges.add(health)
    advisor = client_for(world.users["advisor"])
    url = reverse("staff:idea_list", kwargs={"partnership": "orebro"})
    # Drawn: one of them finds the authenticator app that verified the login, one counts the
    # ideas for the caption (the list shows a page at a time), seven look for the drawing in
    # the cache and keep it there.
    with django_assert_max_num_queries(19):
        response = advisor.get(url)
    assert response.content.decode().count("Idé ") >= count
    # Drawn before: the login, the stamp of the ideas and the drawing.
    with django_assert_max_num_queries(7):
        again = advisor.get(url)
    assert again.content.decode().count("Idé ") >= count


def test_registering_ten_ideas_in_a_row_keeps_place_and_date(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    url = reverse("staff:idea_register", kwargs={"partnership": "orebro"})
    for i in range(10):
        response = advisor.post(
            url,
            {
                "channel": "outreach",
                "received_on": "2017-05-09",
                "title": f"Idé {i}",
                "description": "Från husvagnen.",
                "carrier_category": "private",
                "another": "1",
            },
        )
        assert response.status_code == 302
        assert "channel=outreach" in response["Location"]
        assert "received_on=2017-05-09" in response["Location"]
    assert Idea.objects.filter(received_on="2017-05-09", channel="outreach").count() == 10
    numbers = set(Idea.objects.filter(received_on="2017-05-09").values_list("number", flat=True))
    assert len(numbers) == 10 and all(n.startswith("2017-") for n in numbers)
    page = advisor.get(response["Location"]).content.decode()
    assert 'value="2017-05-09"' in page


def test_the_list_filters_by_handler_stage_and_challenge(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    move(advisor, world.idea, "take")
    url = reverse("staff:idea_list", kwargs={"partnership": "orebro"})
    page = advisor.get(url, {"handler": world.users["advisor"].pk}).content.decode()
    assert "Lånecykelpool" in page and "Kulturfestival" not in page
    page = advisor.get(url, {"stage": "referred"}).content.decode()
    assert "Kulturfestival" in page and "Lånecykelpool" not in page


def test_coordinators_add_regional_challenges_and_remove_unused_ones(world) -> None:  # type: ignore[no-untyped-def]
    from soin.ideas.models import Challenge

    coordinator = client_for(world.users["coordinator"])
    url = reverse("staff:challenges", kwargs={"partnership": "orebro"})
    coordinator.post(url, {"name_sv": "Kompetensförsörjning", "name_en": "Skills supply"})
    regional = Challenge.objects.get(partnership=world.partnership, name_sv="Kompetensförsörjning")
    page = coordinator.post(url, {"name_sv": "kompetensförsörjning"}).content.decode()
    assert "redan" in page
    # It can be chosen when documenting ideas of this partnership, not of another.
    advisor = client_for(world.users["advisor"])
    document = reverse("staff:idea_document", kwargs={"partnership": "orebro", "pk": world.idea.pk})
    assert "Kompetensförsörjning" in advisor.get(document).content.decode()
    advisor.post(document, {"challenges": [regional.pk]})
    assert list(world.idea.challenges.all()) == [regional]
    remove = reverse("staff:challenge_remove", kwargs={"partnership": "orebro", "pk": regional.pk})
    coordinator.post(remove)
    assert Challenge.objects.filter(pk=regional.pk).exists()  # an idea uses it
    shared = Challenge.objects.get(key="health")
    coordinator.post(
        reverse("staff:challenge_remove", kwargs={"partnership": "orebro", "pk": shared.pk})
    )
    assert Challenge.objects.filter(pk=shared.pk).exists()
    world.idea.challenges.clear()
    coordinator.post(remove)
    assert not Challenge.objects.filter(pk=regional.pk).exists()


def test_a_partner_works_on_an_idea_only_while_it_is_with_them(world) -> None:  # type: ignore[no-untyped-def]
    contact = client_for(world.users["partner_contact"])
    advisor = client_for(world.users["advisor"])
    idea = world.referred_idea
    detail = reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": idea.pk})
    page = contact.get(detail).content.decode()
    assert "Kontaktlogg" in page and "Finns det liknande lösningar?" not in page
    move(advisor, idea, "drop", note="Inte längre aktuell")
    move(advisor, idea, "reopen", note="Idébäraren hörde av sig igen")
    assert stage(idea) == S.IN_ADVICE
    response = contact.post(
        reverse(
            "staff:idea_move", kwargs={"partnership": "orebro", "pk": idea.pk, "move": "develop"}
        )
    )
    assert response.status_code == 403
    assert stage(idea) == S.IN_ADVICE


def test_the_national_coordinator_does_not_see_the_carrier(world) -> None:  # type: ignore[no-untyped-def]
    national = client_for(world.users["national_coordinator"])
    detail = reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": world.idea.pk})
    page = national.get(detail).content.decode()
    assert "070-174 06 60" not in page and "Idé Bärare" not in page
    assert client_for(world.users["advisor"]).get(detail).content.decode().count("Idé Bärare")


def test_the_idea_list_pages_through_every_idea_once_each_way(world) -> None:  # type: ignore[no-untyped-def]
    from soin.core.paging import PER_PAGE
    from soin.ideas import services
    from soin.ideas.models import Idea

    for i in range(PER_PAGE + 7):
        services.idea_register(
            partnership=world.partnership,
            actor=world.users["advisor"],
            channel="phone",
            # Several on each day: the order falls back on the number in the register.
            received_on=datetime.date(2025, 3, 1 + i % 5),
            title=f"Sida {i}",
            description="…",
            carrier_category="private",
        )
    total = Idea.objects.filter(partnership=world.partnership, merged_into__isnull=True).count()
    advisor = client_for(world.users["advisor"])
    url = reverse("staff:idea_list", kwargs={"partnership": "orebro"})
    seen: list[str] = []
    query = ""
    pages = 0
    while True:
        response = advisor.get(f"{url}?{query}")
        html = response.content.decode()
        pages += 1
        seen += re.findall(r'href="/staff/orebro/ideas/(\d+)/"', html)
        found = re.search(r'href="\?([^"]*)" rel="next"', html)
        if not found:
            break
        query = found.group(1).replace("&amp;", "&")
    assert pages == 2 and len(seen) == len(set(seen)) == total
    back = re.search(r'href="\?([^"]*)" rel="prev"', html)
    assert back is not None
    first = advisor.get(f"{url}?{back.group(1).replace('&amp;', '&')}").content.decode()
    assert re.findall(r'href="/staff/orebro/ideas/(\d+)/"', first) == seen[:PER_PAGE]
    # A key that cannot be read gives the first page, not an error.
    assert advisor.get(f"{url}?after=not-a-key").status_code == 200


def test_each_section_of_the_work_list_pages_on_its_own(world) -> None:  # type: ignore[no-untyped-def]
    from soin.ideas import services
    from soin.ideas.selectors import INBOX_PER_PAGE

    for i in range(INBOX_PER_PAGE + 3):
        services.idea_register(
            partnership=world.partnership,
            actor=world.users["advisor"],
            channel="phone",
            received_on=datetime.date(2025, 4, 1 + i % 9),
            title=f"Väntar {i}",
            description="…",
            carrier_category="private",
        )
    advisor = client_for(world.users["advisor"])
    url = reverse("staff:idea_inbox", kwargs={"partnership": "orebro"})
    html = advisor.get(url).content.decode()

    def waiting(page: str) -> list[str]:
        section = page.split('id="h-waiting"')[1].split("<section")[0]
        return re.findall(r'href="/staff/orebro/ideas/(\d+)/"', section)

    first = waiting(html)
    assert len(first) == INBOX_PER_PAGE
    # The waiting section's own pager, named for it (a page with three has three names).
    assert 'aria-label="Sidor med idéerna som väntar på en rådgivare"' in html
    found = re.search(r'href="\?([^"]*waiting_after[^"]*)" rel="next"', html)
    assert found is not None
    rest = waiting(advisor.get(f"{url}?{found.group(1).replace('&amp;', '&')}").content.decode())
    assert rest and not set(rest) & set(first)
    assert len(first) + len(rest) >= INBOX_PER_PAGE + 3
