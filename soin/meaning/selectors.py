"""Reading vectors: similar ideas and similar solutions by meaning and words together.

The worker finds each idea's nearest ideas (in its partnership and in the others) and nearest
knowledge-bank entries when vectors change (``services.neighbours_update``) and stores them with
the idea's vector: an idea page reads them in one query, whatever the number of ideas. To find
them, a kind's stored vectors are read in one query into a matrix kept in the process, and read
again only when its stamp changes (their count, latest change and highest id, kept in the
shared cache by whoever writes vectors). Every candidate is scored with one matrix product, the
nearest few are taken, and those ranked by

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from soin.core.text import stems
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
    # The rows of each partnership, made when first asked for.
    by_group: dict[int, np.ndarray] = field(default_factory=dict)

    def raw(self, rows: Any) -> np.ndarray:
        """Return the vectors of ``rows`` (a row, or a list of them) as the model gave them."""
        return self.vectors[rows] * self.norms[rows, None] + self.mean

    def rows_of(self, groups: Any) -> np.ndarray:
        """Return the rows of the partnerships ``groups``, in order."""
        if not self.by_group:
            order = np.argsort(self.groups, kind="stable")
            keys, starts = np.unique(self.groups[order], return_index=True)
            for key, part in zip(keys, np.split(order, starts[1:]), strict=True):
                self.by_group[int(key)] = part
        empty = np.zeros(0, dtype=np.int64)
        return np.sort(np.concatenate([self.by_group.get(int(g), empty) for g in groups]))


_lock = threading.Lock()
_matrices: dict[str, Matrix] = {}


def _stamp_key(kind: str) -> str:
    return f"meaning-stamp:{kind}:{engine.text_hash(engine.model_name())[:16]}"


def stamp(kind: str) -> tuple[Any, ...] | None:
    """Return what identifies ``kind``'s current vectors (their count, latest change and highest
    id), or None when there are none. Kept in the shared cache by whoever writes vectors
    (``stamp_renew``): a page asks the cache, not the vectors' table."""
    known = cache.get(_stamp_key(kind))
    if known is None:
        known = stamp_renew(kind)
    return tuple(known) if known else None


def stamp_renew(kind: str) -> tuple[Any, ...]:
    """Read ``kind``'s stamp from its vectors and keep it in the shared cache (after a write)."""
    model = IdeaVector if kind == "idea" else EntryVector
    name = engine.model_name()
    row = model.objects.filter(model=name).aggregate(
        n=Count("pk"), last=Max("updated_at"), top=Max("pk")
    )
    found = (name, row["n"], row["last"].isoformat() if row["last"] else "", row["top"])
    cache.set(_stamp_key(kind), found if row["n"] else (), None)
    return found if row["n"] else ()


def matrix(kind: str) -> Matrix | None:
    """Return the matrix of ``kind``'s current vectors, or None when there are none. Read in
    one query and kept in the process until the stamp changes."""
    model, owner = (IdeaVector, "idea") if kind == "idea" else (EntryVector, "entry")
    current = stamp(kind)
    if current is None:
        return None
    kept = _matrices.get(kind)
    if kept is not None and kept.stamp == current:
        return kept
    rows = list(
        model.objects.filter(model=engine.model_name()).values_list(
            f"{owner}_id", f"{owner}__partnership_id", "text_hash", "vector"
        )
    )
    if not rows:
        return None
    data = b"".join(bytes(r[3]) for r in rows)
    raw = np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(len(rows), -1)
    vectors, mean, norms = centre(raw)
    del raw
    found = Matrix(
        stamp=current,
        pks=np.array([r[0] for r in rows], dtype=np.int64),
        groups=np.array([r[1] for r in rows], dtype=np.int64),
        hashes=[r[2] for r in rows],
        vectors=vectors,
        mean=mean,
        norms=norms,
    )
    found.rows = {int(pk): i for i, pk in enumerate(found.pks)}
    with _lock:
        _matrices[kind] = found
    return found


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


