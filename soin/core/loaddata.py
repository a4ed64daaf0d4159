"""Generated data at the size of one region or of the national network, for the benchmarks
and for the query-count tests at two sizes.

Every app that holds data has a ``loaddata.py`` with ``generate(load)``, which bulk-inserts
its rows for ``load.partnership`` in proportion to ``load.scale``; ``generate_all`` runs them
in order for every partnership. The text is Swedish (English beside it where the model is
bilingual), the people are invented, the places are Sweden's real regions and municipalities.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from soin.core import aggregates

# The apps with a ``loaddata`` module, in the order their rows depend on each other.
APPS = (
    "soin.partners",
    "soin.accounts",
    "soin.activities",
    "soin.ideas",
    "soin.knowledge",
    "soin.newsletter",
    "soin.reports",
    "soin.funding",
    "soin.plans",
    "soin.grants",
    "soin.impact",
    "soin.audit",
)


@dataclass(frozen=True)
class Scale:
    """How much of everything, per partnership (``partnerships`` of them, over ``years``)."""

    partnerships: int = 21
    years: int = 10
    ideas: int = 2_381  # 50 000 in the nation
    organisations: int = 300
    contacts_per_organisation: int = 16  # 100 000 contact persons in the nation
    staff: int = 8
    partner_contacts: int = 40
    activities_per_year: int = 40
    registrations_per_activity: int = 10
    subscribers: int = 9_524  # 200 000 in the nation
    entries: int = 4_762  # 100 000 knowledge-bank documents in the nation
    news_per_year: int = 12
    issues_per_year: int = 4
    grants_per_year: int = 30
    calls_per_year: int = 6
    analyses: int = 4

    @classmethod
    def named(cls, name: str) -> Scale:
        if name == "national":
            return cls()
        if name == "region":
            return cls(partnerships=1)
        raise ValueError(f"unknown scale {name!r}: region or national")

    @classmethod
    def rows(cls, rows: int, *, partnerships: int = 1) -> Scale:
        """About ``rows`` rows in each list (ideas, entries, subscribers, partners, grants...),
        over the same ten years as the national set, so that a page's tables by year have as
        many rows at either size: the query-count tests and the benchmarks compare a page at
        two such sizes."""
        years = 10
        return cls(
            partnerships=partnerships,
            years=years,
            ideas=rows,
            organisations=rows,
            contacts_per_organisation=2,
            staff=3,
            partner_contacts=max(2, rows // 10),
            activities_per_year=max(1, rows // years),
            registrations_per_activity=3,
            subscribers=rows,
            entries=rows,
            news_per_year=max(1, rows // years),
            issues_per_year=max(1, rows // years),
            grants_per_year=max(1, rows // years),
            calls_per_year=max(1, rows // years),
            analyses=max(1, rows // 10),
        )

    def replace(self, **changes: int) -> Scale:
        return replace(self, **changes)


@dataclass
class Load:
    """What the apps' generators share while they fill one partnership."""

    partnership: Any
    scale: Scale
    rng: random.Random
    text: Text
    first_year: int
    counts: dict[str, int] = field(default_factory=dict)
    # Filled in by the generators that run first, read by those after them.
    organisations: list[Any] = field(default_factory=list)
    staff: list[Any] = field(default_factory=list)
    activities: list[Any] = field(default_factory=list)
    ideas: list[Any] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)
    projects: list[Any] = field(default_factory=list)

    @property
    def years(self) -> range:
        return range(self.first_year, self.first_year + self.scale.years)

    @property
    def municipalities(self) -> list[Any]:
        if not hasattr(self, "_municipalities"):
            self._municipalities = list(self.partnership.region.municipalities.all())
        return self._municipalities

    def day(self, year: int) -> datetime.date:
        """A working day of ``year``, at random."""
        d = datetime.date(year, 1, 2) + datetime.timedelta(days=self.rng.randrange(360))
        while d.weekday() >= 5:
            d += datetime.timedelta(days=1)
        return d

    def moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        at = datetime.time(hour if hour is not None else self.rng.randrange(8, 17), 0)
        return timezone.make_aware(datetime.datetime.combine(day, at))

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def bulk(self, model: type[models.Model], rows: Iterable[models.Model]) -> list[Any]:
        """Insert ``rows`` in batches, keeping the timestamps they were given."""
        rows = list(rows)
        with kept_timestamps(model, rows):
            made = model.objects.bulk_create(rows, batch_size=2_000)  # type: ignore[attr-defined]
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(made)
        return made

    def link(self, through: type[models.Model], rows: Iterable[models.Model]) -> None:
        """Insert the rows of a many-to-many table."""
        rows = list(rows)
        through.objects.bulk_create(rows, batch_size=5_000)  # type: ignore[attr-defined]
        label = through._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)


