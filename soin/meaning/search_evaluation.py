"""How well the knowledge bank's search finds what a reader looks for: the evaluation set in
``data/search_queries.json`` (invented but realistic entries of social innovations in Swedish,
English or both, and queries as readers type them: inflections, compounds, other words for the
same thing, English words for Swedish entries, typos, one word; each with the entries it should
find, 2 for what the reader looks for and 1 for a related entry), and recall@10 and nDCG@10 of
three methods:

- ``platform``: the bank's own search (``soin.knowledge.search.search``) over the set's entries
  written into the current database, in a transaction that is rolled back at the end; by
  meaning as well as words when the model is on (their vectors computed first), by words alone
  when it is off;
- ``stems``: what the bank did before it read words itself: the Snowball stems of the query's
  words, every one required in the entry's text in the query's language (a text missing in it
  read in the other), ranked by how often they occur (the title counting more);
- ``trigrams``: ``pg_trgm``'s word similarity (the share of the query's three-letter pieces
  found in the entry's words, both languages), at least 0.3, ranked by it.

recall@10 is the share of a query's relevant entries (1 or 2) among the first ten results;
nDCG@10 weighs each found entry by 2^grade − 1 and by 1 / log2(1 + its place), over the same
for the best order. Both are averaged over the queries."""

from __future__ import annotations

import json
import math
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from soin.core.text import stem
from soin.meaning import engine
from soin.meaning.evaluation import trigrams

DATA = Path(__file__).parent / "data" / "search_queries.json"
K = 10
TRIGRAM_THRESHOLD = 0.3


def load(path: Path = DATA) -> dict[str, Any]:
    return json.loads(path.read_text())


def recall(ranking: list[str], relevant: dict[str, int], k: int = K) -> float:
    wanted = {key for key, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranking[:k])) / len(wanted)


