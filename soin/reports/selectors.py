"""Reads for statistics, dashboards, the map and the key figures.

Every statistic is a ``Table`` (``tables.py``): the chart, the accessible table beside it and the
CSV/XLSX download are drawn from the same object. Statistics take a list of partnerships (one for
a region's dashboard, all for the national one), a year (or None for all years) and optionally a
municipality.
"""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from soin.activities.models import Activity, Kind
from soin.ideas.models import Challenge, Idea, IdeaEvent
from soin.partners.models import Organisation
from soin.regions.models import Municipality, Partnership, Region
from soin.reports.models import KeyFigure, Measure, ReportFile, YearlyReport
from soin.reports.tables import Table

S = Idea.Stage
# The advisory process in order, for the funnel and the time in each stage (dropped apart).
PROCESS = [
    S.RECEIVED,
    S.REGISTERED,
    S.IN_ADVICE,
    S.CLARIFYING,
    S.REFINED,
    S.REFERRED,
    S.IN_DEVELOPMENT,
    S.DISSEMINATED,
]


@dataclass
class Scope:
    """What a dashboard counts: which partnerships, which year, which municipality."""

    partnerships: list[Partnership]
    year: int | None = None
    municipality: Municipality | None = None

    @property
    def single(self) -> Partnership | None:
        return self.partnerships[0] if len(self.partnerships) == 1 else None


def _ideas(scope: Scope) -> QuerySet[Idea]:
    qs = Idea.objects.filter(partnership__in=scope.partnerships, merged_into__isnull=True)
    if scope.year:
        qs = qs.filter(received_on__year=scope.year)
    if scope.municipality:
        qs = qs.filter(municipality=scope.municipality)
    return qs


def _activities(scope: Scope) -> QuerySet[Activity]:
    qs = Activity.objects.filter(partnership__in=scope.partnerships, state=Activity.State.PLANNED)
    if scope.year:
        qs = qs.filter(starts_at__year=scope.year)
    if scope.municipality:
        qs = qs.filter(municipality=scope.municipality)
    return qs


def _choice_table(
    key: str, title: str, header: str, choices: Any, counts: dict[str, int], blank: str = ""
) -> Table:
    rows: list[tuple[str, list[Any]]] = [
        (str(label), [counts.get(value, 0)]) for value, label in choices if value != ""
    ]
    if blank and counts.get(""):
        rows.append((blank, [counts[""]]))
    return Table(key, title, header, [_("Ideas")], rows)


def _municipalities(scope: Scope) -> list[Municipality]:
    if scope.municipality:
        return [scope.municipality]
    return list(
        Municipality.objects.filter(region__in=[p.region_id for p in scope.partnerships]).order_by(
            "name"
        )
    )


