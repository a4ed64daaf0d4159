"""Generated yearly reports (drafts, one a year, with a narrative) and the social-economy key
figures for the region and some of its municipalities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soin.reports.models import KeyFigure, ReportEvent, YearlyReport


def generate(load: Any) -> None:
    p, rng = load.partnership, load.rng
    reports = []
    for year in load.years:
        text, _en = load.text.paragraph(p.region.name_sv, 4)
        created = load.moment(load.day(year))
        reports.append(
            YearlyReport(
                partnership=p,
                year=year,
                narrative={"summary": text},
                created_at=created,
                updated_at=created,
            )
        )
    reports = load.bulk(YearlyReport, reports)
    load.bulk(
        ReportEvent,
        (
            ReportEvent(report=r, kind="created", to_state="draft", created_at=r.created_at)
            for r in reports
        ),
    )
    measures = [m for m, _label in KeyFigure._meta.get_field("measure").choices or []]
    figures = []
    for year in load.years:
        for place in [None, *load.municipalities[:3]]:
            for measure in measures:
                figures.append(
                    KeyFigure(
                        partnership=p,
                        year=year,
                        municipality=place,
                        measure=measure,
                        value=Decimal(rng.randrange(5, 5_000)),
                        source="SCB, Företagsregistret",
                        created_by=load.pick(load.staff),
                        created_at=load.moment(load.day(year)),
                        updated_at=load.moment(load.day(year)),
                    )
                )
    load.bulk(KeyFigure, figures)
