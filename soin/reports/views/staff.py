"""Back-office pages: the statistics dashboard (charts with their tables and downloads, the
map), the yearly reports, the key figures of the social economy, and national statistics."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.exports import XLSX_TYPE, table_response, workbook_xlsx
from soin.core.forms import apply_service_error
from soin.core.routers import reporting_reads
from soin.core.views import run_action, run_form_action, staff_view
from soin.regions.models import Partnership
from soin.reports import charts, documents, selectors, services, workflow
from soin.reports.forms import (
    KeyFigureForm,
    MoveForm,
    NarrativeForm,
    ReportCreateForm,
    StatisticsFilterForm,
)
from soin.reports.models import Measure, YearlyReport
from soin.reports.tables import Table

SVG_TYPE = "image/svg+xml"


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type=SVG_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    return response


def _scope(
    request: HttpRequest, partnerships: list[Partnership], region: Any, *, strict: bool = False
) -> tuple[selectors.Scope, StatisticsFilterForm]:
    """The year and municipality asked for. A page with filters it cannot read shows the form
    with its errors and the default figures; a chart or a download answers 404."""
    years = selectors.years_with_data(partnerships)
    latest = selectors.latest_year_with_data(partnerships)
    data = request.GET if {"year", "municipality"} & set(request.GET) else None
    form = StatisticsFilterForm(data, years=years, region=region, initial={"year": latest})
    if data is not None and form.is_valid():
        return (
            selectors.Scope(
                partnerships, form.cleaned_data["year"], form.cleaned_data.get("municipality")
            ),
            form,
        )
    if data is not None and strict:
        raise Http404
    return selectors.Scope(partnerships, latest), form


def _query(scope: selectors.Scope) -> str:
    year = scope.year or ""
    municipality = scope.municipality.code if scope.municipality else ""
    return f"?year={year}&municipality={municipality}"


def _download(tables: list[Table], key: str, fmt: str, filename: str) -> HttpResponse:
    if key == "all":
        response = HttpResponse(
            workbook_xlsx([(t.title, t.headers, t.plain_rows()) for t in tables]),
            content_type=XLSX_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    table = selectors.table_get(tables, key)
    return table_response(
        fmt=fmt,
        filename=f"{filename}-{key}",
        title=table.title,
        headers=table.headers,
        rows=table.plain_rows(),
    )


def _drawn(tables: list[Table]) -> dict[str, Any]:
    """The charts of a page, drawn into it (a chart for each table that has one and has
    something to show)."""
    return {t.key: charts.inline(charts.chart_svg(t)) for t in tables if t.chart and not t.is_empty}


def _scope_name(scope: selectors.Scope) -> str:
    parts = [str(scope.year) if scope.year else "alla-ar"]
    if scope.municipality:
        parts.append(scope.municipality.code)
    return "-".join(parts)


# The dashboard ----------------------------------------------------------------------------


@staff_view("statistics.view")
def statistics(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    scope, form = _scope(request, [partnership], partnership.region)
    tables = selectors.dashboard_tables(scope)
    places = selectors.map_places(scope)
    svgs = _drawn(tables)
    svgs["map"] = charts.inline(
        charts.map_svg(places, title=_("Ideas and activities per municipality"))
    )
    return render(
        request,
        "reports/staff/statistics.html",
        {
            "partnership": partnership,
            "form": form,
            "scope": scope,
            "tables": tables,
            "svgs": svgs,
            "map_table": selectors.map_table(places),
            "reached": sum(1 for p in places if p.activities),
            "query": _query(scope),
        },
    )


@staff_view("statistics.view")
def statistics_chart(request: HttpRequest, partnership: Partnership, key: str) -> HttpResponse:
    scope, _form = _scope(request, [partnership], partnership.region, strict=True)
    if key == "map":
        return svg_response(
            charts.map_svg(
                selectors.map_places(scope),
                title=_("Ideas and activities per municipality"),
            )
        )
    table = selectors.dashboard_table(scope, key)
    if not table.chart:
        raise Http404
    return svg_response(charts.chart_svg(table))


@staff_view("statistics.view")
def statistics_download(
    request: HttpRequest, partnership: Partnership, key: str, fmt: str
) -> HttpResponse:
    scope, _form = _scope(request, [partnership], partnership.region, strict=True)
    tables = [*selectors.dashboard_tables(scope), selectors.map_table(selectors.map_places(scope))]
    if key == "all" and fmt != "xlsx":
        raise Http404
    return _download(tables, key, fmt, f"statistik-{partnership.slug}-{_scope_name(scope)}")


# Yearly reports ---------------------------------------------------------------------------


@staff_view("reports.view")
def report_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    can_change = has_perm(request.user, "reports.change", partnership)
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_create(
                    partnership=partnership, actor=request.user, year=form.cleaned_data["year"]
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The report was started as a draft."))
                return redirect("staff:report", partnership=partnership.slug, year=report.year)
    return render(
        request,
        "reports/staff/report_list.html",
        {
            "partnership": partnership,
            "reports": selectors.reports_for(partnership=partnership),
            "form": form,
            "can_change": can_change,
        },
    )


def _language(request: HttpRequest) -> str:
    language = request.GET.get("language") or request.LANGUAGE_CODE
    return language if language in ("sv", "en") else "sv"


@staff_view("reports.view")
def report_detail(request: HttpRequest, partnership: Partnership, year: int) -> HttpResponse:
    report = selectors.report_get_for(partnership=partnership, year=year)
    language = _language(request)
    doc = documents.outline(report, language)
    return render(
        request,
        "reports/staff/report_detail.html",
        {
            "partnership": partnership,
            "report": report,
            "doc": doc,
            "language": language,
            "charts": {key: charts.inline(documents.chart(doc, key)) for key in doc.tables},
            "moves": workflow.available_moves(request.user, report),
            "can_change": has_perm(request.user, "reports.change", partnership)
            and report.state == YearlyReport.State.DRAFT,
            "events": report.events.select_related("actor"),
        },
    )


@staff_view("reports.view")
def report_chart(
    request: HttpRequest, partnership: Partnership, year: int, key: str
) -> HttpResponse:
    report = selectors.report_get_for(partnership=partnership, year=year)
    doc = documents.outline(report, _language(request))
    if key not in doc.tables:
        raise Http404
    return svg_response(documents.chart(doc, key))


@staff_view("reports.change")
def report_edit(request: HttpRequest, partnership: Partnership, year: int) -> HttpResponse:
    report = selectors.report_get_for(partnership=partnership, year=year)
    if report.state != YearlyReport.State.DRAFT:
        messages.error(request, _("Reopen the report before changing it: it has been published."))
        return redirect("staff:report", partnership=partnership.slug, year=year)
    form = NarrativeForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, actor=request.user, narrative=form.narrative())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:report", partnership=partnership.slug, year=year)
    return render(
        request,
        "reports/staff/report_edit.html",
        {"partnership": partnership, "report": report, "form": form},
    )


@require_POST
@staff_view("reports.publish")
def report_move(request: HttpRequest, partnership: Partnership, year: int) -> HttpResponse:
    report = selectors.report_get_for(partnership=partnership, year=year)
    run_form_action(
        request,
        MoveForm(request.POST),
        lambda data: services.report_move(
            report=report, actor=request.user, move=data["move"], note=data["note"]
        ),
    )
    return redirect("staff:report", partnership=partnership.slug, year=year)


REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def report_file(
    report: YearlyReport, fmt: str, language: str, *, public: bool = False
) -> HttpResponse:
    """The report as a download: PDF, DOCX or HTML (``public``: as the public site shows it)."""
    name = f"verksamhetsrapport-{report.partnership.slug}-{report.year}-{language}"
    if fmt == "pdf":
        response = HttpResponse(
            documents.report_pdf(report, language, public=public), content_type=REPORT_TYPES[fmt]
        )
    elif fmt == "docx":
        response = HttpResponse(
            documents.report_docx(report, language, public=public),
            content_type=REPORT_TYPES[fmt],
        )
    elif fmt == "html":
        response = HttpResponse(
            documents.report_html(report, language, public=public),
            content_type=REPORT_TYPES[fmt],
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_view("reports.view")
def report_download(
    request: HttpRequest, partnership: Partnership, year: int, fmt: str
) -> HttpResponse:
    report = selectors.report_get_for(partnership=partnership, year=year)
    return report_file(report, fmt, _language(request))


# Key figures of the social economy ---------------------------------------------------------


@staff_view("statistics.view")
def economy(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    can_change = has_perm(request.user, "economy.change", partnership)
    form = KeyFigureForm(request.POST or None, partnership=partnership)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.key_figure_create(
                    partnership=partnership, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The key figure was saved."))
                return redirect("staff:economy", partnership=partnership.slug)
    return render(
        request,
        "reports/staff/economy.html",
        {
            "partnership": partnership,
            "figures": selectors.key_figures_for(partnership=partnership),
            "table": selectors.economy_table(partnership=partnership),
            "series": selectors.economy_series(partnership=partnership),
            "form": form,
            "can_change": can_change,
            "can_settings": has_perm(request.user, "partnership.change", partnership),
        },
    )


@staff_view("economy.change")
def economy_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    figure = selectors.key_figure_get_for(partnership=partnership, pk=pk)
    form = KeyFigureForm(request.POST or None, instance=figure, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        figure.refresh_from_db()
        try:
            services.key_figure_update(figure=figure, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:economy", partnership=partnership.slug)
    return render(
        request,
        "reports/staff/economy_edit.html",
        {"partnership": partnership, "figure": figure, "form": form},
    )


@require_POST
@staff_view("economy.change")
def economy_delete(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    figure = selectors.key_figure_get_for(partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.key_figure_delete(figure=figure, actor=request.user),
        _("The key figure was removed."),
    )
    return redirect("staff:economy", partnership=partnership.slug)


@staff_view("statistics.view")
def economy_download(request: HttpRequest, partnership: Partnership, fmt: str) -> HttpResponse:
    table = selectors.economy_table(partnership=partnership)
    return _download([table], "economy", fmt, f"nyckeltal-{partnership.slug}")


def economy_chart_response(partnership: Partnership, measure: str) -> HttpResponse:
    if measure not in Measure.values:
        raise Http404
    table = selectors.economy_chart_table(partnership=partnership, measure=measure)
    if not table.rows:
        raise Http404
    return svg_response(charts.chart_svg(table))


@staff_view("statistics.view")
def economy_chart(request: HttpRequest, partnership: Partnership, measure: str) -> HttpResponse:
    return economy_chart_response(partnership, measure)


# National statistics ----------------------------------------------------------------------


def national_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard a page across every partnership: the national coordinator's."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_perm(request.user, "statistics.national", None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.staff_permission = "statistics.national"  # type: ignore[attr-defined]
    return wrapped


def _national(
    request: HttpRequest, *, strict: bool = True
) -> tuple[selectors.Scope, StatisticsFilterForm, list[Table]]:
    # Counted over every partnership: on the read replica when there is one (soin.core.routers).
    with reporting_reads():
        partnerships = selectors.partnerships_all()
        scope, form = _scope(request, partnerships, None, strict=strict)
        year = scope.year or selectors.latest_year_with_data(partnerships)
        tables = selectors.national_tables(scope=scope, year=year)
    # Ideas per municipality across the nation would be 290 rows; per region is the national
    # picture (the first table and the map).
    tables = [t for t in tables if t.key != "municipalities"]
    return scope, form, tables


@national_view
def national_statistics(request: HttpRequest) -> HttpResponse:
    scope, form, tables = _national(request, strict=False)
    year = scope.year or selectors.latest_year_with_data(scope.partnerships)
    places = selectors.region_places(year=year)
    svgs = _drawn(tables)
    svgs["map"] = charts.inline(
        charts.map_svg(places, title=_("Ideas and activities per region"), kind="region")
    )
    return render(
        request,
        "reports/staff/national.html",
        {
            "form": form,
            "scope": scope,
            "year": year,
            "tables": tables,
            "svgs": svgs,
            "map_table": selectors.map_table(places, regions=True),
            "query": _query(scope),
        },
    )


@national_view
def national_chart(request: HttpRequest, key: str) -> HttpResponse:
    scope, _form, tables = _national(request)
    if key == "map":
        year = scope.year or selectors.latest_year_with_data(scope.partnerships)
        return svg_response(
            charts.map_svg(
                selectors.region_places(year=year),
                title=_("Ideas and activities per region"),
                kind="region",
            )
        )
    table = selectors.table_get(tables, key)
    if not table.chart:
        raise Http404
    return svg_response(charts.chart_svg(table))


@national_view
def national_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    scope, _form, tables = _national(request)
    year = scope.year or selectors.latest_year_with_data(scope.partnerships)
    tables.append(selectors.map_table(selectors.region_places(year=year), regions=True))
    if key == "all" and fmt != "xlsx":
        raise Http404
    return _download(tables, key, fmt, f"statistik-nationell-{_scope_name(scope)}")