def idea_tables(scope: Scope) -> list[Table]:
    """Ideas by challenge, solution type, carrier category, channel, municipality and stage."""
    ideas = _ideas(scope)
    tables = []

    challenge_counts: dict[Any, int] = dict(
        ideas.values_list("challenges")
        .annotate(n=Count("pk", distinct=True))
        .values_list("challenges", "n")
    )
    challenges = Challenge.objects.filter(
        Q(partnership__isnull=True) | Q(partnership__in=scope.partnerships)
    ).order_by(F("partnership_id").asc(nulls_first=True), "position", "pk")
    rows: list[tuple[str, list[Any]]] = [
        (c.name, [challenge_counts.get(c.pk, 0)])
        for c in challenges
        if c.partnership_id is None or challenge_counts.get(c.pk)
    ]
    if challenge_counts.get(None):
        rows.append((_("No challenge given yet"), [challenge_counts[None]]))
    tables.append(
        Table(
            "challenges",
            _("Ideas by societal challenge"),
            _("Societal challenge"),
            [_("Ideas")],
            rows,
            note=_("An idea can relate to more than one challenge."),
        )
    )

    def counts(field: str) -> dict[Any, int]:
        return dict(ideas.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    tables.append(
        _choice_table(
            "solution_types",
            _("Ideas by kind of solution"),
            _("Kind of solution"),
            Idea.SolutionType.choices,
            counts("solution_type"),
            blank=_("Not documented yet"),
        )
    )
    tables.append(
        _choice_table(
            "carriers",
            _("Ideas by carrier"),
            _("Carrier"),
            Idea.CarrierCategory.choices,
            counts("carrier_category"),
        )
    )
    tables.append(
        _choice_table(
            "channels",
            _("Ideas by channel"),
            _("Channel"),
            Idea.Channel.choices,
            counts("channel"),
        )
    )
    by_municipality = counts("municipality")
    rows = [(m.name, [by_municipality.get(m.pk, 0)]) for m in _municipalities(scope)]
    if by_municipality.get(None):
        rows.append((_("No municipality given"), [by_municipality[None]]))
    tables.append(
        Table("municipalities", _("Ideas by municipality"), _("Municipality"), [_("Ideas")], rows)
    )
    tables.append(
        _choice_table(
            "stages",
            _("Ideas by stage now"),
            _("Stage"),
            Idea.Stage.choices,
            counts("stage"),
        )
    )
    return tables


def _stage_history(ideas: QuerySet[Idea]) -> dict[int, list[tuple[str, datetime.datetime]]]:
    """Each idea's stages in the order it entered them, with when."""
    history: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    for idea_id, stage, at in (
        IdeaEvent.objects.filter(idea__in=ideas)
        .exclude(to_stage="")
        .order_by("created_at", "pk")
        .values_list("idea_id", "to_stage", "created_at")
    ):
        history[idea_id].append((stage, at))
    return history


# Where an idea's way ends: a stay there does not count as time spent waiting.
END_STAGES = frozenset({S.DISSEMINATED, S.DROPPED})


def process_tables(scope: Scope, *, now: datetime.datetime | None = None) -> list[Table]:
    """The funnel through the advisory process (how many ideas reached each stage; every idea
    was received, whether it came through the form or staff registered it) and the time ideas
    spent in each stage before the end of the way (a stay still going counts up to now, or up
    to the end of the year asked for)."""
    now = now or timezone.now()
    if scope.year:
        year_end = timezone.make_aware(datetime.datetime(scope.year + 1, 1, 1))
        now = min(now, year_end)
    ideas = _ideas(scope)
    current = dict(ideas.values_list("pk", "stage"))
    history = _stage_history(ideas)
    reached: Counter[str] = Counter()
    durations: dict[str, list[float]] = defaultdict(list)
    for idea_id, stage_now in current.items():
        stays = history.get(idea_id, [])
        stages = {s for s, _at in stays} | {stage_now, S.RECEIVED}
        reached.update(stages)
        for index, (stage, since) in enumerate(stays):
            if stage in END_STAGES or since >= now:
                continue
            until = min(stays[index + 1][1], now) if index + 1 < len(stays) else now
            durations[stage].append((until - since).total_seconds() / 86400)
    funnel = Table(
        "funnel",
        _("Ideas that reached each stage"),
        _("Stage"),
        [_("Ideas")],
        [(str(S(s).label), [reached.get(s, 0)]) for s in PROCESS]
        + [(str(S.DROPPED.label), [reached.get(S.DROPPED, 0)])],
        note=_("An idea counts in every stage it has been in."),
    )

    def days(values: list[float], how: Any) -> Decimal:
        if not values:
            return Decimal(0)
        return Decimal(str(how(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    time = Table(
        "time_in_stage",
        _("Days spent in each stage"),
        _("Stage"),
        [_("Median days"), _("Longest, days"), _("Stays")],
        [
            (
                str(S(s).label),
                [days(durations[s], pystats.median), days(durations[s], max), len(durations[s])],
            )
            for s in PROCESS
            if s in durations
        ],
        note=_(
            "A stay that is still going counts up to today, or up to the end of the year "
            "chosen. Disseminated and dropped ideas have reached the end of the way."
        ),
    )
    return [funnel, time]


def activity_tables(scope: Scope) -> list[Table]:
    """Activities per municipality (by kind) and per kind."""
    activities = _activities(scope)
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    for municipality_id, kind, n in (
        activities.values_list("municipality", "kind")
        .annotate(n=Count("pk"))
        .values_list("municipality", "kind", "n")
    ):
        counts[municipality_id][kind] += n
    kinds = [k for k in Kind if any(c.get(k) for c in counts.values())]
    rows: list[tuple[str, list[Any]]] = []
    for m in _municipalities(scope):
        c = counts.get(m.pk, Counter())
        rows.append((m.name, [sum(c.values()), *[c.get(k, 0) for k in kinds]]))
    if counts.get(None):
        c = counts[None]
        rows.append((_("No municipality given"), [sum(c.values()), *[c.get(k, 0) for k in kinds]]))
    per_kind: Counter[str] = Counter()
    for c in counts.values():
        per_kind.update(c)
    return [
        Table(
            "activities_by_municipality",
            _("Activities per municipality"),
            _("Municipality"),
            [_("All activities"), *[str(k.label) for k in kinds]],
            rows,
        ),
        Table(
            "activities_by_kind",
            _("Activities by kind"),
            _("Kind"),
            [_("Activities")],
            [(str(k.label), [per_kind.get(k, 0)]) for k in Kind],
        ),
    ]


def engagement_table(scope: Scope) -> Table:
    """Which partner organisations hosted activities, took part in them and took referrals."""
    activities = _activities(scope)
    hosted = Counter(
        dict(activities.values_list("hosts").annotate(n=Count("pk")).values_list("hosts", "n"))
    )
    took_part = Counter(
        dict(
            activities.values_list("participants")
            .annotate(n=Count("pk"))
            .values_list("participants", "n")
        )
    )
    referrals = Counter(
        dict(
            _ideas(scope)
            .filter(referred_to__isnull=False)
            .values_list("referred_to")
            .annotate(n=Count("pk"))
            .values_list("referred_to", "n")
        )
    )
    ids = {k for k in (*hosted, *took_part, *referrals) if k is not None}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = sorted(
        (
            (names[pk], [hosted.get(pk, 0), took_part.get(pk, 0), referrals.get(pk, 0)])
            for pk in ids
        ),
        key=lambda row: (-sum(row[1]), row[0]),
    )
    return Table(
        "engagement",
        _("Partner engagement"),
        _("Organisation"),
        [_("Hosted activities"), _("Took part in activities"), _("Took referred ideas")],
        rows,
        chart="bars",
        chart_columns=[0, 1, 2],
    )


def newsletter_table(scope: Scope) -> Table:
    """Subscribers at the end of each month of the year and issues sent (every partnership of
    the scope together; a newsletter has no municipality)."""
    from soin.newsletter.models import Issue
    from soin.newsletter.selectors import subscribers_at_month_ends

    year = scope.year or timezone.localdate().year
    totals = [0] * 12
    per_partnership = subscribers_at_month_ends(partnerships=scope.partnerships, year=year)
    for per_month in per_partnership.values():
        for row in per_month:
            totals[row["month"] - 1] += row["total"]
    sent = Counter(
        timezone.localtime(at).month
        for at in Issue.objects.filter(
            partnership__in=scope.partnerships,
            state=Issue.State.SENT,
            sent_at__year=year,
        ).values_list("sent_at", flat=True)
    )
    months = [str(capfirst(MONTHS_3[m])) for m in range(1, 13)]
    return Table(
        "newsletter",
        _("Newsletter subscribers at the end of each month, %(year)s") % {"year": year},
        _("Month"),
        [_("Subscribers"), _("Issues sent")],
        [(months[i], [totals[i], sent.get(i + 1, 0)]) for i in range(12)],
        chart="line",
        chart_columns=[0],
        note=_("The newsletter is not counted per municipality."),
    )


def dashboard_tables(scope: Scope) -> list[Table]:
    """Every table of the statistics page, in the order it shows them: counted over every
    idea, activity and subscriber of the scope, so kept until one of them changes."""

    def compute() -> list[Table]:
        return [
            *idea_tables(scope),
            *process_tables(scope),
            *activity_tables(scope),
            engagement_table(scope),
            newsletter_table(scope),
        ]

    key = (scope.year, scope.municipality.pk if scope.municipality else None)
    return _statistics("dashboard", scope.partnerships, key, compute)  # type: ignore[no-any-return]


# Which builder makes which table, so that one chart is drawn without counting the others.
BUILDERS: dict[str, Any] = {
    **dict.fromkeys(
        ["challenges", "solution_types", "carriers", "channels", "municipalities", "stages"],
        idea_tables,
    ),
    **dict.fromkeys(["funnel", "time_in_stage"], process_tables),
    **dict.fromkeys(["activities_by_municipality", "activities_by_kind"], activity_tables),
    "engagement": lambda scope: [engagement_table(scope)],
    "newsletter": lambda scope: [newsletter_table(scope)],
}


def dashboard_table(scope: Scope, key: str) -> Table:
    """One table of the statistics page (404 for a key it does not have)."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise Http404
    return table_get(builder(scope), key)


def table_get(tables: Sequence[Table], key: str) -> Table:
    for table in tables:
        if table.key == key:
            return table
    raise Http404


def _statistics(name: str, partnerships: Sequence[Partnership], key: Any, compute: Any) -> Any:
    """``compute()`` kept until the data the statistics count changes in ``partnerships``;
    counted again each day, as this year and the stays still going move on
    (soin.core.aggregates)."""
    from soin.core import aggregates

    return aggregates.cached(
        source="statistics",
        key=(name, key, timezone.localdate().isoformat(), get_language()),
        compute=compute,
        partnerships=[p.pk for p in partnerships],
    )


def years_with_data(partnerships: Sequence[Partnership]) -> list[int]:
    """The years that have ideas or activities, newest first, always with this year."""
    # Every idea's and activity's date (across the nation, hundreds of thousands): kept.
    return _statistics("years", partnerships, None, lambda: _years_with_data(partnerships))  # type: ignore[no-any-return]


def _years_with_data(partnerships: Sequence[Partnership]) -> list[int]:
    years = {timezone.localdate().year}
    years.update(
        d.year
        for d in Idea.objects.filter(partnership__in=partnerships).dates("received_on", "year")
    )
    years.update(
        d.year
        for d in Activity.objects.filter(partnership__in=partnerships).dates("starts_at", "year")
    )
    return sorted(years, reverse=True)


def latest_year_with_data(partnerships: Sequence[Partnership]) -> int:
    """What a dashboard opens on: the newest year up to this one with ideas, or failing that
    with activities, or this year."""
    return _statistics(  # type: ignore[no-any-return]
        "latest", partnerships, None, lambda: _latest_year_with_data(partnerships)
    )


def _latest_year_with_data(partnerships: Sequence[Partnership]) -> int:
    this_year = timezone.localdate().year
    for model, field in ((Idea, "received_on"), (Activity, "starts_at")):
        latest = (
            model.objects.filter(partnership__in=partnerships, **{f"{field}__year__lte": this_year})
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )
        if latest:
            return latest.year
    return this_year


# The map ----------------------------------------------------------------------------------


@dataclass
class MapPlace:
    code: str
    name: str
    ideas: int
    activities: int


def map_places(scope: Scope) -> list[MapPlace]:
    """Ideas and activities per municipality of the scope's regions."""
    ideas = dict(
        _ideas(scope)
        .exclude(municipality__isnull=True)
        .values_list("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    activities = dict(
        _activities(scope)
        .exclude(municipality__isnull=True)
        .values_list("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    return [
        MapPlace(m.code, m.name, ideas.get(m.pk, 0), activities.get(m.pk, 0))
        for m in _municipalities(Scope(scope.partnerships, scope.year))
    ]


def map_table(places: Sequence[MapPlace], *, regions: bool = False) -> Table:
    return Table(
        "map",
        _("Ideas and activities per region")
        if regions
        else _("Ideas and activities per municipality"),
        _("Region") if regions else _("Municipality"),
        [_("Ideas"), _("Activities")],
        [(p.name, [p.ideas, p.activities]) for p in places],
        chart="",
    )


# National statistics ----------------------------------------------------------------------


def _count_by_partnership(qs: QuerySet[Any], **counts: Any) -> dict[int, dict[str, int]]:
    return {
        row.pop("partnership_id"): row
        for row in qs.order_by().values("partnership_id").annotate(**counts)
    }


def national_tables(*, scope: Scope, year: int) -> list[Table]:
    """Every table of the national statistics for ``scope`` (every partnership), with the
    partnerships' own figures for ``year``: counted over every idea, activity, subscriber and
    entry of the nation, so kept until one of them changes."""

    def compute() -> list[Table]:
        return [
            national_table(year=year),
            *idea_tables(scope),
            *process_tables(scope),
            *activity_tables(scope)[1:],
            newsletter_table(Scope(scope.partnerships, year)),
        ]

    key = (scope.year, scope.municipality.pk if scope.municipality else None, year)
    return _statistics("national", scope.partnerships, key, compute)  # type: ignore[no-any-return]


def national_table(*, year: int) -> Table:
    """Per partnership: partners at year end, ideas, activities, outreach stops, subscribers at
    year end and published entries in the knowledge bank (one grouped query for each column,
    however many partnerships)."""
    from soin.knowledge.models import Entry
    from soin.newsletter.selectors import subscribers_at_month_ends
    from soin.partners.selectors import organisations_partners_on

    end = datetime.date(year, 12, 31)
    partnerships = partnerships_all()
    scope = Scope(partnerships, year)
    partners = _count_by_partnership(organisations_partners_on(day=end), n=Count("pk"))
    ideas = _count_by_partnership(_ideas(scope), n=Count("pk"))
    activities = _count_by_partnership(
        _activities(scope), n=Count("pk"), stops=Count("pk", filter=Q(kind=Kind.OUTREACH_STOP))
    )
    subscribers = subscribers_at_month_ends(partnerships=partnerships, year=year)
    entries = _count_by_partnership(
        Entry.objects.filter(
            partnership__in=partnerships,
            state=Entry.State.PUBLISHED,
            origin="",
            published_at__year=year,
        ),
        n=Count("pk"),
    )
    none = {"n": 0, "stops": 0}
    rows: list[tuple[str, list[Any]]] = [
        (
            p.region.name,
            [
                partners.get(p.pk, none)["n"],
                ideas.get(p.pk, none)["n"],
                activities.get(p.pk, none)["n"],
                activities.get(p.pk, none)["stops"],
                subscribers[p.pk][-1]["total"],
                entries.get(p.pk, none)["n"],
            ],
        )
        for p in partnerships
    ]
    return Table(
        "partnerships",
        _("The partnerships in %(year)s") % {"year": year},
        _("Region"),
        [
            _("Partners at year end"),
            _("Ideas"),
            _("Activities"),
            _("Outreach stops"),
            _("Subscribers at year end"),
            _("Entries published"),
        ],
        rows,
        chart="bars",
        chart_columns=[1, 2],
    )


def region_places(*, year: int) -> list[MapPlace]:
    """Ideas and activities per region with a partnership, for the national map (two grouped
    queries, kept like the national tables)."""
    return _statistics(  # type: ignore[no-any-return]
        "regions", partnerships_all(), year, lambda: _region_places(year=year)
    )


def _region_places(*, year: int) -> list[MapPlace]:
    partnerships = partnerships_all()
    scope = Scope(partnerships, year)
    ideas = _count_by_partnership(_ideas(scope), n=Count("pk"))
    activities = _count_by_partnership(_activities(scope), n=Count("pk"))
    by_region = {p.region_id: p.pk for p in partnerships}
    none = {"n": 0}
    return [
        MapPlace(
            region.code,
            region.name,
            ideas.get(by_region.get(region.pk, 0), none)["n"],
            activities.get(by_region.get(region.pk, 0), none)["n"],
        )
        for region in Region.objects.order_by("code")
    ]


# Yearly reports ---------------------------------------------------------------------------


def partnerships_all() -> list[Partnership]:
    """Every partnership, by region code: the national statistics' scope."""
    return list(Partnership.objects.select_related("region").order_by("region__code"))


def report_or_unsaved(*, partnership: Partnership, year: int) -> YearlyReport:
    """The partnership's report for ``year``, or one not saved (the data as it is) when none
    has been started."""
    report = YearlyReport.objects.filter(partnership=partnership, year=year).first()
    return report or YearlyReport(partnership=partnership, year=year)


def reports_for(*, partnership: Partnership) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(partnership=partnership).order_by("-year")


def report_get_for(*, partnership: Partnership, year: int) -> YearlyReport:
    report = (
        YearlyReport.objects.filter(partnership=partnership, year=year)
        .select_related("partnership", "partnership__region", "published_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def published_reports(*, partnership: Partnership) -> QuerySet[YearlyReport]:
    return reports_for(partnership=partnership).filter(state=YearlyReport.State.PUBLISHED)


def public_report_get(*, partnership: Partnership, year: int) -> YearlyReport:
    report = published_reports(partnership=partnership).filter(year=year).first()
    if report is None:
        raise Http404
    return report


def public_report_file(
    *, partnership: str, year: int, language: str, fmt: str
) -> ReportFile | None:
    """The stored file of the report the public site shows for ``partnership`` (its slug)
    and ``year``, in one query: the file of the version published now, or None (no such
    report, or not drawn yet: see services.report_file_get_or_draw)."""
    # The front server keeps the answer for its life (deploy/nginx.conf.example), so this is
    # asked about once per file and five minutes, not once per reader.
    return (
        ReportFile.objects.filter(
            report__partnership__slug=partnership,
            report__year=year,
            report__state=YearlyReport.State.PUBLISHED,
            version=F("report__version"),
            language=language,
            fmt=fmt,
        )
        .exclude(file="")
        .first()
    )


# Key figures of the social economy --------------------------------------------------------


def key_figures_for(*, partnership: Partnership) -> QuerySet[KeyFigure]:
    return KeyFigure.objects.filter(partnership=partnership).select_related("municipality")


def key_figure_get_for(*, partnership: Partnership, pk: int) -> KeyFigure:
    figure = key_figures_for(partnership=partnership).filter(pk=pk).first()
    if figure is None:
        raise Http404
    return figure


def fte(hours: Decimal, hours_per_fte: Decimal) -> Decimal:
    """Hours of voluntary work as whole full-time equivalents (a part of one is not counted,
    as the county's own count of 2014 did: 7 376 619 hours at 703.5 hours are 10 485)."""
    return (Decimal(hours) / Decimal(hours_per_fte)).quantize(Decimal(1), rounding=ROUND_DOWN)


@dataclass
class EconomyYear:
    year: int
    values: dict[str, Decimal]
    sources: list[tuple[str, str]]
    fte: Decimal | None


def economy_series(*, partnership: Partnership) -> list[EconomyYear]:
    """The region's key figures year by year: a municipality's figures are summed unless the
    region has its own figure for the measure and year; the region's hours of voluntary work
    as full-time equivalents (the partnership's hours per full-time equivalent)."""
    regional: dict[int, dict[str, Decimal]] = defaultdict(dict)
    summed: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    sources: dict[int, dict[tuple[str, str], None]] = defaultdict(dict)
    for year, municipality_id, measure, value, source, source_url in (
        key_figures_for(partnership=partnership)
        .order_by("year", "pk")
        .values_list("year", "municipality_id", "measure", "value", "source", "source_url")
    ):
        if municipality_id is None:
            regional[year][measure] = value
        else:
            summed[year][measure] += value
        sources[year][(source, source_url)] = None
    result = []
    for year in sorted(set(regional) | set(summed)):
        values = {**summed[year], **regional[year]}
        hours = values.get(Measure.VOLUNTEER_HOURS)
        result.append(
            EconomyYear(
                year=year,
                values=values,
                sources=list(sources[year]),
                fte=fte(hours, partnership.fte_hours) if hours is not None else None,
            )
        )
    return result


def economy_table(*, partnership: Partnership, series: list[EconomyYear] | None = None) -> Table:
    """The key figures year by year (from ``series`` when the caller has read it already)."""
    if series is None:
        series = economy_series(partnership=partnership)
    measures = [m for m in Measure if any(m.value in y.values for y in series)]
    columns = [str(m.label) for m in measures]
    with_fte = any(y.fte is not None for y in series)
    if with_fte:
        columns.append(_("Voluntary work, full-time equivalents"))
    rows: list[tuple[str, list[Any]]] = []
    for y in series:
        # A figure not entered for a year is left empty, never shown as 0.
        values: list[Any] = [y.values.get(m.value) for m in measures]
        if with_fte:
            values.append(y.fte)
        rows.append((str(y.year), values))
    return Table(
        "economy",
        _("Key figures of the social economy"),
        _("Year"),
        columns,
        rows,
        chart="",
    )


def economy_chart_table(
    *, partnership: Partnership, measure: str, series: list[EconomyYear] | None = None
) -> Table:
    """One key figure over the years, for a chart (from ``series`` when read already)."""
    if series is None:
        series = economy_series(partnership=partnership)
    label = Measure(measure).label
    return Table(
        f"economy_{measure}",
        str(label),
        _("Year"),
        [str(label)],
        [(str(y.year), [y.values[measure]]) for y in series if measure in y.values],
        chart="line",
    )