@contextlib.contextmanager
def kept_timestamps(model: type[models.Model], rows: list[models.Model]) -> Iterator[None]:
    """Let a bulk insert of ``rows`` keep the creation and change times they were given (the
    rows are meant to have been made over ten years, not all this minute); a row given none
    gets the present time, as Django would have set it."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    now = timezone.now()
    for f in fields:
        for row in rows:
            if getattr(row, f.attname) is None:
                setattr(row, f.attname, now)
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[attr-defined]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add  # type: ignore[attr-defined]


# --- Text --------------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Elin",
    "Ida",
    "Hanna",
    "Johanna",
    "Linnea",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jan",
    "Hans",
    "Olof",
    "Peter",
    "Gustav",
    "Oskar",
    "Ali",
    "Amina",
    "Yusuf",
    "Leila",
    "Omar",
    "Fatima",
    "Noor",
    "Aida",
    "Mehmet",
    "Zeynep",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Sandberg",
    "Ahmadi",
    "Hassan",
    "Yilmaz",
    "Korhonen",
    "Nieminen",
    "Lind",
    "Ek",
    "Strand",
    "Åberg",
    "Öberg",
]

WHAT = [
    ("Språkcafé", "Language café"),
    ("Lånecykelpool", "Bike-lending pool"),
    ("Matsvinnsbutik", "Food-waste shop"),
    ("Läxhjälp", "Homework help"),
    ("Seniornätverk", "Senior network"),
    ("Fritidsbank", "Leisure bank"),
    ("Odlingslott", "Allotment"),
    ("Mötesplats", "Meeting place"),
    ("Reparationscafé", "Repair café"),
    ("Bilpool", "Car pool"),
    ("Mentorprogram", "Mentoring programme"),
    ("Sociala företag", "Social enterprise"),
    ("Kulturfestival", "Culture festival"),
    ("Digital vardagshjälp", "Everyday digital help"),
    ("Gårdsbutik", "Farm shop"),
    ("Solcellskooperativ", "Solar co-operative"),
    ("Arbetsträning", "Work training"),
    ("Promenadgrupp", "Walking group"),
]
FOR_WHOM = [
    ("för nyanlända", "for newcomers"),
    ("för unga vuxna", "for young adults"),
    ("för äldre", "for older people"),
    ("för barnfamiljer", "for families with children"),
    ("för långtidsarbetslösa", "for the long-term unemployed"),
    ("för personer med funktionsnedsättning", "for people with disabilities"),
    ("för landsbygdens företagare", "for rural entrepreneurs"),
    ("för hela byn", "for the whole village"),
]
SENTENCES = [
    (
        "Vi vill skapa en plats där människor i {place} kan mötas över generationsgränserna.",
        "We want to create a place where people in {place} can meet across generations.",
    ),
    (
        "Idén bygger på frivilliga krafter och ett nära samarbete med kommunen.",
        "The idea rests on volunteers and close co-operation with the municipality.",
    ),
    (
        "Många i {place} saknar i dag ett sammanhang och en väg in i arbetslivet.",
        "Many in {place} lack a community and a way into working life today.",
    ),
    (
        "Föreningen har redan lokaler men behöver stöd för att komma igång.",
        "The association already has premises but needs support to get started.",
    ),
    (
        "Målet är att minska utanförskapet och stärka den lokala ekonomin.",
        "The aim is to reduce exclusion and strengthen the local economy.",
    ),
    (
        "Verksamheten drivs som ett socialt företag med återinvestering av överskottet.",
        "The work is run as a social enterprise that reinvests its surplus.",
    ),
    (
        "Vi har testat arbetssättet i liten skala under ett år med goda resultat.",
        "We have tried the method on a small scale for a year with good results.",
    ),
    (
        "Studieförbundet bidrar med cirkelledare och lokaler på kvällstid.",
        "The study association provides circle leaders and rooms in the evenings.",
    ),
    (
        "Ungdomarna själva har tagit fram förslaget tillsammans med fritidsgården.",
        "The young people drew up the proposal themselves with the youth centre.",
    ),
    (
        "Ett liknande initiativ i grannkommunen har lett till nya jobb och ökad trygghet.",
        "A similar initiative in the neighbouring municipality led to new jobs and more safety.",
    ),
    (
        "Klimatnyttan är tydlig: mindre transporter och mer återbruk.",
        "The climate benefit is clear: less transport and more reuse.",
    ),
    (
        "Regionen och universitetet har visat intresse för att följa upp effekterna.",
        "The region and the university have shown interest in following up the effects.",
    ),
]


class Text:
    """Swedish text (with its English where asked) from a seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def title(self, place: str) -> tuple[str, str]:
        what_sv, what_en = self.rng.choice(WHAT)
        whom_sv, whom_en = self.rng.choice(FOR_WHOM)
        return f"{what_sv} {whom_sv} i {place}", f"{what_en} {whom_en} in {place}"

    def paragraph(self, place: str, sentences: int = 3) -> tuple[str, str]:
        chosen = self.rng.sample(SENTENCES, k=min(sentences, len(SENTENCES)))
        return (
            " ".join(sv.format(place=place) for sv, _en in chosen),
            " ".join(en.format(place=place) for _sv, en in chosen),
        )

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def email(self, kind: str, n: int, partnership: Any) -> str:
        """An address that cannot reach anyone (example.org), unique by ``kind`` and ``n``."""
        return f"{kind}{n}.{partnership.slug}@example.org"