def ndcg(ranking: list[str], relevant: dict[str, int], k: int = K) -> float:
    def gain(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = gain(sorted(relevant.values(), reverse=True))
    return gain([relevant.get(key, 0) for key in ranking]) / ideal if ideal else 0.0


def _text(entry: dict[str, Any], name: str, language: str) -> str:
    other = "en" if language == "sv" else "sv"
    return entry.get(f"{name}_{language}") or entry.get(f"{name}_{other}") or ""


def _stems(text: str, language: str) -> list[str]:
    from soin.knowledge.search import stop_words, words

    stop = stop_words(language)
    return [stem(w, language) for w in words(text) if w not in stop]


def rank_stems(entries: list[dict[str, Any]], query: str, language: str) -> list[str]:
    wanted = set(_stems(query, language))
    if not wanted:
        return []
    scored = []
    for entry in entries:
        title = _stems(_text(entry, "title", language), language)
        summary = _stems(_text(entry, "summary", language), language)
        if not wanted <= set(title) | set(summary):
            continue
        score = sum(2.5 for s in title if s in wanted) + sum(1 for s in summary if s in wanted)
        scored.append((-score, entry["key"]))
    return [key for _, key in sorted(scored)]


def rank_trigrams(entries: list[dict[str, Any]], query: str) -> list[str]:
    wanted = trigrams(query)
    if not wanted:
        return []
    scored = []
    for entry in entries:
        text = " ".join(str(v) for k, v in entry.items() if k != "key")
        score = len(wanted & trigrams(text)) / len(wanted)
        if score >= TRIGRAM_THRESHOLD:
            scored.append((-score, entry["key"]))
    return [key for _, key in sorted(scored)]


def _written(entries: list[dict[str, Any]]) -> dict[int, str]:
    """Write the set's entries, published, into the first partnership (one made for the time
    of the evaluation in an empty database) with their search index (and vectors, with the
    model on); return each one's key by its id."""
    from soin.knowledge import search
    from soin.knowledge.models import Entry
    from soin.regions.models import Partnership

    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        # An empty database (make bench's own for this): a partnership for the time of the
        # evaluation, rolled back with the rest.
        from soin.regions.models import Region
        from soin.regions.services import partnership_create

        partnership = partnership_create(
            actor=None,
            slug="search-evaluation",
            name_sv="Utvärdering",
            name_en="Evaluation",
            region=Region.objects.order_by("code")[0],
        )
    keys = {}
    now = timezone.now()
    for number, item in enumerate(entries):
        entry = Entry.objects.create(
            partnership=partnership,
            slug=f"search-evaluation-{number}",
            kind=Entry.Kind.EXISTING,
            state=Entry.State.PUBLISHED,
            published_at=now - timedelta(minutes=number),
            **{k: v for k, v in item.items() if k != "key"},
        )
        search.index(entry)
        keys[entry.pk] = item["key"]
    return keys


def rank_platform(data: dict[str, Any]) -> tuple[list[list[str]], dict[str, float]]:
    """The platform's first ten results for each query, and what a search costs and finds:
    the mean number of its matches and, with the model on, the time of one with the query's
    vector to compute and one with it cached."""
    from soin.knowledge import search
    from soin.knowledge.models import Entry
    from soin.meaning import selectors as meaning_selectors
    from soin.meaning import services as meaning_services

    costs: dict[str, float] = {}
    with transaction.atomic():
        keys = _written(data["entries"])
        on = engine.enabled() and engine.model_status().ok
        if on:
            started = time.perf_counter()
            meaning_services.vectors_update(kind="entry", pks=list(keys))
            costs["embed_entries_s"] = round(time.perf_counter() - started, 2)
        base = Entry.objects.filter(pk__in=list(keys))

        matches = []

        def ranked(query: str, language: str) -> list[str]:
            results = search.search(
                base=base, query=query, language=language, per_page=K, with_facets=False
            )
            matches.append(results.total)
            return [keys[e.pk] for e in results.entries]

        rankings = [ranked(q["query"], q["language"]) for q in data["queries"]]
        costs["matches_per_query"] = round(sum(matches) / len(matches), 1)
        if on:
            # The matrix is read; a query not asked before, then the same again.
            fresh = f"stöd till ensamstående föräldrar {time.time_ns()}"
            started = time.perf_counter()
            ranked(fresh, "sv")
            costs["search_cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                ranked(fresh, "sv")
                times.append((time.perf_counter() - started) * 1000)
            costs["search_cached_ms"] = round(sorted(times)[len(times) // 2], 1)
            started = time.perf_counter()
            meaning_selectors.entries_near_query(query=fresh)
            costs["meaning_cached_ms"] = round((time.perf_counter() - started) * 1000, 1)
        transaction.set_rollback(True)
    meaning_selectors.forget()
    return rankings, costs


def evaluate(path: Path = DATA) -> dict[str, Any]:
    """Return recall@10 and nDCG@10 of each method on the set (``platform`` by meaning and
    words when the model is on), and the cost of the platform's search."""
    data = load(path)
    queries = data["queries"]
    entries = data["entries"]
    platform, costs = rank_platform(data)
    rankings = {
        "platform": platform,
        "stems": [rank_stems(entries, q["query"], q["language"]) for q in queries],
        "trigrams": [rank_trigrams(entries, q["query"]) for q in queries],
    }
    figures: dict[str, Any] = {
        "entries": len(entries),
        "queries": len(queries),
        "model": engine.model_name() if "search_cold_ms" in costs else "",
        "recall_at_10": {},
        "ndcg_at_10": {},
        **costs,
    }
    for method, ranked in rankings.items():
        pairs = list(zip(ranked, queries, strict=True))
        figures["recall_at_10"][method] = round(
            sum(recall(r, q["relevant"]) for r, q in pairs) / len(pairs), 3
        )
        figures["ndcg_at_10"][method] = round(
            sum(ndcg(r, q["relevant"]) for r, q in pairs) / len(pairs), 3
        )
    return figures


def per_query(path: Path = DATA) -> list[tuple[str, float, list[str]]]:
    """Each query's recall@10 on the platform with its first results (to read the misses)."""
    data = load(path)
    platform, _ = rank_platform(data)
    return [
        (q["query"], recall(r, q["relevant"]), r)
        for r, q in zip(platform, data["queries"], strict=True)
    ]
