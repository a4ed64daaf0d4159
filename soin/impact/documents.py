"""An analysis as a workbook (XLSX, openpyxl) and as a PDF (WeasyPrint), drawn from the same
results as its page (``selectors.analysis_results``), and the bank of proxies as a table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from soin.core.exports import workbook_xlsx
from soin.impact import selectors, sroi
from soin.impact.models import Analysis, FinancialProxy
from soin.reports import charts


def _ratio(value: Decimal | None) -> Any:
    return _("no ratio without an investment") if value is None else sroi.two_decimals(value)


def summary_rows(results: selectors.Results) -> list[list[Any]]:
    analysis = results.analysis
    return [
        [_("Analysis"), analysis.title],
        [_("Innovation"), str(analysis.innovation)],
        [_("First year"), analysis.first_year],
        [_("Discount rate (%)"), analysis.discount_rate],
        [_("Investment (SEK)"), sroi.krona(results.investment)],
        [_("Total present value (SEK)"), sroi.krona(results.total)],
        [_("SROI ratio"), _ratio(results.ratio)],
        [_("Net SROI ratio"), _ratio(results.result.net_ratio)],
        [_("Payback period"), results.payback_text()],
    ]


def map_headers() -> list[str]:
    return [
        _("Stakeholder"),
        _("Inputs (SEK)"),
        _("Output"),
        _("Outcome"),
        _("Indicator"),
        _("Quantity"),
        _("Financial proxy (SEK)"),
        _("Source of the proxy"),
        _("Deadweight (%)"),
        _("Displacement (%)"),
        _("Attribution (%)"),
        _("Drop-off (%)"),
        _("Duration (years)"),
        _("Impact, first year (SEK)"),
    ]


def proxy_source(outcome: Any) -> str:
    if outcome.proxy is not None:
        proxy = outcome.proxy
        return f"{proxy.source} (v{proxy.version}, {proxy.price_year})"
    return str(outcome.proxy_source)


def map_rows(results: selectors.Results) -> list[list[Any]]:
    rows = []
    for group in results.stakeholders:
        inputs = sroi.krona(group.input_total)
        if not group.outcomes:
            rows.append([group.stakeholder.name, inputs, *[""] * 12])
        for index, (outcome, _value, impact) in enumerate(group.outcomes):
            rows.append(
                [
                    group.stakeholder.name,
                    # The stakeholder's inputs once, on its first row, so the column adds up.
                    inputs if index == 0 else "",
                    outcome.output,
                    outcome.description,
                    outcome.indicator,
                    outcome.quantity,
                    outcome.unit_value,
                    proxy_source(outcome),
                    outcome.deadweight,
                    outcome.displacement,
                    outcome.attribution,
                    outcome.drop_off,
                    outcome.duration,
                    sroi.krona(impact),
                ]
            )
    return rows


def year_headers(results: selectors.Results) -> list[str]:
    return [_("Outcome"), *[str(y) for y in results.years]]


def year_rows(results: selectors.Results) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [o.description, *["" if v is None else sroi.krona(v) for v in values]]
        for o, values in results.year_rows()
    ]
    rows.append([_("Impact, every outcome"), *[sroi.krona(v) for v in results.year_totals()]])
    rows.append([_("Present value"), *[sroi.krona(v) for v in results.result.present_values]])
    return rows


def sensitivity_headers() -> list[str]:
    return [
        _("Assumption"),
        _("Lower value"),
        _("SROI ratio with the lower value"),
        _("Higher value"),
        _("SROI ratio with the higher value"),
    ]


def sensitivity_rows(results: selectors.Results) -> list[list[Any]]:
    return [
        [r.assumption, r.low_label, _ratio(r.low_ratio), r.high_label, _ratio(r.high_ratio)]
        for r in results.sensitivity
    ]


def analysis_xlsx(analysis: Analysis, language: str) -> bytes:
    with translation.override(language):
        results = selectors.analysis_results(analysis)
        return workbook_xlsx(
            [
                (_("Summary"), [_("Figure"), _("Value")], summary_rows(results)),
                (_("Impact map"), map_headers(), map_rows(results)),
                (_("Impact per year"), year_headers(results), year_rows(results)),
                (_("Sensitivity"), sensitivity_headers(), sensitivity_rows(results)),
            ]
        )


def analysis_html(analysis: Analysis, language: str) -> str:
    with translation.override(language):
        results = selectors.analysis_results(analysis)
        chart = None
        if results.result.years:
            chart = charts.inline(charts.chart_svg(results.chart_table()))
        return render_to_string(
            "impact/analysis_document.html",
            {
                "results": results,
                "analysis": analysis,
                "chart": chart,
                "language": language,
            },
        )


def analysis_pdf(analysis: Analysis, language: str) -> bytes:
    from weasyprint import HTML

    html = analysis_html(analysis, language)
    # Tagged PDF (PDF/UA-1): headings, tables and reading order for screen readers.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def bank_headers() -> list[str]:
    return [
        _("Stakeholder"),
        _("Outcome"),
        _("Indicator"),
        _("Proxy value"),
        _("Currency"),
        _("Price year"),
        _("Version"),
        _("Source"),
        _("Source address"),
    ]


def bank_rows(proxies: list[FinancialProxy]) -> list[list[Any]]:
    return [
        [
            p.stakeholder,
            p.outcome,
            p.indicator,
            p.value,
            p.currency,
            p.price_year,
            p.version,
            p.source,
            p.source_url,
        ]
        for p in proxies
    ]
