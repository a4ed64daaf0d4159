"""Public pages: the region's state of the social economy (its key figures over the years) and
the published yearly reports (as a page and as PDF, DOCX or HTML)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from soin.regions.models import Partnership
from soin.reports import documents, selectors
from soin.reports.charts import chart_svg, inline
from soin.reports.models import Measure
from soin.reports.views.staff import economy_chart_response, report_file, svg_response


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("region"), slug=slug)


def _language() -> str:
    language = get_language() or "sv"
    return language if language in ("sv", "en") else "sv"


def economy(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    series = selectors.economy_series(partnership=obj)
    measures = [m for m in Measure if any(m.value in y.values for y in series)]
    charts_ = [
        (m, selectors.economy_chart_table(partnership=obj, measure=m.value, series=series))
        for m in measures
    ]
    return render(
        request,
        "reports/public/economy.html",
        {
            "partnership": obj,
            "series": series,
            "latest": series[-1] if series else None,
            "table": selectors.economy_table(partnership=obj, series=series),
            "charts": charts_,
            "svgs": {
                m.value: inline(chart_svg(table)) for m, table in charts_ if len(table.rows) > 1
            },
        },
    )


def economy_chart(request: HttpRequest, partnership: str, measure: str) -> HttpResponse:
    return economy_chart_response(_partnership(partnership), measure)


def reports(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    return render(
        request,
        "reports/public/report_list.html",
        {"partnership": obj, "reports": selectors.published_reports(partnership=obj)},
    )


def report(request: HttpRequest, partnership: str, year: int) -> HttpResponse:
    obj = _partnership(partnership)
    published = selectors.public_report_get(partnership=obj, year=year)
    language = _language()
    doc = documents.outline(published, language, public=True)
    return render(
        request,
        "reports/public/report.html",
        {
            "partnership": obj,
            "report": published,
            "doc": doc,
            "charts": {key: inline(documents.chart(doc, key)) for key in doc.tables},
        },
    )


def report_chart(request: HttpRequest, partnership: str, year: int, key: str) -> HttpResponse:
    published = selectors.public_report_get(partnership=_partnership(partnership), year=year)
    doc = documents.outline(published, _language())
    if key not in doc.tables:
        raise Http404
    return svg_response(documents.chart(doc, key))


def report_download(request: HttpRequest, partnership: str, year: int, fmt: str) -> HttpResponse:
    published = selectors.public_report_get(partnership=_partnership(partnership), year=year)
    return report_file(published, fmt, _language(), public=True)
