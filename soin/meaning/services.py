"""Writing vectors: computed by the task worker after an idea's or an entry's text changed, and
by ``manage.py embed_missing`` for what is missing or stale. Never in a request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from soin.core.text import similarity
from soin.ideas.models import Idea
from soin.knowledge.models import Entry
from soin.meaning import engine, selectors
from soin.meaning.models import DTYPE, EntryVector, IdeaVector

KINDS: dict[str, tuple[Any, Any, str, Callable[[Any], str]]] = {
    "idea": (Idea, IdeaVector, "idea", engine.idea_text),
    "entry": (Entry, EntryVector, "entry", engine.entry_text),
}
BATCH = 32


def vectors_needed(*, kind: str, pks: Iterable[int] | None = None) -> list[tuple[Any, str]]:
    """Return the rows of ``kind`` whose vector is missing, of another model or of another
    text, with the text to embed."""
    model, vector_model, field, recipe = KINDS[kind]
    rows = model.objects.all() if pks is None else model.objects.filter(pk__in=list(pks))
    current = {
        pk: (name, digest)
        for pk, name, digest in vector_model.objects.filter(
            **({} if pks is None else {f"{field}_id__in": [r.pk for r in rows]})
        ).values_list(f"{field}_id", "model", "text_hash")
    }
    name = engine.model_name()
    needed = []
    for row in rows.order_by("pk").iterator(chunk_size=2000):
        text = recipe(row)
        if current.get(row.pk) != (name, engine.text_hash(text)):
            needed.append((row, text))
    return needed


def vectors_update(
    *,
    kind: str,
    pks: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Compute and store the vectors of ``kind`` that are missing or stale (of the rows ``pks``,
    or of every row). Return the keys of the rows whose vector was computed. Raise
    ``engine.ModelUnavailable`` when the model cannot be used."""
    _, vector_model, field, _ = KINDS[kind]
    needed = vectors_needed(kind=kind, pks=pks)
    name = engine.model_name()
    total = len(needed)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        batch = needed[start : start + BATCH]
        vectors = engine.embed([text for _, text in batch])
        with transaction.atomic():
            for (row, text), vector in zip(batch, vectors, strict=True):
                vector_model.objects.update_or_create(
                    **{field: row},
                    defaults={
                        "model": name,
                        "text_hash": engine.text_hash(text),
                        "vector": np.asarray(vector, dtype=DTYPE).tobytes(),
                    },
                )
        if progress:
            progress(start + len(batch), total)
    if total:
        selectors.stamp_renew(kind)
    return [row.pk for row, _ in needed]


# Nearest ideas kept per idea in its partnership and in the others, and nearest entries: more
# than a page shows, for those merged or unpublished since.
KEEP = 10
# Ideas whose lists are found again when a vector changes: the changed one's nearest.
RIPPLE = 2 * KEEP
CHUNK = 256
# More changed vectors than this: every list is found again (one pass over all is cheaper).
LARGE_CHANGE = 500


