"""Reads for impact analyses and the bank of financial proxies, and an analysis's results:
the impact map, the values per year, the ratio, the payback and the sensitivity table (the
arithmetic is ``sroi.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soin.accounts.permissions import has_perm
from soin.core.normalise import matching
from soin.funding.models import Project
from soin.ideas.models import Idea
from soin.impact import sroi
from soin.impact.models import Analysis, FinancialProxy, Input, Outcome, Stakeholder
from soin.knowledge.models import Entry
from soin.regions.models import Partnership
from soin.reports.tables import Table

HUNDRED = Decimal(100)


# Analyses ----------------------------------------------------------------------------------


def _with_parts(queryset: QuerySet[Analysis]) -> QuerySet[Analysis]:
    return queryset.select_related("idea", "entry", "project").prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("pk")),
        Prefetch("inputs", queryset=Input.objects.select_related("stakeholder").order_by("pk")),
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.select_related("stakeholder", "proxy").order_by("pk"),
        ),
    )


def analyses_for(*, partnership: Partnership) -> QuerySet[Analysis]:
    return _with_parts(Analysis.objects.filter(partnership=partnership))


def analysis_get_for(*, user: Any, partnership: Partnership, pk: int) -> Analysis:
    """The analysis if it is the partnership's and the user may read it; 404 otherwise."""
    if not has_perm(user, "impact.view", partnership):
        raise Http404
    analysis = _with_parts(Analysis.objects.filter(partnership=partnership, pk=pk)).first()
    if analysis is None:
        raise Http404
    return analysis


def stakeholder_get_for(*, analysis: Analysis, pk: int) -> Stakeholder:
    found = Stakeholder.objects.filter(analysis=analysis, pk=pk).select_related("analysis").first()
    if found is None:
        raise Http404
    return found


def input_get_for(*, analysis: Analysis, pk: int) -> Input:
    found = Input.objects.filter(analysis=analysis, pk=pk).select_related("analysis").first()
    if found is None:
        raise Http404
    return found


def outcome_get_for(*, analysis: Analysis, pk: int) -> Outcome:
    found = (
        Outcome.objects.filter(analysis=analysis, pk=pk).select_related("analysis", "proxy").first()
    )
    if found is None:
        raise Http404
    return found


def analyses_of_project(*, project: Project) -> QuerySet[Analysis]:
    """The SROI analyses made of a joint project."""
    return Analysis.objects.filter(project=project).order_by("title")


def innovations_for(
    *, partnership: Partnership
) -> tuple[QuerySet[Idea], QuerySet[Entry], QuerySet[Project]]:
    """The ideas, knowledge-bank entries and joint projects an analysis can be made for."""
    return (
        Idea.objects.filter(partnership=partnership).order_by("title"),
        Entry.objects.filter(partnership=partnership).order_by("sort_key"),
        Project.objects.filter(partnership=partnership).order_by("name"),
    )


# The bank of financial proxies -------------------------------------------------------------


def approved_proxies(
    *, query: str = "", stakeholder: str = "", outcome: str = ""
) -> QuerySet[FinancialProxy]:
    """The bank: approved proxies, searched in their words and filtered by stakeholder and
    outcome."""
    proxies = FinancialProxy.objects.filter(state=FinancialProxy.State.APPROVED)
    words = matching("search_terms", query)
    if words is not None:
        proxies = proxies.filter(words)
    if stakeholder:
        proxies = proxies.filter(stakeholder=stakeholder)
    if outcome:
        proxies = proxies.filter(outcome=outcome)
    return proxies.order_by("stakeholder", "outcome", "pk")


def proxy_facets() -> dict[str, list[str]]:
    """The stakeholders and outcomes of the approved proxies (the bank's filters)."""
    approved = FinancialProxy.objects.filter(state=FinancialProxy.State.APPROVED)
    return {
        "stakeholder": sorted(set(approved.values_list("stakeholder", flat=True))),
        "outcome": sorted(set(approved.values_list("outcome", flat=True))),
    }


def proposed_proxies() -> QuerySet[FinancialProxy]:
    return (
        FinancialProxy.objects.filter(state=FinancialProxy.State.PROPOSED)
        .select_related("proposed_in", "proposed_by", "previous")
        .order_by("created_at", "pk")
    )


