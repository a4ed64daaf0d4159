"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from soin.ideas import services as idea_services
from soin.impact import services

if TYPE_CHECKING:
    from soin.core.testing import World


def extend(w: World) -> None:
    """Add this app's records to ``w.extra``: an approved proxy of the bank, a proposal, and
    an analysis of the world's idea with a stakeholder, an input and an outcome; an analysis
    of the other partnership too."""
    from soin.core.testing import COORDINATOR, NATIONAL, OTHER

    coordinator = w.users[COORDINATOR]
    proxy = services.proxy_propose(
        actor=coordinator,
        partnership=w.partnership,
        stakeholder="Deltagare",
        outcome="Arbete efter insatsen",
        indicator="Antal deltagare i arbete ett år senare",
        value=Decimal("150000"),
        price_year=2017,
        source="Exempelvärde för tester",
    )
    proxy = services.proxy_move(proxy=proxy, actor=w.users[NATIONAL], move="approve")
    proposal = services.proxy_propose(
        actor=coordinator,
        partnership=w.partnership,
        stakeholder="Kommunen",
        outcome="Minskat försörjningsstöd",
        indicator="Antal hushåll",
        value=Decimal("80000"),
        price_year=2017,
        source="Exempelvärde för tester",
    )
    analysis = services.analysis_create(
        partnership=w.partnership,
        actor=coordinator,
        title="Lånecyklarnas värde",
        idea=w.idea,
        first_year=2017,
    )
    stakeholder = services.stakeholder_add(analysis=analysis, actor=coordinator, name="Deltagare")
    item = services.input_add(
        analysis=analysis,
        actor=coordinator,
        stakeholder=stakeholder,
        description="Insatsens kostnad",
        value=Decimal("1000000"),
    )
    outcome = services.outcome_add(
        analysis=analysis,
        actor=coordinator,
        stakeholder=stakeholder,
        description="Arbete efter insatsen",
        indicator="Antal deltagare i arbete",
        quantity=Decimal(20),
        proxy=proxy,
        deadweight=Decimal(25),
        displacement=Decimal(10),
        attribution=Decimal(30),
        drop_off=Decimal(20),
        duration=3,
    )
    other_idea = idea_services.idea_register(
        partnership=w.other_partnership,
        actor=w.users[OTHER],
        channel="outreach",
        received_on=datetime.date(2018, 3, 1),
        title="Värmländsk idé",
        description="En idé i det andra partnerskapet.",
        carrier_category="association",
    )
    other = services.analysis_create(
        partnership=w.other_partnership,
        actor=w.users[OTHER],
        title="Värmlands analys",
        idea=other_idea,
        first_year=2018,
    )
    w.extra.update(
        impact_proxy=proxy,
        impact_proposal=proposal,
        impact_analysis=analysis,
        impact_stakeholder=stakeholder,
        impact_input=item,
        impact_outcome=outcome,
        impact_other_analysis=other,
    )


def extend_abroad(w: World, records: dict[str, Any]) -> None:
    """The other partnership's analysis with a stakeholder, an input and an outcome (see
    ``soin.core.testing.abroad``)."""
    from soin.core.testing import OTHER

    actor = w.users[OTHER]
    analysis = w.impact_other_analysis
    stakeholder = services.stakeholder_add(analysis=analysis, actor=actor, name="Vandrare")
    records.update(
        impact_analysis=analysis,
        impact_stakeholder=stakeholder,
        impact_input=services.input_add(
            analysis=analysis,
            actor=actor,
            stakeholder=stakeholder,
            description="Ledarens tid",
            value=Decimal("5000"),
        ),
        impact_outcome=services.outcome_add(
            analysis=analysis,
            actor=actor,
            stakeholder=stakeholder,
            description="Bättre hälsa",
            indicator="Antal deltagare",
            quantity=Decimal(5),
            proxy_value=Decimal("1000"),
            proxy_source="Exempelvärde för tester",
        ),
    )
