"""Writing vectors: computed by the task worker after an idea's or an entry's text changed, and
by ``manage.py embed_missing`` for what is missing or stale. Never in a request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import transaction

from soin.ideas.models import Idea
from soin.knowledge.models import Entry
from soin.meaning import engine
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
) -> int:
    """Compute and store the vectors of ``kind`` that are missing or stale (of the rows ``pks``,
    or of every row). Return how many were computed. Raise ``engine.ModelUnavailable`` when
    the model cannot be used."""
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
    return total


def vector_schedule(*, kind: str, pk: int) -> None:
    """Have the worker compute the vector of one idea or entry after this transaction commits
    (its text may have changed). Nothing when similarity by meaning is turned off."""
    if not engine.enabled():
        return
    from soin.meaning.tasks import embed_one

    transaction.on_commit(lambda: embed_one.enqueue(kind=kind, pk=pk))
