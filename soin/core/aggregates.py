"""Expensive aggregates kept in the cache under the version of the data they count.

A count over every published entry of the nation (the knowledge bank's facets) or every idea
grows with the data; the page that shows it should not. Such a figure is computed once and kept
under its *source*'s stamps (``core.AggregateStamp``): every save, delete and many-to-many
change of a model the source counts gives a stamp a new random token in the same transaction,
so the next read looks under a new key and counts again.

Each partnership has a stamp of its own per source (``statistics:12``), and the rows shared by
every partnership (regions, municipalities, the shared challenges) one more
(``statistics:shared``): a write in one region leaves the other regions' figures in the cache,
and writers in different regions never wait for the same row. A figure for some partnerships
looks under their tokens and the shared one; a figure for the nation under all of them (one
query either way). The cache is a table of the database (settings.CACHES), so every
application server shares it. A write that sends no signals (``QuerySet.update``,
``bulk_create``) calls ``stamp_bump`` or ``stamps_bump_all`` itself.

    facets = aggregates.cached(source="knowledge", key=..., compute=..., partnerships=[p.pk])
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
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
    # The statistics: ideas and their way through the process, activities, partners,
    # subscribers and issues, entries, and the places they are counted by.
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
    # The staff list of ideas as it is drawn (soin.ideas.views.staff.idea_list): the ideas,
    # their challenges, municipality, referred organisation and handler, the choices of its
    # filters (challenges, municipalities, the partnership's advisers) and the addresses.
    "idea_list": (
        "ideas.Idea",
        "ideas.Idea.challenges",
        "ideas.Challenge",
        "regions.Municipality",
        "regions.Partnership",
        "partners.Organisation",
        "accounts.User",
        "accounts.Role",
    ),
    # The sitemap (soin.public_site.views.sitemap): every public page of every partnership.
    "public_pages": (
        "regions.Partnership",
        "knowledge.Entry",
        "knowledge.News",
        "activities.Activity",
        "partners.Organisation",
        "partners.Membership",
        "reports.YearlyReport",
    ),
    # A partnership's public calendar feed (soin.activities.views.public.calendar_feed).
    "calendar": ("activities.Activity", "regions.Municipality", "regions.Partnership"),
    # The public yearly report as drawn (soin.reports.documents.public_drawing): a published
    # version's frozen figures and narrative, and the partnership it is of.
    "reports": ("reports.YearlyReport", "regions.Partnership"),
}
# Saves that write only fields no source reads: a login notes its time on the person.
UNREAD_SAVES: dict[str, frozenset[str]] = {"accounts.User": frozenset({"last_login"})}
SHARED = "shared"
_MISSING = object()


def _stamp(source: str, partnership: int | None) -> str:
    return f"{source}:{SHARED if partnership is None else partnership}"


def _token(source: str, partnerships: Iterable[int] | None) -> str:
    from soin.core.models import AggregateStamp

    stamps = AggregateStamp.objects.order_by("source")
    if partnerships is None:
        stamps = stamps.filter(source__startswith=f"{source}:")
    else:
        names = [_stamp(source, None), *(_stamp(source, p) for p in partnerships)]
        stamps = stamps.filter(source__in=names)
    rows = list(stamps.values_list("source", "token"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def cached(
    *,
    source: str,
    key: Hashable,
    compute: Callable[[], T],
    partnerships: Iterable[int] | None = None,
) -> T:
    """``compute()``, or what it gave last for ``key`` while ``source``'s data is unchanged in
    ``partnerships`` (their ids; None: every partnership) and in what they share."""
    if source not in SOURCES:
        raise KeyError(source)
    if partnerships is not None:
        partnerships = sorted(partnerships)
    digest = hashlib.sha256(repr((key, partnerships)).encode()).hexdigest()[:32]
    full = f"soin:aggregate:{source}:{_token(source, partnerships)}:{digest}"
    value: Any = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value)
    return value  # type: ignore[no-any-return]


def stamp_bump(*, source: str, partnership: int | None = None) -> None:
    """Mark ``source``'s data of ``partnership`` (None: what every partnership shares)
    changed, in the caller's transaction."""
    from soin.core.models import AggregateStamp

    name, token = _stamp(source, partnership), uuid.uuid4().hex
    if not AggregateStamp.objects.filter(source=name).update(token=token):
        AggregateStamp.objects.bulk_create(
            [AggregateStamp(source=name, token=token)],
            update_conflicts=True,
            unique_fields=["source"],
            update_fields=["token"],
        )


def stamps_bump_all() -> None:
    """Mark every source's data changed everywhere: after writes that send no signals (bulk
    inserts of generated or demo data, the redaction of an erased person's details). The
    shared stamp is in every figure's key."""
    for source in SOURCES:
        stamp_bump(source=source)


def partnership_of(instance: models.Model) -> int | None:
    """The partnership a row belongs to (its model's ``PARTNERSHIP_PATH``), or None for a row
    every partnership shares or one whose partnership cannot be told any more (deleted)."""
    path = getattr(type(instance), "PARTNERSHIP_PATH", None)
    if not path:
        return None
    *hops, last = path.split("__")
    row: Any = instance
    try:
        for hop in hops:
            row = getattr(row, hop)
    except ObjectDoesNotExist:
        return None
    value = getattr(row, f"{last}_id", None)
    return value if isinstance(value, int) else None


def _model(label: str) -> type[models.Model]:
    """A model, or the table between two (``app.Model.field`` names a many-to-many)."""
    app_label, name, *field = label.split(".")
    model = apps.get_model(app_label, name)
    if field:
        return model._meta.get_field(field[0]).remote_field.through  # type: ignore[union-attr,no-any-return]
    return model


def connect() -> None:
    """Bump the stamps of each source on every change to a model it counts (CoreConfig)."""
    for source, labels in SOURCES.items():

        def changed(sender: Any, *, instance: Any, source: str = source, **kwargs: Any) -> None:
            fields = kwargs.get("update_fields")
            if fields and fields <= UNREAD_SAVES.get(sender._meta.label, frozenset()):
                return
            if kwargs.get("action", "post_").startswith("post_"):
                stamp_bump(source=source, partnership=partnership_of(instance))

        for label in labels:
            model = _model(label)
            uid = f"soin.aggregates:{source}:{label}"
            if "." in label.split(".", 1)[1]:
                m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=uid)
            else:
                post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
                post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":del")
