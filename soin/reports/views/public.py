"""Public pages: the region's state of the social economy (its key figures over the years) and
the published yearly reports (as a page and as PDF, DOCX or HTML)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from soin.core.uploads import file_response
from soin.regions.models import Partnership
from soin.reports import documents, selectors, services
from soin.reports.charts import chart_svg, inline
from soin.reports.models import Measure, ReportFile
from soin.reports.views.staff import REPORT_TYPES, economy_chart_response, svg_response

# A published version never changes, but a reopened report must leave readers' caches soon:
# a short life, then the ETag asks whether it is still the same.
PUBLIC_FILE_CACHE = "public, max-age=300"


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
    doc, drawings = documents.public_drawing(published, language)
    return render(
        request,
        "reports/public/report.html",
        {
            "partnership": obj,
            "report": published,
            "doc": doc,
            "charts": {key: inline(svg) for key, svg in drawings.items()},
        },
    )


def report_chart(request: HttpRequest, partnership: str, year: int, key: str) -> HttpResponse:
    published = selectors.public_report_get(partnership=_partnership(partnership), year=year)
    _doc, drawings = documents.public_drawing(published, _language())
    if key not in drawings:
        raise Http404
    return svg_response(drawings[key])


def report_download(
    request: HttpRequest, partnership: str, year: int, fmt: str
) -> HttpResponse | FileResponse:
    """The published report as a file, drawn once per version and language and then sent as
    stored (soin.reports.services.report_file_get_or_draw)."""
    if fmt not in ReportFile.Format.values:
        raise Http404
    language = _language()
    # Once drawn (nearly always): one query, the figures left unread.
    stored = selectors.public_report_file(
        partnership=partnership, year=year, language=language, fmt=fmt
    )
    if stored is None or not services.report_file_on_disk(stored):
        published = selectors.public_report_get(partnership=_partnership(partnership), year=year)
        stored = services.report_file_get_or_draw(report=published, language=language, fmt=fmt)
        if stored is None:
            raise Http404  # reopened while we looked
    etag = f'"{stored.version}-{stored.sha256[:32]}"'
    modified = int(stored.drawn_at.timestamp()) if stored.drawn_at else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        not_modified["Cache-Control"] = PUBLIC_FILE_CACHE
        return not_modified
    response = file_response(
        stored.file,
        content_type=REPORT_TYPES[fmt],
        filename=f"verksamhetsrapport-{partnership}-{year}-{language}.{fmt}",
        cache=PUBLIC_FILE_CACHE,
    )
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response