def proxy_get(*, pk: int) -> FinancialProxy:
    """A proxy of the bank (any state: the bank is national, every reader sees it)."""
    proxy = (
        FinancialProxy.objects.filter(pk=pk)
        .select_related("proposed_in", "proposed_by", "decided_by", "previous")
        .first()
    )
    if proxy is None:
        raise Http404
    return proxy


def proxy_versions(proxy: FinancialProxy) -> list[FinancialProxy]:
    """Every version in the proxy's line, the first first (rejected proposals of a next
    version included, where they were made)."""
    first = proxy
    while first.previous_id is not None:
        first = FinancialProxy.objects.get(pk=first.previous_id)
    line = [first]
    frontier = [first]
    while frontier:
        following = list(
            FinancialProxy.objects.filter(previous__in=frontier).order_by("version", "pk")
        )
        line.extend(following)
        frontier = following
    return sorted(line, key=lambda p: (p.version, p.pk))


def proxy_choices() -> QuerySet[FinancialProxy]:
    return FinancialProxy.objects.filter(state=FinancialProxy.State.APPROVED).order_by(
        "stakeholder", "outcome"
    )


def newer_versions(outcomes: list[Outcome]) -> dict[int, FinancialProxy]:
    """For each outcome whose bank proxy has a newer approved version: that version."""
    from soin.impact.services import latest_version

    newer = {}
    for outcome in outcomes:
        if outcome.proxy is not None and outcome.proxy.state == FinancialProxy.State.RETIRED:
            latest = latest_version(outcome.proxy)
            if latest.pk != outcome.proxy_id:
                newer[outcome.pk] = latest
    return newer


# Results -----------------------------------------------------------------------------------


def figures_of(outcome: Outcome) -> sroi.OutcomeFigures:
    return sroi.OutcomeFigures(
        quantity=outcome.quantity,
        proxy=outcome.unit_value,
        deadweight=outcome.deadweight / HUNDRED,
        displacement=outcome.displacement / HUNDRED,
        attribution=outcome.attribution / HUNDRED,
        drop_off=outcome.drop_off / HUNDRED,
        duration=outcome.duration,
    )


@dataclass
class StakeholderMap:
    """One stakeholder's row group of the impact map."""

    stakeholder: Stakeholder
    inputs: list[Input]
    outcomes: list[tuple[Outcome, Decimal, Decimal]]  # the outcome, value year 1, impact year 1

    @property
    def input_total(self) -> Decimal:
        return sum((i.value for i in self.inputs), Decimal(0))


@dataclass
class SensitivityRow:
    assumption: str
    low_label: str
    high_label: str
    low_ratio: Decimal | None
    high_ratio: Decimal | None


@dataclass
class Results:
    analysis: Analysis
    outcomes: list[Outcome]
    stakeholders: list[StakeholderMap]
    investment: Decimal
    result: sroi.Result
    sensitivity: list[SensitivityRow]
    newer: dict[int, FinancialProxy]

    @property
    def years(self) -> list[int]:
        return [self.analysis.first_year + n for n in range(self.result.years)]

    @property
    def ratio(self) -> Decimal | None:
        return self.result.ratio

    @property
    def total(self) -> Decimal:
        return self.result.total_present_value

    def year_rows(self) -> list[tuple[Outcome, list[Decimal | None]]]:
        """Each outcome's impact in each year of the analysis (None after its duration)."""
        width = self.result.years
        return [
            (o, [*values, *([None] * (width - len(values)))])
            for o, values in zip(self.outcomes, self.result.impacts, strict=True)
        ]

    def year_totals(self) -> list[Decimal]:
        totals = [Decimal(0)] * self.result.years
        for values in self.result.impacts:
            for index, value in enumerate(values):
                totals[index] += value
        return totals

    def chart_table(self) -> Table:
        """The present value of each year, drawn as bars beside its table."""
        return Table(
            key="present-value",
            title=_("Present value per year (SEK)"),
            label_header=_("Year"),
            columns=[_("Present value (SEK)")],
            rows=[
                (str(year), [sroi.krona(value)])
                for year, value in zip(self.years, self.result.present_values, strict=True)
            ],
            chart="bar",
        )

    def payback_text(self) -> str:
        return payback_text(self.result.payback, self.investment)


