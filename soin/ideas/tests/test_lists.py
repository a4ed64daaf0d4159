"""The staff list of ideas is drawn once for each choice of filters and kept until anything it
shows changes: an idea, its challenges, its municipality, the organisation it was referred to,
its handler, the people who can be chosen as handlers. Whoever asks sees only what they may see,
in their own language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from soin.core.testing import login, make_user
from soin.ideas import selectors, services
from soin.ideas.models import Challenge
from soin.regions.models import Municipality

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, user)
    return client


def listing(client: Client, **params: object) -> str:
    url = reverse("staff:idea_list", kwargs={"partnership": "orebro"})
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def results(page: str) -> str:
    """The filters and the table of a page of the list (the page around them holds a fresh
    form key each time)."""
    return page[page.index('<form class="filters"') : page.index("</table>")]


def test_the_same_list_again_is_not_drawn_again(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    first = listing(advisor)
    assert "Lånecykelpool" in first

    def refused(**kwargs: object) -> None:
        raise AssertionError("the list was drawn again")

    monkeypatch.setattr(selectors, "ideas_for", refused)
    assert results(listing(advisor)) == results(first)
    # Other filters are another list.
    with pytest.raises(AssertionError, match="drawn again"):
        listing(advisor, stage="referred")


def test_a_change_to_anything_the_list_shows_is_shown_at_once(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    idea = world.idea
    assert "Lånecykelpool" in listing(advisor)
    # The idea itself: its stage and handler.
    services.idea_move(idea=idea, actor=world.users["advisor"], move="take")
    page = listing(advisor)
    assert "Under rådgivning" in page and ">advisor<" in page.replace("<td>", ">")
    # The handler's name.
    handler = world.users["advisor"]
    handler.full_name = "Rådgivare Nyberg"
    handler.save()
    assert "Rådgivare Nyberg" in listing(advisor)
    # Its challenges, and a challenge's name.
    health = Challenge.objects.get(key="health")
    idea.challenges.add(health)
    health_name = health.name_sv
    assert health_name in listing(advisor)
    health.name_sv = "Hälsa och omsorg i hela länet"
    health.save()
    assert "Hälsa och omsorg i hela länet" in listing(advisor)
    # The municipality's name.
    town = Municipality.objects.filter(region=world.partnership.region).first()
    idea.municipality = town
    idea.save()
    assert town.name in listing(advisor)
    town.name = "Nya Lindesberg"
    town.save()
    assert "Nya Lindesberg" in listing(advisor)
    # The name of the organisation an idea was referred to.
    world.own_org.name = "Hällefors kommun, kultur"
    world.own_org.save()
    assert "Hällefors kommun, kultur" in listing(advisor)


def test_a_new_adviser_can_be_chosen_in_the_filter_at_once(world) -> None:  # type: ignore[no-untyped-def]
    from soin.accounts.models import Role

    advisor = client_for(world.users["advisor"])
    assert "Ny Rådgivare" not in listing(advisor)
    newcomer = make_user("ny@example.org", Role.Kind.ADVISOR, world.partnership)
    newcomer.full_name = "Ny Rådgivare"
    newcomer.save()
    assert "Ny Rådgivare" in listing(advisor)
    Role.objects.filter(user=newcomer).delete()
    assert "Ny Rådgivare" not in listing(advisor)


def test_each_person_sees_their_own_ideas_in_their_own_language(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world.users["advisor"])
    contact = client_for(world.users["partner_contact"])
    assert "Lånecykelpool" in listing(advisor) and "Kulturfestival" in listing(advisor)
    # A partner contact, after an adviser drew the same list, sees only what was referred to
    # their organisation.
    page = listing(contact)
    assert "Kulturfestival" in page and "Lånecykelpool" not in page
    english = client_for(world.users["advisor"])
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(reverse("staff:idea_list", kwargs={"partnership": "orebro"})).content
    assert "All stages" in page.decode() and "Alla steg" in listing(advisor)


def test_the_work_lists_indexes_cover_exactly_the_open_stages() -> None:
    from soin.ideas.models import OPEN_STAGES
    from soin.ideas.workflow import OPEN

    assert sorted(OPEN_STAGES) == sorted(OPEN)


def test_logging_in_keeps_the_drawn_lists(world) -> None:  # type: ignore[no-untyped-def]
    from soin.core.models import AggregateStamp

    handler = world.users["advisor"]
    handler.full_name = "Rådgivare Nyberg"
    handler.save()
    before = dict(AggregateStamp.objects.values_list("source", "token"))
    client_for(world.users["coordinator"])  # the login writes the time on the person
    assert dict(AggregateStamp.objects.values_list("source", "token")) == before
    assert "idea_list:shared" in before
