"""Expensive aggregates kept in Django's cache under the version of the data they count.

A count over every published entry of the nation (the knowledge bank's facets) or every idea
grows with the data; the page that shows it should not. Such a figure is computed once and kept
under its *source*'s stamp (``core.AggregateStamp``): every save, delete and many-to-many change
of a model the source counts gives the stamp a new random token in the same transaction, so the
next read looks under a new key and counts again. The check is one query by primary key; it
holds across several application servers, whose caches (each process's own by default) never
serve a figure counted before a write they did not see. A write that bypasses the model's
signals (``QuerySet.update``, ``bulk_create``) calls ``stamp_bump`` itself.

    facets = aggregates.cached(source="knowledge", key=("bank", partnership.pk), compute=...)
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

# What each source counts: the models whose rows its figures are computed from.
SOURCES: dict[str, tuple[str, ...]] = {
    "knowledge": (
        "knowledge.Entry",
        "knowledge.Entry.challenges",
        "ideas.Challenge",
        "regions.Region",
        "regions.Municipality",
        "regions.Partnership",
    ),
    # The statistics across the nation: ideas and their way through the process, activities,
    # partners, subscribers and issues, entries, and the places they are counted by.
    "statistics": (
        "ideas.Idea",
        "ideas.Idea.challenges",
        "ideas.IdeaEvent",
        "ideas.Challenge",
        "activities.Activity",
        "activities.Activity.hosts",
        "activities.Activity.participants",
        "partners.Organisation",
        "partners.Membership",
        "newsletter.Subscriber",
        "newsletter.Issue",
        "knowledge.Entry",
        "regions.Region",
        "regions.Municipality",
        "regions.Partnership",
    ),
}
# A figure is counted again after this long at the latest, whatever the stamps say.
TIMEOUT = 3600
_MISSING = object()


def _token(source: str) -> str:
    from soin.core.models import AggregateStamp

    tokens = AggregateStamp.objects.filter(source=source).values_list("token", flat=True)[:1]
    return next(iter(tokens), "")


def cached(*, source: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave last for ``key`` while ``source``'s data is unchanged."""
    if source not in SOURCES:
        raise KeyError(source)
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    full = f"soin:aggregate:{source}:{_token(source)}:{digest}"
    value: Any = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value, TIMEOUT)
    return value  # type: ignore[no-any-return]


def stamp_bump(*, source: str) -> None:
    """Mark ``source``'s data changed (in the caller's transaction)."""
    from soin.core.models import AggregateStamp

    token = uuid.uuid4().hex
    if not AggregateStamp.objects.filter(source=source).update(token=token):
        AggregateStamp.objects.bulk_create(
            [AggregateStamp(source=source, token=token)],
            update_conflicts=True,
            unique_fields=["source"],
            update_fields=["token"],
        )


def stamps_bump_all() -> None:
    """Mark every source's data changed: after writes that send no signals (bulk inserts of
    generated or demo data, the redaction of an erased person's details)."""
    for source in SOURCES:
        stamp_bump(source=source)


def _model(label: str) -> type[models.Model]:
    """A model, or the table between two (``app.Model.field`` names a many-to-many)."""
    app_label, name, *field = label.split(".")
    model = apps.get_model(app_label, name)
    if field:
        return model._meta.get_field(field[0]).remote_field.through  # type: ignore[union-attr,no-any-return]
    return model


def connect() -> None:
    """Bump each source's stamp on every change to a model it counts (CoreConfig.ready)."""
    for source, labels in SOURCES.items():

        def bump(sender: Any, *, source: str = source, **kwargs: Any) -> None:
            if kwargs.get("action", "post_").startswith("post_"):
                stamp_bump(source=source)

        for label in labels:
            model = _model(label)
            uid = f"soin.aggregates:{source}:{label}"
            if "." in label.split(".", 1)[1]:
                m2m_changed.connect(bump, sender=model, weak=False, dispatch_uid=uid)
            else:
                post_save.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":save")
                post_delete.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":delete")