def payback_text(payback: sroi.Payback, investment: Decimal) -> str:
    if investment <= 0:
        return _("No payback period without an investment.")
    parts = payback.years_and_months
    if parts is None:
        return _("Not within the period of the analysis.")
    years, months = parts
    years_text = ngettext("%(years)s year", "%(years)s years", years) % {"years": years}
    months_text = ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    if years == 0:
        return months_text
    if months == 0:
        return years_text
    # Translators: a payback period, "2 years and 3 months".
    return _("%(years)s and %(months)s") % {"years": years_text, "months": months_text}


def _plain(value: Decimal) -> str:
    """A number without needless decimals (10, 2.5), as the active language writes it."""
    shown = value.to_integral_value() if value == value.to_integral_value() else value
    return number_format(shown.normalize() if shown != shown.to_integral_value() else shown)


def _points(value: Decimal | int, *, higher: bool) -> str:
    points = _plain(abs(Decimal(value)) * HUNDRED)
    if higher:
        return _("%(points)s percentage points higher") % {"points": points}
    return _("%(points)s percentage points lower") % {"points": points}


def sensitivity_rows(
    outcomes: list[Outcome], variations: list[sroi.Variation]
) -> list[SensitivityRow]:
    names = {
        "deadweight": _("Deadweight, every outcome"),
        "displacement": _("Displacement, every outcome"),
        "attribution": _("Attribution, every outcome"),
        "drop_off": _("Drop-off, every outcome"),
        "duration": _("Duration, every outcome"),
        "rate": _("Discount rate"),
    }
    rows = []
    for v in variations:
        if v.assumption in sroi.SHARES:
            low, high = _points(v.low, higher=False), _points(v.high, higher=True)
            name = names[v.assumption]
        elif v.assumption == "duration":
            low, high = _("one year less"), _("one year more")
            name = names[v.assumption]
        elif v.assumption == "rate":
            low = _("%(rate)s %%") % {"rate": _plain(Decimal(v.low) * HUNDRED)}
            high = _("%(rate)s %%") % {"rate": _plain(Decimal(v.high) * HUNDRED)}
            name = names[v.assumption]
        else:
            assert v.outcome is not None
            step = _plain(sroi.PROXY_STEP * HUNDRED)
            low = _("%(percent)s %% lower") % {"percent": step}
            high = _("%(percent)s %% higher") % {"percent": step}
            name = _("Proxy of “%(outcome)s”") % {"outcome": outcomes[v.outcome].description}
        rows.append(SensitivityRow(name, low, high, v.low_ratio, v.high_ratio))
    return rows


def analysis_results(analysis: Analysis) -> Results:
    """The analysis worked out: the impact map, values per year, PV, ratios, payback and
    the sensitivity of the ratio to each assumption."""
    stakeholders = list(analysis.stakeholders.all())
    inputs = list(analysis.inputs.all())
    outcomes = list(analysis.outcomes.all())
    figures = [figures_of(o) for o in outcomes]
    investment = sum((i.value for i in inputs), Decimal(0))
    rate = analysis.discount_rate / HUNDRED
    result = sroi.calculate(figures, investment=investment, rate=rate)
    maps = [
        StakeholderMap(
            stakeholder=s,
            inputs=[i for i in inputs if i.stakeholder_id == s.pk],
            outcomes=[
                (o, sroi.value_year1(f), sroi.impact_year1(f))
                for o, f in zip(outcomes, figures, strict=True)
                if o.stakeholder_id == s.pk
            ],
        )
        for s in stakeholders
    ]
    variations = sroi.sensitivity(figures, investment=investment, rate=rate) if figures else []
    return Results(
        analysis=analysis,
        outcomes=outcomes,
        stakeholders=maps,
        investment=investment,
        result=result,
        sensitivity=sensitivity_rows(outcomes, variations),
        newer=newer_versions(outcomes),
    )


def ratio_of(analysis: Analysis) -> Decimal | None:
    """The analysis's SROI ratio (its parts prefetched), for lists."""
    investment = sum((i.value for i in analysis.inputs.all()), Decimal(0))
    figures = [figures_of(o) for o in analysis.outcomes.all()]
    return sroi.calculate(
        figures, investment=investment, rate=analysis.discount_rate / HUNDRED
    ).ratio
