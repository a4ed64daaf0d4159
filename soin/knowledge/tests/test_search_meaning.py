"""The bank's search by meaning as well as words (hybrid ranking): a query finds the entries
that say the same thing in other words, in either language, on the pages and in the API; with
the model off the search is by words alone, as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from soin.knowledge import search, selectors
from soin.knowledge.models import Entry
from soin.meaning import engine
from soin.meaning import selectors as meaning_selectors
from soin.meaning import services as meaning_services
from soin.meaning.tests.test_meaning import publish

LONELY = "Träffpunkt för ensamma äldre"
OTHERS = [
    ("Läxhjälp i biblioteket", "Studenter hjälper barn med läxor två kvällar i veckan."),
    ("Cykelverkstad för alla", "En förening lagar cyklar tillsammans med boende i området."),
    ("Solceller på skolans tak", "Eleverna räknar på hur mycket el taket ger under ett år."),
    ("Stadsodling på innergården", "Grannar odlar grönsaker i pallkragar på gården."),
]


@pytest.fixture
def bank(world: Any) -> dict[str, Entry]:
    entries = {
        LONELY: publish(
            world,
            title_sv=LONELY,
            summary_sv="Ensamma äldre i Hällefors träffas varje vecka för fika, samtal och "
            "promenader, så att ingen behöver sitta hemma ensam.",
        )
    }
    for title, summary in OTHERS:
        entries[title] = publish(world, title_sv=title, summary_sv=summary)
    return entries


def embedded() -> None:
    meaning_services.vectors_update(kind="entry")
    cache.clear()


def titles(results: search.Results) -> list[str]:
    return [e.title_sv or e.title_en for e in results.entries]


@pytest.mark.parametrize(
    ("language", "query"),
    [("sv", "isolerade pensionärer"), ("en", "loneliness among elderly people")],
)
def test_a_query_in_other_words_finds_the_entry_only_by_meaning(
    bank: dict[str, Entry], settings: Any, language: str, query: str
) -> None:
    # The model off (the default in the tests): not a word in common, nothing found.
    words_alone = selectors.bank_search(partnership=None, query=query, language=language)
    assert LONELY not in titles(words_alone)
    assert words_alone.meaning == []
    settings.SOIN_EMBEDDINGS = True
    settings.SOIN_EMBEDDING_MODEL = ""
    engine.forget()
    meaning_selectors.forget()
    try:
        embedded()
        results = selectors.bank_search(partnership=None, query=query, language=language)
    finally:
        engine.forget()
        meaning_selectors.forget()
    assert titles(results)[0] == LONELY
    assert bank[LONELY].pk in results.meaning
    # Counted and faceted with the rest: the entry is one of the matches.
    assert results.total == len(results.entries)
    solution = {f.name: f for f in results.facets}["solution"]
    assert sum(o.count for o in solution.options) == results.total
    # No word of the query is in the entry: nothing to mark, and the page says why it is there.
    assert results.in_other_words == [bank[LONELY].pk]
    assert "<mark>" not in search.highlight(LONELY, results.terms, language)


def test_words_and_meaning_together_rank_first_and_words_are_marked(
    bank: dict[str, Entry], meaning: Any
) -> None:
    embedded()
    results = selectors.bank_search(partnership=None, query="ensamma pensionärer", language="sv")
    assert titles(results)[0] == LONELY
    assert bank[LONELY].pk in results.meaning and bank[LONELY].pk not in results.in_other_words
    assert "<mark>Ensamma</mark>" in str(
        search.highlight(bank[LONELY].summary_sv, results.terms, "sv")
    )


def test_the_api_returns_the_hybrid_order(bank: dict[str, Entry], meaning: Any) -> None:
    embedded()
    for query in ("isolerade pensionärer", "ensamma pensionärer läxor"):
        response = Client().get("/api/v1/innovations", {"q": query, "lang": "sv"})
        assert response.status_code == 200
        body = response.json()
        expected = selectors.bank_search(partnership=None, query=query, language="sv")
        assert [r["title_sv"] for r in body["results"]] == titles(expected)
        assert body["results"][0]["title_sv"] == LONELY
        assert body["count"] == expected.total == len(body["results"])


def test_a_repeated_query_is_not_embedded_again_and_asks_as_often_with_more_entries(
    world: Any, bank: dict[str, Entry], meaning: Any, monkeypatch: Any
) -> None:
    embedded()
    calls: list[list[str]] = []
    real = engine.embed

    def counted(texts: list[str]) -> Any:
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(engine, "embed", counted)
    counts = []
    for more in (0, 8):
        for n in range(more):
            publish(world, title_sv=f"Cykelkök {n}", summary_sv="Vi lagar cyklar ihop.")
        embedded() if more else None
        selectors.bank_search(partnership=None, query="Isolerade  pensionärer", language="sv")
        with CaptureQueriesContext(connection) as captured:
            results = selectors.bank_search(
                partnership=None, query="isolerade pensionärer", language="sv"
            )
        counts.append(len(captured))
        assert LONELY in titles(results)
    assert counts[0] == counts[1]
    # Embedded once per cache: case and spacing do not make another query.
    asked = [texts for texts in calls if texts[0].lower().startswith("isolerade")]
    assert asked == [["Isolerade pensionärer"]] * 2


def test_the_bank_page_says_an_entry_is_there_for_the_same_subject_in_other_words(
    bank: dict[str, Entry], meaning: Any
) -> None:
    embedded()
    page = Client().get("/sv/bank/", {"q": "isolerade pensionärer"}).content.decode()
    assert LONELY in page
    assert "Samma ämne med andra ord" in page
    page = Client().get("/sv/bank/", {"q": "läxor"}).content.decode()
    homework = page.split("Läxhjälp i biblioteket")[1].split("</li>")[0]
    assert "Samma ämne med andra ord" not in homework


def test_a_partnerships_bank_compares_the_query_with_its_own_entries_only(
    world: Any, bank: dict[str, Entry], meaning: Any
) -> None:
    elsewhere = publish(
        world,
        partnership=world.other_partnership,
        title_sv="Seniorträffar mot ensamhet",
        summary_sv="Äldre som bor ensamma träffas i Karlskoga varje vecka och pratar.",
    )
    embedded()
    query = "isolerade pensionärer"
    everywhere = [pk for pk, _ in meaning_selectors.entries_near_query(query=query)]
    assert {bank[LONELY].pk, elsewhere.pk} <= set(everywhere)
    here = meaning_selectors.entries_near_query(query=query, partnerships=[world.partnership.pk])
    assert bank[LONELY].pk in [pk for pk, _ in here]
    own = set(Entry.objects.filter(partnership=world.partnership).values_list("pk", flat=True))
    assert {pk for pk, _ in here} <= own
    results = selectors.bank_search(partnership=world.partnership, query=query, language="sv")
    assert titles(results)[0] == LONELY
    assert elsewhere.pk not in [e.pk for e in results.entries]