# --- Running the generators ----------------------------------------------------------------


def partnerships_for(scale: Scale, first_region: int = 0) -> list[Any]:
    """Create the partnerships of the generated set: one per region, in region order from
    the ``first_region``-th."""
    from django.utils.text import slugify

    from soin.regions.models import Partnership, Region
    from soin.regions.services import partnership_create

    regions = list(
        Region.objects.order_by("code")[first_region : first_region + scale.partnerships]
    )
    if len(regions) < scale.partnerships:
        raise ValueError("Sweden's regions are missing: run the migrations first.")
    taken = set(
        Partnership.objects.filter(region__in=regions).values_list("region__code", flat=True)
    )
    if taken:
        raise ValueError(
            "Some regions have a partnership already (" + ", ".join(sorted(taken)) + "): "
            "generate into a database of its own."
        )
    return [
        partnership_create(
            actor=None,
            slug=slugify(r.name_sv.replace("ö", "o").replace("ä", "a").replace("å", "a"))[:50],
            name_sv=f"Partnerskapet för social innovation i {r.name_sv}",
            name_en=f"The social innovation partnership of {r.name_en}",
            region=r,
            contact_email=f"info.{r.code}@example.org",
        )
        for r in regions
    ]


def generate_all(
    scale: Scale,
    *,
    seed: int = 2017,
    first_year: int | None = None,
    first_region: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Fill a database with ``scale``: a transaction per partnership, so that a failure
    leaves whole partnerships only. Return the rows made, per model. The years end with this
    one (unless ``first_year`` says otherwise), so that every data set has what is coming up
    (activities, calls, deadlines) as well as what is past."""
    if first_year is None:
        first_year = timezone.localdate().year - scale.years + 1
    totals: dict[str, int] = {}
    with transaction.atomic():
        partnerships = partnerships_for(scale, first_region)
    generators = [import_module(f"{app}.loaddata").generate for app in APPS]
    for i, partnership in enumerate(partnerships, 1):
        started = time.monotonic()
        rng = random.Random(seed * 100 + first_region + i)
        load = Load(
            partnership=partnership, scale=scale, rng=rng, text=Text(rng), first_year=first_year
        )
        with transaction.atomic():
            for generate in generators:
                generate(load)
        for label, n in load.counts.items():
            totals[label] = totals.get(label, 0) + n
        progress(
            f"{i}/{len(partnerships)} {partnership.slug}: {sum(load.counts.values())} rows "
            f"in {time.monotonic() - started:.1f} s"
        )
    # The planner's statistics, as the database's own maintenance would leave them after a
    # load this size: without them PostgreSQL takes a table of thousands for a row or two.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Bulk inserts send no signals: every cached aggregate is counted again.
    aggregates.stamps_bump_all()
    return totals
