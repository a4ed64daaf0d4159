"""Reading vectors: similar ideas and similar solutions by meaning and words together.

A kind's stored vectors are read in one query into a matrix kept in the process, and read again
only when a vector was added, changed or removed (the stamp: their count, latest change and
highest id, one small query). A page then scores every candidate with one matrix product,
takes the nearest few, and ranks those by

    score = W × cosine + (1 − W) × word similarity (the Snowball stems, 0 to 1),

words compared only when both texts are in the same language (across languages, meaning
alone). Ranking is by order: the model's scores are close together, so a threshold alone
would not separate the right neighbours from the rest.

The model's vectors all lean one way (any two texts have a cosine of about 0.8), which squeezes
the differences that matter into a few hundredths. So the vectors are centred first: the mean
vector of what is compared is taken away and each vector brought back to length 1 (unrelated
texts then score about 0, the same thing said in other words about 0.2 to 0.5). The mean is that
of the stored vectors when there are at least ``OWN_MEAN`` of them; below that (a young
installation), for the packaged model, a mean computed once from the evaluation set
(``data/e5-small-q4-mean.npy``), and for another model none."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from soin.core.text import similarity, stems
from soin.meaning import engine
from soin.meaning.models import EntryVector, IdeaVector

W = 0.7
# Nearest by meaning taken for the final ranking, per list.
POOL = 30
# Below this (centred) cosine two texts have nothing in common that the model sees.
FLOOR = 0.15
# A search query of a few words and an entry that says the same thing score lower than two
# whole texts do (0.1 to 0.4), so a query's nearest entries are those at least QUERY_FLOOR and
# at least QUERY_SHARE of the best one's score: what is far behind the best is another thing
# (see ``soin.meaning.search_evaluation``).
QUERY_FLOOR = 0.10
QUERY_SHARE = 0.4
OWN_MEAN = 200
REFERENCE_MEAN = Path(__file__).parent / "data" / "e5-small-q4-mean.npy"


@dataclass
class Matrix:
    stamp: tuple[Any, ...]
    pks: np.ndarray
    groups: np.ndarray
    hashes: list[str]
    # Centred and of length 1 (float32), and what to undo that: the mean and each length.
    vectors: np.ndarray
    mean: np.ndarray
    norms: np.ndarray
    rows: dict[int, int] = field(default_factory=dict)


_lock = threading.Lock()
_matrices: dict[str, Matrix] = {}


def _matrix(kind: str) -> Matrix | None:
    """Return the matrix of ``kind``'s current vectors, or None when there are none."""
    model, owner = (IdeaVector, "idea") if kind == "idea" else (EntryVector, "entry")
    name = engine.model_name()
    stored = model.objects.filter(model=name)
    stamp_row = stored.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    if not stamp_row["n"]:
        return None
    stamp = (name, stamp_row["n"], stamp_row["last"], stamp_row["top"])
    kept = _matrices.get(kind)
    if kept is not None and kept.stamp == stamp:
        return kept
    rows = list(
        stored.values_list(f"{owner}_id", f"{owner}__partnership_id", "text_hash", "vector")
    )
    data = b"".join(bytes(r[3]) for r in rows)
    raw = np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(len(rows), -1)
    vectors, mean, norms = centre(raw)
    del raw
    matrix = Matrix(
        stamp=stamp,
        pks=np.array([r[0] for r in rows], dtype=np.int64),
        groups=np.array([r[1] for r in rows], dtype=np.int64),
        hashes=[r[2] for r in rows],
        vectors=vectors,
        mean=mean,
        norms=norms,
    )
    matrix.rows = {int(pk): i for i, pk in enumerate(matrix.pks)}
    with _lock:
        _matrices[kind] = matrix
    return matrix


def reference_mean(dim: int) -> np.ndarray:
    if not getattr(settings, "SOIN_EMBEDDING_MODEL", ""):
        mean = np.load(REFERENCE_MEAN).astype(np.float32)
        if mean.shape == (dim,):
            return mean
    return np.zeros(dim, dtype=np.float32)


