"""The bank's search understands Swedish and English on the demo: inflections, compounds,
accents and spelling variants, English irregular plurals and typos; the best match first
while searching; a correction or the nearest matches rather than an empty page; the words
found marked. Run on SQLite and on PostgreSQL: the expected answers are written once."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from soin.knowledge import selectors

pytestmark = pytest.mark.django_db

SOCIAL_ENTERPRISE = "Socialt företag för kvinnor långt från arbetsmarknaden"
GUIDES = "Integrationsguider i Fellingsbro"
CAFE = "Café av och för personer med olika funktionsförutsättningar"
SERVICE_POINT = "Bygdens gemensamma servicepunkt"

# (language, query, the entry it must find): what a new reader tried on the demo.
FOUND = [
    ("sv", "sociala företag", SOCIAL_ENTERPRISE),
    ("sv", "sociala", SOCIAL_ENTERPRISE),
    ("sv", "social", SOCIAL_ENTERPRISE),
    ("sv", "socialt", SOCIAL_ENTERPRISE),
    ("sv", "integration", GUIDES),
    ("sv", "cafe", CAFE),
    ("sv", "kafe", CAFE),
    ("sv", "kafé", CAFE),
    ("en", "cafe", CAFE),
    ("en", "woman", SOCIAL_ENTERPRISE),
    ("sv", "inegration", GUIDES),
    # More of the same kinds.
    ("sv", "foretag", SOCIAL_ENTERPRISE),
    ("sv", "arbetsintegrering", SOCIAL_ENTERPRISE),
    ("sv", "forskningscirklar", SERVICE_POINT),
    ("sv", "lanbygd", SERVICE_POINT),
    ("sv", "caféer", CAFE),
    ("sv", "guide", GUIDES),
    ("en", "cafes", CAFE),
    ("en", "women", SOCIAL_ENTERPRISE),
    ("en", "guides", GUIDES),
]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())


def page(client: Client, language: str, **params: str) -> str:
    return client.get(f"/{language}/bank/", params).content.decode()


def unmarked(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


def test_each_query_finds_its_entry(demo) -> None:  # type: ignore[no-untyped-def]
    for language, query, title in FOUND:
        results = selectors.bank_search(partnership=None, query=query, language=language)
        assert title in [e.title_sv for e in results.entries], (language, query)


def test_a_search_puts_the_best_match_first_unless_the_reader_chose_an_order(client, demo) -> None:  # type: ignore[no-untyped-def]
    # The form as a browse shows it: its order chooses nothing, so a search sent from it
    # puts the entry with the words in its title before the newer one with them in its
    # summary.
    browse = page(client, "sv")
    selected = re.search(r'<option value="([^"]*)" selected>', browse)
    assert selected is not None
    searched = unmarked(page(client, "sv", q="socialt företag", sort=selected.group(1)))
    assert searched.index(SOCIAL_ENTERPRISE) < searched.index(CAFE)
    # An order the reader chose is kept, and shown chosen.
    newest = unmarked(page(client, "sv", q="socialt företag", sort="newest"))
    assert newest.index(CAFE) < newest.index(SOCIAL_ENTERPRISE)
    assert '<option value="newest" selected>' in newest
    # Without words, the newest first.
    results = selectors.bank_search(partnership=None, query="", language="sv")
    assert results.sort == "newest"


def test_an_unknown_word_is_corrected_and_the_correction_offered(client, demo) -> None:  # type: ignore[no-untyped-def]
    found = page(client, "sv", q="inegration")
    assert 'Menade du <a href="?q=integration">integration</a>?' in found
    assert "Integrationsguider</mark> i Fellingsbro" in found


def test_words_no_entry_has_together_offer_the_nearest_matches(client, demo) -> None:  # type: ignore[no-untyped-def]
    found = page(client, "sv", q="kafé fellingsbro")
    assert "Ingen post innehåller alla orden" in found
    assert "<mark>Café</mark> av och för" in found
    assert "Fellingsbro" in found
    results = selectors.bank_search(partnership=None, query="kafé fellingsbro", language="sv")
    assert results.nearest and results.total == 2


def test_words_that_find_nothing_together_or_apart_say_nothing_was_found(client, demo) -> None:  # type: ignore[no-untyped-def]
    query = "loneliness among elderly"
    results = selectors.bank_search(partnership=None, query=query, language="en")
    assert results.total == 0 and not results.nearest
    found = page(client, "en", q=query)
    assert "No published entry matches" in found
    # Not "these have some of them" above an empty list.
    assert "These have some of them" not in found


def test_the_words_found_are_marked_in_their_own_form(client, demo) -> None:  # type: ignore[no-untyped-def]
    assert "<mark>Integrationsguider</mark> i Fellingsbro" in page(client, "sv", q="integration")
    assert "<mark>Café</mark> av och för" in page(client, "sv", q="kafe")
    assert "<mark>Socialt</mark> <mark>företag</mark>" in page(client, "sv", q="sociala företag")
    assert "for <mark>women</mark> far from" in page(client, "en", q="woman")


def test_the_api_searches_the_same_way_and_says_what_it_corrected(client, demo) -> None:  # type: ignore[no-untyped-def]
    found = client.get("/api/v1/innovations", {"q": "inegration", "lang": "sv"}).json()
    assert found["corrected"] == "integration" and not found["nearest"]
    assert [r["title_sv"] for r in found["results"]] == [GUIDES]
    found = client.get("/api/v1/innovations", {"q": "woman", "lang": "en"}).json()
    assert found["sort"] == "relevance" and found["corrected"] == ""
    assert [r["title_sv"] for r in found["results"]] == [SOCIAL_ENTERPRISE]
