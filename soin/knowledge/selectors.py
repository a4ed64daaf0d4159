"""Reads of the knowledge bank and the news, for the public site, the back office and the API."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from soin.accounts.permissions import has_perm
from soin.knowledge import search
from soin.knowledge.models import Entry, EntryEvent, EntryImage, EntryLink, ExchangeSource, News
from soin.partners.models import Organisation
from soin.regions.models import Partnership

ENTRY_RELATED = ("partnership__region", "municipality", "idea")


def published_entries(*, partnership: Partnership | None = None) -> QuerySet[Entry]:
    """Return the published entries of ``partnership``, or of every partnership (the national
    bank)."""
    entries = Entry.objects.filter(state=Entry.State.PUBLISHED)
    if partnership is not None:
        entries = entries.filter(partnership=partnership)
    return entries


def with_details(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Fetch what an entry's page, its API record and its export show, up front."""
    return entries.select_related(*ENTRY_RELATED).prefetch_related(
        "challenges",
        Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
        Prefetch("images", queryset=EntryImage.objects.order_by("position", "pk")),
        Prefetch("links", queryset=EntryLink.objects.order_by("position", "pk")),
    )


def bank_search(
    *,
    partnership: Partnership | None,
    query: str = "",
    language: str = "sv",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "",
    page: int = 1,
    per_page: int = search.PER_PAGE,
    with_facets: bool = True,
    detailed: bool = False,
) -> search.Results:
    """Search the published entries of ``partnership`` (None: the national bank); with
    ``detailed``, the entries come with everything their open data record shows."""
    return search.search(
        base=published_entries(partnership=partnership),
        query=query,
        language=language,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        with_facets=with_facets,
        detail=with_details if detailed else None,
        # The published entries of one bank: a browse's count and facets are kept.
        cache_as=("published", [partnership.pk] if partnership else None),
    )


def similar_entries(
    *, text: str, language: str = "sv", exclude_idea: Any = None, limit: int = 5
) -> list[Entry]:
    """Return the published entries of every partnership most like ``text`` (an idea's title
    and description): "are there similar solutions?" answered from the knowledge bank."""
    entries = published_entries()
    if exclude_idea is not None:
        entries = entries.exclude(idea=exclude_idea)
    results = search.search(
        base=entries,
        query=text,
        language=language,
        sort="relevance",
        per_page=limit,
        with_facets=False,
        every_word=False,
        # An idea's own words: neither corrected nor widened to nearest matches, nor
        # embedded in a request (the worker embeds ideas; see similar_entries_to).
        correct=False,
        by_meaning=False,
    )
    # Without a word that counts there is nothing to be similar to.
    return results.entries if results.terms else []


def similar_entries_to(*, idea: Any, limit: int = 5) -> list[Entry]:
    """Return the published entries of every partnership most like ``idea`` ("are there
    similar solutions?"): by meaning and words together (``soin.meaning``) when the idea has a
    vector of its current text, by words alone otherwise."""
    from soin.meaning import selectors as meaning

    entries = published_entries().exclude(idea=idea)
    found = meaning.similar_entries(idea=idea, entries=entries, limit=limit)
    if found is not None:
        return found
    return similar_entries(
        text=f"{idea.title} {idea.description}",
        language=idea.language,
        exclude_idea=idea,
        limit=limit,
    )


def public_entry_get(*, partnership: Partnership, slug: str) -> Entry:
    """Return a published entry of ``partnership`` or raise 404."""
    entry = with_details(published_entries(partnership=partnership)).filter(slug=slug).first()
    if entry is None:
        raise Http404
    return entry


def public_entry_by_uid(*, uid: str) -> Entry:
    """Return a published entry by its stable identifier, or raise 404."""
    try:
        key = uuid.UUID(uid)
    except ValueError as error:
        raise Http404 from error
    entry = with_details(published_entries()).filter(uid=key).first()
    if entry is None:
        raise Http404
    return entry


def public_image_get(*, partnership: Partnership, slug: str, pk: int) -> EntryImage:
    """Return an image of a published entry, or raise 404."""
    image = (
        EntryImage.objects.select_related("entry")
        .filter(
            pk=pk,
            entry__slug=slug,
            entry__partnership=partnership,
            entry__state=Entry.State.PUBLISHED,
        )
        .first()
    )
    if image is None:
        raise Http404
    return image


def latest_entries(*, partnership: Partnership | None, count: int = 3) -> list[Entry]:
    return list(
        published_entries(partnership=partnership)
        .select_related("partnership", "municipality")
        .order_by("-published_at", "-pk")[:count]
    )


# The back office's list: the latest changed first (an index of its own).
ENTRY_LIST_ORDER = ("-updated_at", "-pk")


