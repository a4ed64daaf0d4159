"""Generated knowledge bank: entries in Swedish and English (from the partnership's ideas
and existing solutions found elsewhere), mostly published, with their challenges, partners,
links and timeline, the search index built as the services build it; some of them imported
from the two other installations this one reads (its exchange sources), published or waiting
in review; and news items."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from soin.ideas.models import Challenge
from soin.knowledge import search
from soin.knowledge.models import Entry, EntryEvent, EntryLink, ExchangeSource, News

# The other installations read, installation-wide: made with the first partnership.
SOURCES = (
    ("https://kunskapsbanken.example.se", False, True),  # the national bank, a relay
    ("https://vastra.example.se", True, False),
)
# One entry in this many (of those not written from an idea) is imported.
IMPORTED_EVERY = 20


def sources(load: Any) -> list[ExchangeSource]:
    if not ExchangeSource.objects.exists():
        # Dated without the generator's chance, which the rows after these would notice.
        first = timezone.make_aware(datetime.datetime(load.years[0], 1, 15, 10))
        read = timezone.now() - datetime.timedelta(hours=6)
        load.bulk(
            ExchangeSource,
            (
                ExchangeSource(
                    origin=origin,
                    publish_directly=directly,
                    trusted_as_relay=relay,
                    created_at=first,
                    last_read_at=read,
                )
                for origin, directly, relay in SOURCES
            ),
        )
    return list(ExchangeSource.objects.order_by("origin"))


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    origins = [s.origin for s in sources(load)]
    solutions = [c for c, _label in Entry._meta.get_field("solution_type").choices or [] if c]
    ideas = [i for i in load.ideas if i.stage in ("in_development", "disseminated")]
    years = list(load.years)
    entries = []
    for n in range(scale.entries):
        year = years[n * len(years) // max(1, scale.entries)]
        place = load.pick(load.municipalities)
        title_sv, title_en = load.text.title(place.name)
        summary_sv, summary_en = load.text.paragraph(place.name, 2)
        story_sv, story_en = load.text.paragraph(place.name, 6)
        idea = ideas[n] if n < len(ideas) else None
        state = rng.choice(["published"] * 8 + ["draft", "in_review"])
        imported = idea is None and n % IMPORTED_EVERY == 3
        origin = origins[n // IMPORTED_EVERY % 2] if imported else ""
        if origin and state == "draft":
            state = "in_review"  # an import is published or waits in review, never a draft
        published = load.moment(load.day(year)) if state == "published" else None
        created = published or load.moment(load.day(year))
        entries.append(
            Entry(
                partnership=p,
                slug=f"post-{n + 1}",
                kind=Entry.Kind.IDEA if idea else Entry.Kind.EXISTING,
                idea=idea,
                title_sv=title_sv,
                title_en=title_en if n % 4 else "",
                summary_sv=summary_sv,
                summary_en=summary_en if n % 4 else "",
                story_sv=story_sv,
                story_en=story_en if n % 4 else "",
                solution_type=rng.choice(solutions),
                municipality=place,
                carrier_name=load.text.name() if idea else "",
                carrier_consent_at=created if idea else None,
                state=state,
                state_changed_at=created,
                published_at=published,
                origin=origin,
                origin_updated_at=created if origin else None,
                sort_key=search.sort_key(title_sv),
                created_at=created,
                updated_at=created,
            )
        )
    entries = load.bulk(Entry, entries)
    load.entries = entries
    shared = list(Challenge.objects.filter(partnership__isnull=True))
    partners = load.organisations
    challenges, organisations = Entry.challenges.through, Entry.organisations.through
    load.link(
        challenges,
        (
            challenges(entry_id=e.pk, challenge_id=c.pk)
            for i, e in enumerate(entries)
            for c in rng.sample(shared, k=1 + i % 3)
        ),
    )
    load.link(
        organisations,
        (
            organisations(entry_id=e.pk, organisation_id=load.pick(partners).pk)
            for e in entries[::2]
        ),
    )
    load.bulk(
        EntryLink,
        (
            EntryLink(entry=e, url=f"https://example.org/erfarenheter/{e.slug}", label_sv="Läs mer")
            for e in entries[::3]
        ),
    )
    load.bulk(
        EntryEvent,
        (
            EntryEvent(entry=e, kind=kind, to_state=to, created_at=e.created_at)
            for e in entries
            for kind, to in (
                [("imported", e.state)]
                if e.origin
                else [("created", "draft"), ("moved", "published")]
                if e.state == "published"
                else [("created", "draft")]
            )
        ),
    )
    indexed = (
        Entry.objects.filter(pk__in=[e.pk for e in entries])
        .select_related("municipality")
        .prefetch_related("challenges", Prefetch("organisations"))
    )
    for entry in indexed.iterator(chunk_size=1_000):
        search.index(entry)
    news = []
    for year in years:
        for n in range(scale.news_per_year):
            place = load.pick(load.municipalities)
            title_sv, title_en = load.text.title(place.name)
            body_sv, body_en = load.text.paragraph(place.name, 4)
            when = load.moment(load.day(year))
            news.append(
                News(
                    partnership=p,
                    slug=f"nyhet-{year}-{n + 1}",
                    title_sv=title_sv,
                    title_en=title_en,
                    body_sv=body_sv,
                    body_en=body_en,
                    state="published",
                    published_at=when,
                    created_by=load.pick(load.staff),
                    created_at=when - datetime.timedelta(days=2),
                    updated_at=when,
                )
            )
    load.bulk(News, news)
