"""Generated impact analyses (SROI) of some ideas and projects, with stakeholders, inputs
and outcomes valued by the national bank's approved proxies where there are any."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soin.impact.models import Analysis, FinancialProxy, Input, Outcome, Stakeholder


def generate(load: Any) -> None:
    p, scale = load.partnership, load.scale
    subjects: list[dict[str, Any]] = [
        {"project": pr} for pr in load.projects[: scale.analyses // 2]
    ]
    subjects += [{"idea": i} for i in load.ideas if i.stage == "disseminated"][
        : scale.analyses - len(subjects)
    ]
    subjects += [{"entry": e} for e in load.entries if e.idea_id is None][
        : scale.analyses - len(subjects)
    ]
    analyses = load.bulk(
        Analysis,
        (
            Analysis(
                partnership=p,
                title=f"SROI: {str(next(iter(s.values())))[:150]}",
                description="Analys av den sociala avkastningen under tre år.",
                first_year=load.first_year,
                created_by=load.pick(load.staff),
                **s,
            )
            for s in subjects
        ),
    )
    stakeholders = load.bulk(
        Stakeholder,
        (
            Stakeholder(analysis=a, name=name, description="")
            for a in analyses
            for name in ("Deltagarna", "Kommunen")
        ),
    )
    load.bulk(
        Input,
        (
            Input(
                analysis=s.analysis, stakeholder=s, description="Arbetstid", value=Decimal(150_000)
            )
            for s in stakeholders
        ),
    )
    proxy = FinancialProxy.objects.filter(state="approved").first()
    load.bulk(
        Outcome,
        (
            Outcome(
                analysis=s.analysis,
                stakeholder=s,
                output="Deltagare i verksamheten",
                description="Fler i arbete",
                indicator="Antal som fått arbete",
                quantity=Decimal(12),
                proxy=proxy,
                proxy_value=None if proxy else Decimal(120_000),
                proxy_source="" if proxy else "SCB, genomsnittlig lön",
                deadweight=Decimal("0.25"),
                attribution=Decimal("0.30"),
                drop_off=Decimal("0.20"),
                duration=3,
            )
            for s in stakeholders
        ),
    )