def centre(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``raw``'s rows centred and of length 1, the mean taken away and their lengths."""
    dim = raw.shape[1]
    mean = raw.mean(axis=0) if len(raw) >= OWN_MEAN else reference_mean(dim)
    vectors = raw - mean
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1
    vectors /= norms[:, None]
    return vectors, mean.astype(np.float32), norms.astype(np.float32)


def recentre(vector: np.ndarray, mean: np.ndarray) -> np.ndarray:
    centred = vector - mean
    return centred / (np.linalg.norm(centred) or 1)


def forget() -> None:
    with _lock:
        _matrices.clear()


def hybrid(cosine: float, words: float | None) -> float:
    """Return the score of a candidate: meaning and words together, or meaning alone when
    the two texts are in different languages (``words`` None)."""
    return cosine if words is None else W * cosine + (1 - W) * words


def nearest(scores: np.ndarray, mask: np.ndarray, count: int) -> list[int]:
    """Return the rows of the ``count`` highest scores among ``mask``, best first."""
    picked = np.flatnonzero(mask & (scores >= FLOOR))
    if len(picked) > count:
        picked = picked[np.argpartition(-scores[picked], count - 1)[:count]]
    return [int(i) for i in picked[np.argsort(-scores[picked], kind="stable")]]


def idea_vector(idea: Any) -> np.ndarray | None:
    """Return the stored vector of ``idea`` (as the model gave it) if it is of its current
    text, else None."""
    if not engine.enabled():
        return None
    matrix = _matrix("idea")
    if matrix is None or idea.pk not in matrix.rows:
        return None
    row = matrix.rows[idea.pk]
    if matrix.hashes[row] != engine.text_hash(engine.idea_text(idea)):
        return None
    return matrix.vectors[row] * matrix.norms[row] + matrix.mean


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
    scores = matrix.vectors @ recentre(wanted, matrix.mean)
    others = matrix.pks != idea.pk
    inside = matrix.groups == idea.partnership_id
    rows = nearest(scores, others & inside, POOL) + nearest(scores, ~inside, POOL)
    cosine = {int(matrix.pks[i]): float(scores[i]) for i in rows}
    words = _words(f"{idea.title} {idea.description}", idea.language)
    found = []
    for other in Idea.objects.filter(pk__in=cosine, merged_into__isnull=True).select_related(
        "partnership"
    ):
        lexical = (
            similarity(words, set(other.search_stems.split()))
            if other.language == idea.language
            else None
        )
        found.append(Similar(other, hybrid(cosine[other.pk], lexical)))
    found.sort(key=lambda s: (-s.score, s.idea.number))
    here = [
        s for s in found if s.idea.partnership_id == idea.partnership_id and s.idea.pk != idea.pk
    ]
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
    scores = matrix.vectors @ recentre(wanted, matrix.mean)
    rows = nearest(scores, np.ones(len(scores), dtype=bool), POOL)
    cosine = {int(matrix.pks[i]): float(scores[i]) for i in rows}
    words = _words(f"{idea.title} {idea.description}", idea.language)
    ranked = []
    for entry in entries.filter(pk__in=cosine).select_related("partnership", "municipality"):
        code = idea.language if idea.language in ("sv", "en") else "sv"
        text = f"{getattr(entry, f'title_{code}')} {getattr(entry, f'summary_{code}')}"
        lexical = similarity(words, _words(text, code)) if text.strip() else None
        ranked.append((hybrid(cosine[entry.pk], lexical), entry.pk, entry))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [entry for _, _, entry in ranked[:limit]]


# A query's vector is kept this long in the cache: the same words mean the same thing until
# the model changes, and the model's name is in the key.
QUERY_SECONDS = 7 * 24 * 3600
# Nearest entries by meaning a query reads before they are narrowed to the bank searched.
QUERY_POOL = 200


def _query_key(query: str) -> str:
    normalised = " ".join(query.lower().split())
    digest = hashlib.sha256(f"{engine.model_name()}\x00{normalised}".encode()).hexdigest()
    return f"meaning-query:{digest}"


def query_vector(query: str) -> np.ndarray | None:
    """Return the model's vector of a search query, from the cache when the same words (case
    and spacing aside) were searched before; None when the model cannot be used."""
    key = _query_key(query)
    kept = cache.get(key)
    if isinstance(kept, bytes) and len(kept) == engine.DIM * 4:
        return np.frombuffer(kept, dtype=np.float32)
    try:
        vector = engine.embed([" ".join(query.split())])[0]
    except engine.ModelUnavailable:
        return None
    cache.set(key, np.asarray(vector, dtype=np.float32).tobytes(), QUERY_SECONDS)
    return vector


def entries_near_query(
    *, query: str, language: str = "sv", limit: int = QUERY_POOL
) -> list[tuple[int, float]]:
    """Return the entries (of every partnership and state: the caller narrows them) whose
    meaning is closest to ``query``, at most ``limit`` with a centred cosine of at least
    ``QUERY_FLOOR`` and ``QUERY_SHARE`` of the closest one's, each with its cosine, closest
    first; empty when the model cannot be used or no entry has a vector yet. The model reads
    Swedish and English alike, so ``language`` does not change the answer; it is taken for
    the day another model does."""
    if not query.strip() or not engine.enabled() or not engine.model_status(probe=False).ok:
        return []
    matrix = _matrix("entry")
    if matrix is None:
        return []
    wanted = query_vector(query)
    if wanted is None:
        return []
    scores = matrix.vectors @ recentre(wanted, matrix.mean)
    best = float(scores.max()) if len(scores) else 0.0
    picked = np.flatnonzero(scores >= max(QUERY_FLOOR, QUERY_SHARE * best))
    if len(picked) > limit:
        picked = picked[np.argpartition(-scores[picked], limit - 1)[:limit]]
    picked = picked[np.argsort(-scores[picked], kind="stable")]
    return [(int(matrix.pks[i]), float(scores[i])) for i in picked]
