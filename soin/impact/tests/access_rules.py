"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from typing import Any

from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL, World
from soin.core.tests.access_rules import Rule, members, p

READ = members(COORDINATOR, ADVISOR, NATIONAL)
CHANGE = members(COORDINATOR, ADVISOR)


def analysis(w: World) -> dict[str, Any]:
    return {"partnership": w.partnership.slug, "pk": w.impact_analysis.pk}


def part(name: str) -> Any:
    return lambda w: {**analysis(w), "item": getattr(w, name).pk}


def proxy(name: str) -> Any:
    return lambda w: {"partnership": w.partnership.slug, "pk": getattr(w, name).pk}


def outcome_data(w: World) -> dict[str, Any]:
    return {
        "stakeholder": w.impact_stakeholder.pk,
        "description": "Färre sjukdagar",
        "indicator": "Antal dagar",
        "quantity": "10",
        "proxy_value": "1000",
        "proxy_source": "Exempelvärde",
        "deadweight": "0",
        "displacement": "0",
        "attribution": "0",
        "drop_off": "0",
        "duration": "1",
    }


PROXY_DATA = {
    "stakeholder": "Deltagare",
    "outcome": "Ökat välbefinnande",
    "indicator": "Antal deltagare",
    "value": "20000",
    "currency": "SEK",
    "price_year": "2018",
    "source": "Exempelvärde",
}

RULES: list[Rule] = [
    Rule("staff:impact", READ, p, sweep=True),
    Rule("staff:impact_analysis_new", CHANGE, p, sweep=True),
    Rule(
        "staff:impact_analysis_new",
        CHANGE,
        p,
        method="POST",
        data=lambda w: {
            "title": "Ny analys",
            "idea": w.idea.pk,
            "first_year": "2018",
            "discount_rate": "3.5",
        },
        variant="save",
    ),
    Rule("staff:impact_analysis", READ, analysis, sweep=True, foreign=True),
    Rule("staff:impact_analysis_edit", CHANGE, analysis, sweep=True, foreign=True),
    Rule(
        "staff:impact_analysis_download",
        READ,
        lambda w: {**analysis(w), "fmt": "xlsx"},
        foreign=True,
    ),
    Rule(
        "staff:impact_analysis_download",
        READ,
        lambda w: {**analysis(w), "fmt": "pdf"},
        variant="pdf",
        foreign=True,
    ),
    Rule("staff:impact_stakeholder_add", CHANGE, analysis, sweep=True, foreign=True),
    Rule(
        "staff:impact_stakeholder_edit",
        CHANGE,
        part("impact_stakeholder"),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:impact_stakeholder_remove",
        CHANGE,
        part("impact_stakeholder"),
        method="POST",
        foreign=True,
    ),
    Rule("staff:impact_input_add", CHANGE, analysis, sweep=True, foreign=True),
    Rule("staff:impact_input_edit", CHANGE, part("impact_input"), sweep=True, foreign=True),
    Rule("staff:impact_input_remove", CHANGE, part("impact_input"), method="POST", foreign=True),
    Rule("staff:impact_outcome_add", CHANGE, analysis, sweep=True, foreign=True),
    Rule(
        "staff:impact_outcome_add",
        CHANGE,
        analysis,
        method="POST",
        data=outcome_data,
        variant="save",
        foreign=True,
    ),
    Rule("staff:impact_outcome_edit", CHANGE, part("impact_outcome"), sweep=True, foreign=True),
    Rule(
        "staff:impact_outcome_remove",
        CHANGE,
        part("impact_outcome"),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:impact_outcome_proxy_update",
        CHANGE,
        part("impact_outcome"),
        method="POST",
        foreign=True,
    ),
    # The bank is national: the same under every partnership's address.
    Rule("staff:impact_proxies", READ, p, sweep=True),
    Rule("staff:impact_proxies_download", READ, lambda w: {**p(w), "fmt": "csv"}),
    Rule(
        "staff:impact_proxies_download",
        READ,
        lambda w: {**p(w), "fmt": "xlsx"},
        variant="xlsx",
    ),
    Rule("staff:impact_proxy_propose", READ, p, sweep=True),
    Rule("staff:impact_proxy_propose", READ, p, method="POST", data=PROXY_DATA, variant="save"),
    Rule("staff:impact_proxy", READ, proxy("impact_proxy"), sweep=True),
    Rule("staff:impact_proxy", READ, proxy("impact_proposal"), sweep=True, variant="proposal"),
    Rule(
        "staff:impact_proxy_move",
        members(NATIONAL),
        proxy("impact_proposal"),
        method="POST",
        data={"move": "approve"},
    ),
    Rule("staff:impact_proxy_new_version", READ, proxy("impact_proxy"), sweep=True),
    Rule(
        "staff:impact_proxy_new_version",
        READ,
        proxy("impact_proxy"),
        method="POST",
        data={**PROXY_DATA, "outcome": "Arbete efter insatsen", "value": "160000"},
        variant="save",
    ),
]
