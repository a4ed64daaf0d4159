"""Reads of ideas, scoped to one partnership and to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from soin.accounts.models import Role
from soin.accounts.permissions import has_perm, roles_in
from soin.core.normalise import matching
from soin.core.text import similarity, stems
from soin.core.tokens import object_from_token
from soin.ideas import workflow
from soin.ideas.models import Challenge, Idea
from soin.regions.models import Partnership


def _visible(user: Any, partnership: Partnership) -> Q | None:
    """Return the filter of ideas ``user`` may see in the partnership: all of them for staff,
    the ideas referred to or channelled by their organisation for a partner contact; None
    for nothing."""
    if has_perm(user, "ideas.view", partnership):
        return Q()
    own = [
        r.organisation_id
        for r in roles_in(user, partnership)
        if r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id
    ]
    if own:
        return Q(referred_to_id__in=own) | Q(channelled_by_id__in=own)
    return None


def visibility_key(*, user: Any, partnership: Partnership) -> str:
    """Which ideas of ``partnership`` ``user`` may see, as text: two people with the same key
    see the same ideas."""
    return repr(_visible(user, partnership))


# What the lists of ideas show (the staff list, the work list): only these columns are read.
LIST_FIELDS = (
    "partnership_id",
    "number",
    "title",
    "carrier_category",
    "stage",
    "stage_changed_at",
    "received_on",
    "municipality__name",
    "handler__full_name",
    "referred_to__name",
)


def ideas_for(
    *,
    user: Any,
    partnership: Partnership,
    stage: str = "",
    challenge: Any = None,
    municipality: Any = None,
    channel: str = "",
    handler: Any = None,
    year: int | None = None,
    query: str = "",
) -> QuerySet[Idea]:
    """Return the ideas ``user`` may see, filtered, with what the list shows fetched up front."""
    visible = _visible(user, partnership)
    if visible is None:
        return Idea.objects.none()
    qs = (
        Idea.objects.filter(visible, partnership=partnership, merged_into__isnull=True)
        .select_related("municipality", "handler", "referred_to")
        .only(*LIST_FIELDS)
        .prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.only("name_sv", "name_en"))
        )
    )
    if stage:
        qs = qs.filter(stage=stage)
    if challenge is not None:
        qs = qs.filter(challenges=challenge)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if channel:
        qs = qs.filter(channel=channel)
    if handler is not None:
        qs = qs.filter(handler=handler)
    if year:
        qs = qs.filter(received_on__year=year)
    # The number as typed, or every word of the text as the bank reads it (stop words alone
    # narrow nothing). PostgreSQL refuses NUL in text; no number holds one.
    words = matching("search_terms", query)
    if words is not None:
        qs = qs.filter(Q(number__istartswith=query.strip().replace("\x00", "")) | words)
    return qs


def idea_get_for(*, user: Any, partnership: Partnership, pk: int) -> Idea:
    """Return idea ``pk`` if ``user`` may see it; 404 otherwise."""
    visible = _visible(user, partnership)
    idea = None
    if visible is not None:
        idea = (
            Idea.objects.filter(visible, partnership=partnership, pk=pk)
            .select_related(
                "partnership",
                "municipality",
                "handler",
                "referred_to",
                "channelled_by",
                "registered_by",
                "activity",
            )
            .first()
        )
    if idea is None:
        raise Http404
    return idea


def idea_by_token(*, partnership: Partnership, token: str) -> Idea:
    """Return the idea whose private status link carries ``token``; 404 otherwise."""
    return object_from_token(
        Idea.objects.filter(partnership=partnership),
        purpose="idea-status",
        token=token,
        nonce_field="status_nonce",
    )


# A section of the work list shows this many ideas at a time, the longest waiting first.
INBOX_PER_PAGE = 25


def inbox(
    *, user: Any, partnership: Partnership, stale_days: int = 21, keys: Any = None
) -> dict[str, Any]:
    """Return an advisor's work list: ideas on their desk, ideas waiting for someone to take
    them, and open ideas that have not moved for ``stale_days``; each section a page at a time
    (``keys``: the request's parameters, ``mine_after`` and so on)."""
    from soin.core.paging import keyset_page

    keys = keys or {}
    # The work list shows no challenges: nothing to fetch beside the ideas.
    base = (
        ideas_for(user=user, partnership=partnership)
        .filter(stage__in=workflow.OPEN)
        .prefetch_related(None)
    )
    since = timezone.now() - datetime.timedelta(days=stale_days)
    sections = {
        "mine": (base.filter(handler=user), ("stage_changed_at", "pk")),
        "waiting": (
            base.filter(
                handler__isnull=True, stage__in=[Idea.Stage.RECEIVED, Idea.Stage.REGISTERED]
            ),
            ("received_on", "pk"),
        ),
        "stale": (base.filter(stage_changed_at__lt=since), ("stage_changed_at", "pk")),
    }
    pages: dict[str, Any] = {
        name: keyset_page(
            ideas,
            order=order,
            after=keys.get(f"{name}_after", ""),
            before=keys.get(f"{name}_before", ""),
            per_page=INBOX_PER_PAGE,
            prefix=f"{name}_",
        )
        for name, (ideas, order) in sections.items()
    }
    return {
        **pages,
        "links": {name: page.links(keys) for name, page in pages.items()},
        "stale_days": stale_days,
    }


def stale_ideas(*, partnership: Partnership, days: int) -> QuerySet[Idea]:
    """Return the partnership's open ideas whose stage has not changed for ``days`` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        Idea.objects.filter(
            partnership=partnership, stage__in=workflow.OPEN, stage_changed_at__lt=since
        )
        .select_related("handler")
        .order_by("stage_changed_at")
    )


def challenges_for(*, partnership: Partnership) -> QuerySet[Challenge]:
    """Return the seven shared challenges and the partnership's regional ones."""
    return Challenge.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


@dataclass
class Similar:
    idea: Idea
    score: float


def similar_ideas(
    *,
    partnership: Partnership | None,
    text: str,
    language: str = "sv",
    exclude: Idea | None = None,
    elsewhere: bool = False,
    limit: int = 5,
    threshold: float = 0.12,
) -> list[Similar]:
    """Return the ideas most like ``text``: in ``partnership``, or with ``elsewhere`` in every
    other partnership (the national view). Words are compared by their Snowball stems, so the
    answer is the same on SQLite and PostgreSQL."""
    wanted = set(stems(text, language))
    if not wanted:
        return []
    # Candidates share at least one of the text's most telling (longest) stems.
    telling = sorted(wanted, key=len, reverse=True)[:10]
    match = Q()
    for stem in telling:
        match |= Q(search_stems__contains=f" {stem} ")
    qs = Idea.objects.filter(match, merged_into__isnull=True).select_related("partnership")
    qs = qs.exclude(partnership=partnership) if elsewhere else qs.filter(partnership=partnership)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    scored = [
        Similar(idea, similarity(wanted, set(idea.search_stems.split())))
        for idea in qs.order_by("-received_on")[:1000]
    ]
    scored = [s for s in scored if s.score >= threshold]
    scored.sort(key=lambda s: (-s.score, s.idea.number))
    return scored[:limit]


def similar_ideas_to(*, idea: Idea, limit: int = 5) -> tuple[list[Similar], list[Similar]]:
    """Return the ideas most like ``idea``: in its partnership, and in every other. By meaning
    and words together (``soin.meaning``) when the idea has a vector of its current text; by
    words alone otherwise (the model turned off or unusable, or its vector not computed yet)."""
    from soin.meaning import selectors as meaning

    found = meaning.similar_ideas(idea=idea, limit=limit)
    if found is not None:
        return found
    text = f"{idea.title} {idea.description}"
    partnership = idea.partnership
    return (
        similar_ideas(
            partnership=partnership, text=text, language=idea.language, exclude=idea, limit=limit
        ),
        similar_ideas(
            partnership=partnership, text=text, language=idea.language, elsewhere=True, limit=limit
        ),
    )
