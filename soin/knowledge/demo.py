"""Demo data for the knowledge bank and the news: four of the 2017 ideas documented and
published (their carriers' consent recorded, their names not published), two existing
solutions from a research circle, a draft, and the partnership's news of early 2018 (seed 004).
The texts are written for the demo; the seeds name the ideas, not their details."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from soin.ideas.models import Challenge, Idea
from soin.knowledge import services
from soin.knowledge.models import Entry, News
from soin.regions.models import Municipality, Partnership

T = datetime.datetime

# (idea title or None, fields, organisations involved, published on)
ENTRIES: list[tuple[str | None, dict[str, Any], list[str], datetime.date | None]] = [
    (
        "Maker Space",
        {
            "title_sv": "Maker Space i Kumla",
            "title_en": "A maker space in Kumla",
            "summary_sv": "En öppen verkstad där invånare lagar, bygger och återbrukar "
            "tillsammans, med verktyg som ingen behöver äga själv.",
            "summary_en": "An open workshop where residents repair, build and reuse things "
            "together, with tools that nobody needs to own alone.",
            "story_sv": "Idén kom till husvagnen i Kumla i september 2017. En förening ville "
            "ta vara på saker som annars slängs och samtidigt skapa en mötesplats. Med stöd "
            "från rådgivarna blev idén en ansökan om projektmedel.",
            "story_en": "The idea came to the caravan in Kumla in September 2017. An "
            "association wanted to make use of things that are otherwise thrown away and to "
            "create a meeting place at the same time. With the advisors' support the idea "
            "became an application for project funding.",
            "solution_type": "event",
            "new_for": "municipality",
            "evidence_level": "experience",
            "can_spread": "yes",
        },
        ["Coompanion"],
        datetime.date(2018, 1, 15),
    ),
    (
        "Socialt företag för kvinnor",
        {
            "title_sv": "Socialt företag för kvinnor långt från arbetsmarknaden",
            "title_en": "A social enterprise for women far from the labour market",
            "summary_sv": "Ett arbetsintegrerande socialt företag där kvinnor får arbete, "
            "gemenskap och en väg vidare till anställning.",
            "summary_en": "A work-integration social enterprise where women get work, company "
            "and a way on to employment.",
            "story_sv": "Idén möttes i Varberga och lämnades till Coompanion, som gav råd om "
            "kooperativ företagsform och affärsplan.",
            "story_en": "The idea was met in Varberga and handed to Coompanion, which advised "
            "on the cooperative form of business and the business plan.",
            "solution_type": "social_enterprise",
            "new_for": "locality",
            "evidence_level": "experience",
            "can_spread": "yes",
        },
        ["Coompanion"],
        datetime.date(2018, 2, 1),
    ),
    (
        "Integrationsguide 1",
        {
            "title_sv": "Integrationsguider i Fellingsbro",
            "title_en": "Integration guides in Fellingsbro",
            "summary_sv": "Ortsbor guidar nyanlända i samhället och föreningslivet, "
            "en kväll i veckan.",
            "summary_en": "Local people guide newcomers through society and the local "
            "associations, one evening a week.",
            "story_sv": "Studieförbundet Vuxenskolan tog emot idén och ordnar cirklar där "
            "guiderna lär sig av varandra.",
            "story_en": "Studieförbundet Vuxenskolan took the idea on and runs study circles "
            "where the guides learn from each other.",
            "solution_type": "working_method",
            "new_for": "locality",
            "evidence_level": "documented",
            "can_spread": "yes",
        },
        ["Studieförbundet Vuxenskolan"],
        datetime.date(2018, 2, 20),
    ),
    (
        "Restaurang/café för och av personer med varierande funktionstillstånd",
        {
            "title_sv": "Café av och för personer med olika funktionsförutsättningar",
            "title_en": "A café run by and for people with different abilities",
            "summary_sv": "Ett café där personer med olika funktionsförutsättningar arbetar "
            "och möter gäster, i samarbete med ett socialt företag.",
            "summary_en": "A café where people with different abilities work and meet guests, "
            "together with a social enterprise.",
            "solution_type": "social_enterprise",
            "new_for": "municipality",
            "evidence_level": "experience",
            "can_spread": "yes",
        },
        ["Stiftelsen Activa"],
        datetime.date(2018, 3, 5),
    ),
    (
        None,
        {
            "kind": Entry.Kind.EXISTING,
            "title_sv": "Bygdens gemensamma servicepunkt",
            "title_en": "The village's shared service point",
            "summary_sv": "Föreningar i en by driver tillsammans en servicepunkt med "
            "paketutlämning, bibliotek och samhällsinformation när butiken lagts ner.",
            "summary_en": "Associations in a village run a shared service point with parcel "
            "collection, a library and public information after the shop closed.",
            "story_sv": "Lösningen togs fram i en forskningscirkel om service på landsbygden "
            "2017. Den har funnits i flera år och kan spridas till andra byar.",
            "story_en": "The solution was identified in a research circle on rural services in "
            "2017. It has existed for several years and can spread to other villages.",
            "solution_type": "service",
            "new_for": "region",
            "evidence_level": "evaluated",
            "can_spread": "yes",
            "other_organisations": "Byalaget",
        },
        ["Länsbygderådet Örebro län"],
        datetime.date(2017, 12, 12),
    ),
    (
        None,
        {
            "kind": Entry.Kind.EXISTING,
            "title_sv": "Läxhjälp med idrottsföreningen",
            "title_en": "Homework help with the sports club",
            "summary_sv": "Idrottsföreningen erbjuder läxhjälp före träningen, med ideella "
            "ledare och studenter som läxhjälpare.",
            "summary_en": "The sports club offers homework help before training, with volunteer "
            "leaders and students as helpers.",
            "solution_type": "education",
            "new_for": "target_group",
            "evidence_level": "documented",
            "can_spread": "yes",
        },
        ["Örebro läns idrottsförbund"],
        datetime.date(2017, 11, 20),
    ),
    (
        "Vita jobb",
        {
            "title_sv": "Vita jobb genom föreningen",
            "title_en": "Legal jobs through the association",
        },
        [],
        None,
    ),
]

MUNICIPALITY = {
    "Bygdens gemensamma servicepunkt": "1884",  # Nora
    "Läxhjälp med idrottsföreningen": "1880",  # Örebro
}
CHALLENGES = {
    "Maker Space i Kumla": ["climate", "inclusive-societies"],
    "Bygdens gemensamma servicepunkt": ["inclusive-societies"],
    "Läxhjälp med idrottsföreningen": ["inclusive-societies", "health"],
}

NEWS: list[tuple[str, str, str, str, datetime.datetime]] = [
    (
        "Nya parter i partnerskapet",
        "New partners in the partnership",
        "SOFINT – Samordningsförbundet i Norra Örebro län har anslutit sig till partnerskapet. "
        "Nu är tre av länets samordningsförbund med. Välkomna!",
        "SOFINT, the coordination association of northern Örebro county, has joined the "
        "partnership: three of the county's coordination associations now take part. Welcome!",
        T(2018, 1, 22, 9, 0),
    ),
    (
        "Erfarenhetsseminarier våren 2018",
        "Experience seminars in spring 2018",
        "Under våren ordnar partnerskapet erfarenhetsseminarier om idrott och integration och "
        "om sociala företag. Anmäl dig i kalendern.",
        "In the spring the partnership holds experience seminars on sport and integration and "
        "on social enterprises. Register in the calendar.",
        T(2018, 2, 5, 9, 0),
    ),
]


def seed(*, partnership: Partnership, actor: Any) -> dict[str, int]:
    """Create the demo entries and news that are missing."""
    tz = timezone.get_current_timezone()
    existing = set(Entry.objects.filter(partnership=partnership).values_list("title_sv", flat=True))
    challenges = {c.key: c for c in Challenge.objects.filter(partnership__isnull=True)}
    organisations = {o.name: o for o in partnership.organisations.all()}
    created = 0
    for idea_title, fields, orgs, published in ENTRIES:
        if fields["title_sv"] in existing:
            continue
        idea = (
            Idea.objects.filter(partnership=partnership, title=idea_title).first()
            if idea_title
            else None
        )
        if idea_title and idea is None:
            continue
        extra: dict[str, Any] = {
            "organisations": [organisations[n] for n in orgs if n in organisations]
        }
        title = fields["title_sv"]
        if title in MUNICIPALITY:
            extra["municipality"] = Municipality.objects.get(code=MUNICIPALITY[title])
        if title in CHALLENGES:
            extra["challenges"] = [challenges[k] for k in CHALLENGES[title]]
        entry = services.entry_create(
            partnership=partnership, actor=actor, idea=idea, **fields, **extra
        )
        if published is None:
            created += 1
            continue
        if entry.kind == Entry.Kind.IDEA:
            services.entry_record_consent(
                entry=entry,
                actor=actor,
                note="Idébäraren samtyckte vid samtal med rådgivaren (demo).",
            )
        entry = services.entry_move(entry=entry, actor=actor, move="submit")
        services.entry_move(entry=entry, actor=actor, move="publish", seen_version=entry.version)
        moment = T(published.year, published.month, published.day, 10, 0, tzinfo=tz)
        Entry.objects.filter(pk=entry.pk).update(published_at=moment, state_changed_at=moment)
        created += 1
    news_created = 0
    titles = set(News.objects.filter(partnership=partnership).values_list("title_sv", flat=True))
    for title_sv, title_en, body_sv, body_en, when in NEWS:
        if title_sv in titles:
            continue
        news = services.news_create(
            partnership=partnership,
            actor=actor,
            title_sv=title_sv,
            title_en=title_en,
            body_sv=body_sv,
            body_en=body_en,
        )
        services.news_publish(news=news, actor=actor, seen_version=news.version)
        News.objects.filter(pk=news.pk).update(published_at=when.replace(tzinfo=tz))
        news_created += 1
    return {
        "bank_entries_created": created,
        "bank_entries": Entry.objects.filter(partnership=partnership).count(),
        "news_created": news_created,
    }