def entries_for(*, partnership: Partnership, state: str = "") -> QuerySet[Entry]:
    """Return the partnership's own and imported entries for the back office."""
    entries = Entry.objects.filter(partnership=partnership).select_related("municipality", "idea")
    if state in Entry.State.values:
        entries = entries.filter(state=state)
    return entries.order_by(*ENTRY_LIST_ORDER)


def entry_counts(*, partnership: Partnership) -> dict[str, int]:
    """Return how many of the partnership's entries are in each editorial state."""
    counts = dict.fromkeys(Entry.State.values, 0)
    for row in (
        Entry.objects.filter(partnership=partnership)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["state"]] = row["n"]
    return counts


def entry_get_for(*, partnership: Partnership, pk: int) -> Entry:
    """Return an entry of ``partnership`` for the back office, or raise 404 (the view's
    permission check has already run)."""
    entry = (
        with_details(Entry.objects.filter(partnership=partnership))
        .prefetch_related(
            Prefetch("events", queryset=EntryEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def image_get_for(*, partnership: Partnership, pk: int) -> EntryImage:
    image = (
        EntryImage.objects.select_related("entry")
        .filter(pk=pk, entry__partnership=partnership)
        .first()
    )
    if image is None:
        raise Http404
    return image


def link_get_for(*, partnership: Partnership, pk: int) -> EntryLink:
    link = (
        EntryLink.objects.select_related("entry")
        .filter(pk=pk, entry__partnership=partnership)
        .first()
    )
    if link is None:
        raise Http404
    return link


def organisations_for_entry(*, partnership: Partnership) -> QuerySet[Organisation]:
    """Return the organisations an entry of ``partnership`` can name as involved."""
    return Organisation.objects.filter(partnership=partnership).order_by("name")


# Exchange sources ------------------------------------------------------------------------


def _imported(origin: Any, state: str) -> QuerySet[Entry]:
    # Never an entry of this installation's own (origin ""): the partial index on the
    # imported entries answers.
    return Entry.objects.filter(origin=origin, state=state).exclude(origin="")


def _counted(state: str) -> Coalesce:
    counts = (
        _imported(OuterRef("origin"), state)
        .order_by()
        .values("origin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def exchange_sources() -> QuerySet[ExchangeSource]:
    """Return every exchange source, each with how many entries of its origin wait in review
    (``waiting``) and how many are published (``published``), in one query."""
    return ExchangeSource.objects.annotate(
        waiting=_counted(Entry.State.IN_REVIEW), published=_counted(Entry.State.PUBLISHED)
    ).order_by("origin")


def exchange_source_get_for(*, user: Any, pk: int) -> ExchangeSource:
    """Return an exchange source (with its counts) for a person who may manage the exchange;
    raise 403 for anyone else, 404 for a source that does not exist."""
    if not has_perm(user, "exchange.manage", None):
        raise PermissionDenied
    source = exchange_sources().filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


# The entries of a source waiting in review: the latest imported first (a partial index).
WAITING_ORDER = ("-created_at", "-pk")


def exchange_source_entries_waiting(*, source: ExchangeSource) -> QuerySet[Entry]:
    """Return the entries of ``source``'s origin waiting in review, in every partnership."""
    return (
        _imported(source.origin, Entry.State.IN_REVIEW)
        .select_related("partnership")
        .order_by(*WAITING_ORDER)
    )


# News ------------------------------------------------------------------------------------


def published_news(*, partnership: Partnership) -> QuerySet[News]:
    return News.objects.filter(partnership=partnership, state=News.State.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def public_news_get(*, partnership: Partnership, slug: str) -> News:
    news = published_news(partnership=partnership).filter(slug=slug).first()
    if news is None:
        raise Http404
    return news


def news_for(*, partnership: Partnership) -> QuerySet[News]:
    return News.objects.filter(partnership=partnership).order_by("-created_at", "-pk")


def news_get_for(*, partnership: Partnership, pk: int) -> News:
    news = News.objects.filter(partnership=partnership, pk=pk).first()
    if news is None:
        raise Http404
    return news


def facet_filters(params: Any) -> dict[str, list[str]]:
    """Read the facets' choices from a query string (``?challenge=health&challenge=…``)."""
    return {
        name: [v for v in params.getlist(name) if v][:20]
        for name in search.FACET_NAMES
        if params.getlist(name)
    }


def entry_changes_since(*, entry: Entry, version: int | None) -> list[EntryEvent]:
    """Return the changes of ``entry``'s content made after ``version`` (the one a person saw),
    oldest first, each with ``fields``: the changed text as (label, before, after)."""
    if version is None or version >= entry.version:
        return []
    events = list(entry.events.filter(version__gt=version).select_related("actor").order_by("pk"))
    for event in events:
        event.fields = [  # type: ignore[attr-defined]
            (getattr(Entry._meta.get_field(name), "verbose_name", name), before, after)
            for name, (before, after) in sorted(event.changes.items())
        ]
    return events