def neighbours_update(
    *,
    pks: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Find and store the nearest ideas and entries of the ideas ``pks`` (or of every idea with
    a current vector), by meaning and words together (``selectors.ranked``): the lists an idea
    page reads. Return how many ideas' lists were stored."""
    ideas = selectors.matrix("idea")
    if ideas is None:
        return 0
    entries = selectors.matrix("entry")
    wanted = (
        list(range(len(ideas.pks)))
        if pks is None
        else sorted({ideas.rows[pk] for pk in pks if pk in ideas.rows})
    )
    total = len(wanted)
    if progress:
        progress(0, total)
    for start in range(0, total, CHUNK):
        rows = wanted[start : start + CHUNK]
        _neighbours_store(ideas, entries, rows)
        if progress:
            progress(start + len(rows), total)
    return total


def _neighbours_store(ideas: Any, entries: Any, rows: list[int]) -> None:
    idea_scores = ideas.vectors[rows] @ ideas.vectors.T
    entry_scores = (
        selectors.recentre(ideas.raw(rows), entries.mean) @ entries.vectors.T
        if entries is not None
        else None
    )
    # The candidates of the chunk: the nearest by meaning, read with their words at once.
    pools: list[tuple[list[int], list[int], list[int]]] = []
    idea_pks: set[int] = set()
    entry_pks: set[int] = set()
    for n, row in enumerate(rows):
        others = ideas.pks != ideas.pks[row]
        inside = ideas.groups == ideas.groups[row]
        here = selectors.nearest(idea_scores[n], others & inside, selectors.POOL)
        away = selectors.nearest(idea_scores[n], ~inside, selectors.POOL)
        found = (
            selectors.nearest(
                entry_scores[n], np.ones(len(entries.pks), dtype=bool), selectors.POOL
            )
            if entry_scores is not None
            else []
        )
        pools.append((here, away, found))
        idea_pks.update(int(ideas.pks[i]) for i in [row, *here, *away])
        entry_pks.update(int(entries.pks[i]) for i in found)
    known = {
        pk: (language, set(words.split()), merged)
        for pk, language, words, merged in Idea.objects.filter(pk__in=idea_pks).values_list(
            "pk", "language", "search_stems", "merged_into_id"
        )
    }
    bank = {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=entry_pks).only(
            "title_sv", "title_en", "summary_sv", "summary_en"
        )
    }
    entry_words: dict[tuple[int, str], set[str]] = {}
    stored = dict(
        IdeaVector.objects.filter(idea_id__in=[int(ideas.pks[r]) for r in rows]).values_list(
            "idea_id", "pk"
        )
    )
    now = timezone.now()
    changed = []
    for n, row in enumerate(rows):
        pk = int(ideas.pks[row])
        if pk not in known or pk not in stored:
            continue
        language, words, _ = known[pk]
        here, away, found = pools[n]

        def idea_words(i: int, language: str = language, words: set[str] = words) -> Any:
            other = known.get(int(ideas.pks[i]))
            if other is None or other[0] != language:
                return None
            return similarity(words, other[1])

        def bank_words(i: int, language: str = language, words: set[str] = words) -> Any:
            entry = bank.get(int(entries.pks[i]))
            if entry is None:
                return None
            key = (entry.pk, language)
            if key not in entry_words:
                entry_words[key] = selectors.entry_words(entry, language)
            other = entry_words[key]
            return similarity(words, other) if other else None

        def alive(i: int) -> bool:
            other = known.get(int(ideas.pks[i]))
            return other is not None and other[2] is None

        best: list[tuple[int, float]] = []
        for group in (here, away):
            candidates = [i for i in group if alive(i)]
            best += selectors.ranked(idea_scores[n], candidates, idea_words, KEEP)
        solutions = (
            selectors.ranked(entry_scores[n], found, bank_words, KEEP)
            if entry_scores is not None
            else []
        )
        changed.append(
            IdeaVector(
                pk=stored[pk],
                neighbours=[[int(ideas.pks[i]), round(score, 4)] for i, score in best],
                solutions=[[int(entries.pks[i]), round(score, 4)] for i, score in solutions],
                neighbours_at=now,
            )
        )
    IdeaVector.objects.bulk_update(changed, ["neighbours", "solutions", "neighbours_at"])


def neighbours_after(
    *,
    ideas: list[int],
    entries: list[int],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Find the lists again after the vectors of ``ideas`` and ``entries`` were computed: the
    lists they touch, or every list after a large change (a new model, a first run), and the
    lists never found. Return how many ideas' lists were stored."""
    if len(ideas) + len(entries) > LARGE_CHANGE:
        return neighbours_update(progress=progress)
    done = neighbours_ripple(kind="idea", pks=ideas) + neighbours_ripple(kind="entry", pks=entries)
    never = list(
        IdeaVector.objects.filter(
            model=engine.model_name(), neighbours_at__isnull=True
        ).values_list("idea_id", flat=True)
    )
    return done + (neighbours_update(pks=never, progress=progress) if never else 0)


def neighbours_ripple(*, kind: str, pks: Iterable[int]) -> int:
    """Find again the lists of the ideas a change of vectors touches: the changed ideas and
    their nearest ideas, or the ideas nearest to the changed entries (a new idea or entry is
    then in the lists it belongs to)."""
    ideas = selectors.matrix("idea")
    if ideas is None:
        return 0
    source = ideas if kind == "idea" else selectors.matrix("entry")
    if source is None:
        return 0
    touched: set[int] = set()
    for pk in pks:
        if pk not in source.rows:
            continue
        vector = source.raw([source.rows[pk]])[0]
        cosines = ideas.vectors @ selectors.recentre(vector, ideas.mean)
        near = selectors.nearest(cosines, np.ones(len(ideas.pks), dtype=bool), RIPPLE)
        touched.update(int(ideas.pks[i]) for i in near)
        if kind == "idea":
            touched.add(pk)
    return neighbours_update(pks=touched)


def vector_schedule(*, kind: str, pk: int) -> None:
    """Have the worker compute the vector of one idea or entry after this transaction commits
    (its text may have changed). Nothing when similarity by meaning is turned off."""
    if not engine.enabled():
        return
    from soin.meaning.tasks import embed_one

    transaction.on_commit(lambda: embed_one.enqueue(kind=kind, pk=pk))