def recentre(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Return ``vectors`` (one, or one per row, as the model gave them) centred on ``mean``
    and of length 1."""
    centred = vectors - mean
    lengths = np.linalg.norm(centred, axis=-1, keepdims=True)
    lengths[lengths == 0] = 1
    return centred / lengths


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


def _words(text: str, language: str) -> set[str]:
    return set(stems(text, language))


def entry_words(entry: Any, language: str) -> set[str]:
    """The stems an entry is compared by with an idea in ``language``: its title and summary in
    that language (empty when it has none)."""
    code = language if language in ("sv", "en") else "sv"
    text = f"{getattr(entry, f'title_{code}')} {getattr(entry, f'summary_{code}')}"
    return _words(text, code) if text.strip() else set()


def ranked(
    cosines: np.ndarray, candidates: list[int], words: Any, count: int
) -> list[tuple[int, float]]:
    """Return the ``count`` best of the rows ``candidates`` (the nearest by meaning, from
    ``nearest``) as (row, score), best first, ranked by meaning and words together
    (``words(row)``: the word similarity of that row, or None across languages)."""
    scored = [(i, hybrid(float(cosines[i]), words(i))) for i in candidates]
    scored.sort(key=lambda s: (-s[1], s[0]))
    return scored[:count]


def _stored(idea: Any) -> Any:
    """Return the stored row of ``idea``'s vector with its nearest ideas and entries, when they
    were found with the vector of its current text; else None. Read once per idea object."""
    if not engine.enabled():
        return None
    if "_meaning_row" not in idea.__dict__:
        row = (
            IdeaVector.objects.filter(idea_id=idea.pk, model=engine.model_name())
            .only("text_hash", "neighbours", "solutions", "neighbours_at")
            .first()
        )
        current = (
            row is not None
            and row.neighbours_at is not None
            and row.text_hash == engine.text_hash(engine.idea_text(idea))
        )
        idea.__dict__["_meaning_row"] = row if current else None
    return idea.__dict__["_meaning_row"]


def similar_ideas(*, idea: Any, limit: int = 5) -> tuple[list[Any], list[Any]] | None:
    """Return the ideas most like ``idea`` in its partnership and in every other, as two lists
    of ``soin.ideas.selectors.Similar``, as the worker found them (``services.neighbours_update``);
    None when meaning cannot be used (turned off, or not found yet for the idea's current
    text)."""
    from soin.ideas.models import Idea
    from soin.ideas.selectors import Similar

    row = _stored(idea)
    if row is None:
        return None
    scores = {int(pk): float(score) for pk, score in row.neighbours}
    found = [
        Similar(other, scores[other.pk])
        for other in Idea.objects.filter(pk__in=scores, merged_into__isnull=True)
        .exclude(pk=idea.pk)
        .select_related("partnership")
    ]
    found.sort(key=lambda s: (-s.score, s.idea.number))
    here = [s for s in found if s.idea.partnership_id == idea.partnership_id]
    elsewhere = [s for s in found if s.idea.partnership_id != idea.partnership_id]
    return here[:limit], elsewhere[:limit]


def similar_entries(*, idea: Any, entries: Any, limit: int = 5) -> list[Any] | None:
    """Return the entries of ``entries`` (a queryset: published, of every partnership) most
    like ``idea``, best first, as the worker found them; None when meaning cannot be used."""
    row = _stored(idea)
    if row is None:
        return None
    scores = {int(pk): float(score) for pk, score in row.solutions}
    found = list(entries.filter(pk__in=scores).select_related("partnership", "municipality"))
    found.sort(key=lambda entry: (-scores[entry.pk], entry.pk))
    return found[:limit]


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
    *,
    query: str,
    language: str = "sv",
    limit: int = QUERY_POOL,
    partnerships: Sequence[int] | None = None,
) -> list[tuple[int, float]]:
    """Return the entries (of every partnership and state: the caller narrows them) whose
    meaning is closest to ``query``, at most ``limit`` with a centred cosine of at least
    ``QUERY_FLOOR`` and ``QUERY_SHARE`` of the closest one's, each with its cosine, closest
    first; empty when the model cannot be used or no entry has a vector yet. With
    ``partnerships``, only their entries are compared (a partnership's bank: a few thousand
    rows rather than the nation's). The model reads
    Swedish and English alike, so ``language`` does not change the answer; it is taken for
    the day another model does."""
    # Whether the model loads is asked only when a query's vector is not in the cache yet
    # (``query_vector``): a search reads no file and asks the cache nothing more for it.
    if not query.strip() or not engine.enabled():
        return []
    found = matrix("entry")
    if found is None:
        return []
    wanted = query_vector(query)
    if wanted is None:
        return []
    rows = None if partnerships is None else found.rows_of(partnerships)
    vectors = found.vectors if rows is None else found.vectors[rows]
    pks = found.pks if rows is None else found.pks[rows]
    scores = vectors @ recentre(wanted, found.mean)
    best = float(scores.max()) if len(scores) else 0.0
    picked = np.flatnonzero(scores >= max(QUERY_FLOOR, QUERY_SHARE * best))
    if len(picked) > limit:
        picked = picked[np.argpartition(-scores[picked], limit - 1)[:limit]]
    picked = picked[np.argsort(-scores[picked], kind="stable")]
    return [(int(pks[i]), float(scores[i])) for i in picked]
