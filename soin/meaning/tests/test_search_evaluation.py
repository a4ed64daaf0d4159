"""How well the bank's search finds what readers look for on the project's evaluation set
(``soin/meaning/data/search_queries.json``): the platform's search, by meaning and words and by
words alone, beside the stem search it replaced and a trigram search."""

from __future__ import annotations

from typing import Any

from soin.knowledge.models import Entry
from soin.meaning import search_evaluation


def test_the_set_has_sixty_entries_and_forty_queries_in_both_languages() -> None:
    data = search_evaluation.load()
    entries, queries = data["entries"], data["queries"]
    assert len(entries) >= 60 and len(queries) >= 40
    keys = {e["key"] for e in entries}
    assert all(set(q["relevant"]) <= keys and q["relevant"] for q in queries)
    assert {q["language"] for q in queries} == {"sv", "en"}
    assert any("title_en" in e and "title_sv" not in e for e in entries)
    assert any("title_en" in e and "title_sv" in e for e in entries)


def test_the_search_by_meaning_and_words_beats_stems_and_trigrams(world: Any, meaning: Any) -> None:
    before = Entry.objects.count()
    figures = search_evaluation.evaluate()
    print(f"\nsearch with the model: {figures}")
    # The set's entries were written in a transaction rolled back.
    assert Entry.objects.count() == before
    for measure in ("recall_at_10", "ndcg_at_10"):
        found = figures[measure]
        assert found["platform"] > max(found["stems"], found["trigrams"])
    assert figures["search_cached_ms"] < figures["search_cold_ms"]


def test_the_search_by_words_alone_beats_stems_on_recall(world: Any) -> None:
    figures = search_evaluation.evaluate()
    print(f"\nsearch without the model: {figures}")
    assert figures["model"] == "" and "search_cold_ms" not in figures
    assert figures["recall_at_10"]["platform"] > figures["recall_at_10"]["stems"]


def test_make_bench_reports_the_search_beside_both_baselines() -> None:
    from soin.core.management.commands.bench import search_goals

    figures = {
        "entries": 64,
        "queries": 60,
        "recall_at_10": {"platform": 0.72, "stems": 0.2, "trigrams": 0.58},
        "ndcg_at_10": {"platform": 0.76, "stems": 0.25, "trigrams": 0.59},
        "words_alone": {"recall_at_10": 0.54, "ndcg_at_10": 0.58},
        "search_cold_ms": 60.0,
        "search_cached_ms": 30.0,
    }
    [goal] = search_goals(figures)
    assert goal["met"]
    assert "nDCG@10 platform 0.76, stems 0.25, trigrams 0.59" in goal["figures"]
    assert "by words alone 0.54 and 0.58" in goal["figures"]
    figures["ndcg_at_10"]["platform"] = 0.5
    assert not search_goals(figures)[0]["met"]
    assert search_goals({}) == []
