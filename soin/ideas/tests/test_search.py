"""The staff list of ideas reads a search the way the knowledge bank does: inflections,
compounds, accents and spelling variants, English irregular plurals, every word counted."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.test import Client
from django.urls import reverse

from soin.core.testing import ADVISOR, login
from soin.ideas import selectors, services
from soin.partners import selectors as partner_selectors

pytestmark = pytest.mark.django_db

TITLES = {
    "social": ("Socialt företag för unga", "Unga driver ett företag tillsammans.", "sv"),
    "guides": ("Integrationsguider i Fellingsbro", "Guider visar nyanlända byn.", "sv"),
    "cafe": ("Café för nyanlända", "Ett ställe att träffas på.", "sv"),
    "network": ("A woman's network", "Meetings for mothers new to the town.", "en"),
    "food": ("Matkooperativ i Nora", "Vi köper mat tillsammans.", "sv"),
}


@pytest.fixture
def ideas(world):  # type: ignore[no-untyped-def]
    made = {}
    for key, (title, description, language) in TITLES.items():
        made[key] = services.idea_register(
            partnership=world.partnership,
            actor=world.users[ADVISOR],
            channel="email",
            received_on=datetime.date(2024, 3, 1),
            title=title,
            description=description,
            language=language,
            carrier_category="association",
        )
    return made


def found(world, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    ideas = selectors.ideas_for(
        user=world.users[ADVISOR], partnership=world.partnership, query=query
    )
    return {i.title for i in ideas}


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("sociala företag", "Socialt företag för unga"),
        ("socialt", "Socialt företag för unga"),
        ("integration", "Integrationsguider i Fellingsbro"),
        ("cafe", "Café för nyanlända"),
        ("kafé", "Café för nyanlända"),
        ("women", "A woman's network"),
        ("kooperativ", "Matkooperativ i Nora"),
        ("nyanland", "Café för nyanlända"),
        ("INTEGRATIONSGUIDE", "Integrationsguider i Fellingsbro"),
    ],
)
def test_a_search_finds_the_other_forms_of_its_words(world, ideas, query, title) -> None:  # type: ignore[no-untyped-def]
    assert title in found(world, query)


def test_every_word_of_a_search_must_match(world, ideas) -> None:  # type: ignore[no-untyped-def]
    assert found(world, "företag unga") == {"Socialt företag för unga"}
    assert found(world, "företag fellingsbro") == set()


def test_a_search_sharing_nothing_finds_nothing(world, ideas) -> None:  # type: ignore[no-untyped-def]
    assert found(world, "vindkraftverk") == set()
    # Nor does a word merely inside another word.
    assert found(world, "oper") == set()


def test_the_number_still_finds_its_idea(world, ideas) -> None:  # type: ignore[no-untyped-def]
    number = ideas["cafe"].number
    assert "Café för nyanlända" in found(world, number)
    assert found(world, number) == {"Café för nyanlända"}


def test_the_staff_list_page_searches_the_same_way(world, ideas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[ADVISOR])
    url = reverse("staff:idea_list", kwargs={"partnership": "orebro"})
    page = client.get(url, {"q": "sociala företag"}).content.decode()
    assert "Socialt företag för unga" in page
    assert "Integrationsguider" not in page


def test_the_ideas_there_before_are_searched_too(world, ideas) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    for name in (
        "soin.ideas.migrations.0012_idea_search_terms",
        "soin.partners.migrations.0004_organisation_search_terms",
    ):
        migration = importlib.import_module(name)
        model_name = "Idea" if "ideas" in name else "Organisation"
        apps.get_model(name.split(".")[1], model_name).objects.update(search_terms="")
        migration.fill(apps, None)
    assert found(world, "sociala företag") == {"Socialt företag för unga"}
    orgs = partner_selectors.organisations_for_staff(
        partnership=world.partnership, query="hallefors"
    )
    assert [o.name for o in orgs] == ["Hällefors kommun"]


def test_signs_in_a_search_mean_nothing(world, ideas) -> None:  # type: ignore[no-untyped-def]
    assert found(world, "100% _ föret[a]g.* ' \\ \x00") == set()
    assert found(world, "(företag)") == {"Socialt företag för unga"}
    # Stop words alone narrow nothing.
    assert len(found(world, "och för the")) == len(found(world, ""))
