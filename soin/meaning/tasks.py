"""Vectors computed by the task worker, after the change that needs them is committed."""

from __future__ import annotations

import logging

from django_tasks import task

from soin.meaning import engine
from soin.meaning.services import KINDS, neighbours_after, vectors_update

logger = logging.getLogger(__name__)


@task()
def embed_one(*, kind: str, pk: int) -> int:
    """Compute the vector of one idea or entry if its text changed, and find again the nearest
    ideas and entries of the ideas it touches. Without a usable model, nothing: the pages find
    similar ideas by their words, and the staff dashboard says why; ``manage.py embed_missing``
    fills in later."""
    if kind not in KINDS:
        return 0
    try:
        done = vectors_update(kind=kind, pks=[pk])
        neighbours_after(
            ideas=done if kind == "idea" else [], entries=done if kind == "entry" else []
        )
        return len(done)
    except engine.ModelUnavailable as error:
        logger.warning(
            "The embedding model cannot be used (%s); %s %s has no vector.", error, kind, pk
        )
        return 0


@task()
def embed_missing() -> int:
    """Compute every missing or stale vector (``manage.py embed_missing --queue``: after the
    demo is loaded, after the model changed)."""
    try:
        done = {kind: vectors_update(kind=kind) for kind in KINDS}
        neighbours_after(ideas=done["idea"], entries=done["entry"])
        return sum(len(pks) for pks in done.values())
    except engine.ModelUnavailable as error:
        logger.warning("The embedding model cannot be used (%s); no vectors computed.", error)
        return 0
