"""Reading vectors: similar ideas and similar solutions by meaning and words together.

A kind's stored vectors are read in one query into a matrix kept in the process, and read again
only when a vector was added, changed or removed (the stamp: their count, latest change and
highest id, one small query). A page then scores every candidate with one matrix product,
takes the nearest few, and ranks those by

    score = W × cosine + (1 − W) × word similarity (the Snowball stems, 0 to 1),

words compared only when both texts are in the same language (across languages, meaning
alone). Ranking is by order: the model's scores are close together, so a threshold alone
would not separate the right neighbours from the rest."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max

from soin.core.text import similarity, stems
from soin.meaning import engine
from soin.meaning.models import EntryVector, IdeaVector

W = 0.7
# Nearest by meaning taken for the final ranking, per list.
POOL = 30
# Below this cosine two texts have nothing in common that the model sees.
FLOOR = 0.80


@dataclass
class Matrix:
    stamp: tuple[Any, ...]
    pks: np.ndarray
    groups: np.ndarray
    hashes: list[str]
    vectors: np.ndarray
    rows: dict[int, int] = field(default_factory=dict)


_lock = threading.Lock()
_matrices: dict[str, Matrix] = {}


def _matrix(kind: str) -> Matrix | None:
    """Return the matrix of ``kind``'s current vectors, or None when there are none."""
    model, owner = (IdeaVector, "idea") if kind == "idea" else (EntryVector, "entry")
    name = engine.model_name()
    vectors = model.objects.filter(model=name)
    stamp_row = vectors.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    if not stamp_row["n"]:
        return None
    stamp = (name, stamp_row["n"], stamp_row["last"], stamp_row["top"])
    kept = _matrices.get(kind)
    if kept is not None and kept.stamp == stamp:
        return kept
    rows = list(
        vectors.values_list(f"{owner}_id", f"{owner}__partnership_id", "text_hash", "vector")
    )
    data = b"".join(bytes(r[3]) for r in rows)
    matrix = Matrix(
        stamp=stamp,
        pks=np.array([r[0] for r in rows], dtype=np.int64),
        groups=np.array([r[1] for r in rows], dtype=np.int64),
        hashes=[r[2] for r in rows],
        vectors=np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(len(rows), -1),
    )
    matrix.rows = {int(pk): i for i, pk in enumerate(matrix.pks)}
    with _lock:
        _matrices[kind] = matrix
    return matrix


def forget() -> None:
    with _lock:
        _matrices.clear()


def _nearest(scores: np.ndarray, mask: np.ndarray, count: int) -> list[int]:
    """Return the rows of the ``count`` highest scores among ``mask``, best first."""
    picked = np.flatnonzero(mask & (scores >= FLOOR))
    if len(picked) > count:
        picked = picked[np.argpartition(-scores[picked], count - 1)[:count]]
    return [int(i) for i in picked[np.argsort(-scores[picked], kind="stable")]]


def idea_vector(idea: Any) -> np.ndarray | None:
    """Return the stored vector of ``idea`` if it is of its current text, else None."""
    if not engine.enabled():
        return None
    matrix = _matrix("idea")
    if matrix is None or idea.pk not in matrix.rows:
        return None
    row = matrix.rows[idea.pk]
    if matrix.hashes[row] != engine.text_hash(engine.idea_text(idea)):
        return None
    return matrix.vectors[row]


def _words(text: str, language: str) -> set[str]:
    return set(stems(text, language))


def similar_ideas(*, idea: Any, limit: int = 5) -> tuple[list[Any], list[Any]] | None:
    """Return the ideas most like ``idea`` in its partnership and in every other, as two lists
    of ``soin.ideas.selectors.Similar``, from one matrix product; None when meaning cannot be
    used (turned off, or no vector of the idea's current text yet)."""
    from soin.ideas.models import Idea
    from soin.ideas.selectors import Similar

    wanted = idea_vector(idea)
    matrix = _matrices.get("idea")
    if wanted is None or matrix is None:
        return None
    scores = matrix.vectors @ wanted
    others = matrix.pks != idea.pk
    inside = matrix.groups == idea.partnership_id
    rows = _nearest(scores, others & inside, POOL) + _nearest(scores, ~inside, POOL)
    cosine = {int(matrix.pks[i]): float(scores[i]) for i in rows}
    words = _words(f"{idea.title} {idea.description}", idea.language)
    found = []
    for other in Idea.objects.filter(pk__in=cosine, merged_into__isnull=True).select_related(
        "partnership"
    ):
        score = cosine[other.pk]
        if other.language == idea.language:
            lexical = similarity(words, set(other.search_stems.split()))
            score = W * score + (1 - W) * lexical
        found.append(Similar(other, score))
    found.sort(key=lambda s: (-s.score, s.idea.number))
    here = [s for s in found if s.idea.partnership_id == idea.partnership_id and s.idea.pk != idea.pk]
    elsewhere = [s for s in found if s.idea.partnership_id != idea.partnership_id]
    return here[:limit], elsewhere[:limit]


def similar_entries(*, idea: Any, entries: Any, limit: int = 5) -> list[Any] | None:
    """Return the entries of ``entries`` (a queryset: published, of every partnership) most
    like ``idea``, best first; None when meaning cannot be used."""
    wanted = idea_vector(idea)
    if wanted is None:
        return None
    matrix = _matrix("entry")
    if matrix is None:
        return None
    scores = matrix.vectors @ wanted
    rows = _nearest(scores, np.ones(len(scores), dtype=bool), POOL)
    cosine = {int(matrix.pks[i]): float(scores[i]) for i in rows}
    words = _words(f"{idea.title} {idea.description}", idea.language)
    ranked = []
    for entry in entries.filter(pk__in=cosine).select_related("partnership", "municipality"):
        score = cosine[entry.pk]
        code = idea.language if idea.language in ("sv", "en") else "sv"
        text = f"{getattr(entry, f'title_{code}')} {getattr(entry, f'summary_{code}')}"
        if text.strip():
            score = W * score + (1 - W) * similarity(words, _words(text, code))
        ranked.append((score, entry.pk, entry))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [entry for _, _, entry in ranked[:limit]]
