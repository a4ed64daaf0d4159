"""Demo data for impact: a few financial proxies in the national bank, every one marked as an
example value for the demonstration (none has a real source), one of them in a second version;
an illustrative analysis of the social enterprise for women (seed 003's ideas); and the SROI
Guide's worked example as an analysis, which gives the ratio 3.25."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soin.accounts.models import User
from soin.ideas.models import Idea
from soin.impact import services
from soin.impact.models import Analysis, FinancialProxy
from soin.regions.models import Partnership

EXAMPLE = (
    "Exempelvärde för demonstrationen av Soin – inte en verklig källa. "
    "Ersätt med ett värde från en granskad källa innan det används."
)
WORKED = (
    "Exempelvärde för demonstrationen av Soin: räkneexemplet i A Guide to Social Return on "
    "Investment (2012), inte ett uppmätt värde."
)

# (stakeholder, outcome, indicator, value, price year, source)
PROXIES: list[tuple[str, str, str, Decimal, int, str]] = [
    (
        "Deltagare",
        "Arbete efter insatsen",
        "Antal deltagare som har haft en anställning i minst ett år",
        Decimal("150000"),
        2017,
        WORKED,
    ),
    (
        "Kommunen",
        "Minskat behov av försörjningsstöd",
        "Antal hushåll som har lämnat försörjningsstöd",
        Decimal("80000"),
        2017,
        EXAMPLE,
    ),
    (
        "Deltagare",
        "Ökat välbefinnande",
        "Antal deltagare som skattar sitt välbefinnande högre efter ett år",
        Decimal("20000"),
        2017,
        EXAMPLE,
    ),
    (
        "Regionen",
        "Färre besök i vården",
        "Antal undvikna läkarbesök",
        Decimal("2500"),
        2017,
        EXAMPLE,
    ),
]
PROPOSAL = (
    "Föreningar",
    "Fler aktiva volontärer",
    "Antal nya volontärer som är aktiva minst ett år",
    Decimal("12000"),
    2018,
    EXAMPLE,
)
WORKED_TITLE = "Räkneexemplet i SROI-guiden"
DEMO_TITLE = "Socialt företag för kvinnor – ett illustrativt exempel"


def _proxies(partnership: Partnership, actor: User) -> dict[str, FinancialProxy]:
    found: dict[str, FinancialProxy] = {}
    for stakeholder, outcome, indicator, value, year, source in PROXIES:
        proxy = FinancialProxy.objects.filter(outcome=outcome, version=1).first()
        if proxy is None:
            proxy = services.proxy_propose(
                actor=actor,
                partnership=partnership,
                stakeholder=stakeholder,
                outcome=outcome,
                indicator=indicator,
                value=value,
                price_year=year,
                source=source,
            )
            proxy = services.proxy_move(proxy=proxy, actor=None, move="approve")
        # The newest approved version (the first on a first run, before the demo's second).
        found[outcome] = services.latest_version(proxy)
    stakeholder, outcome, indicator, value, year, source = PROPOSAL
    if not FinancialProxy.objects.filter(outcome=outcome).exists():
        services.proxy_propose(
            actor=actor,
            partnership=partnership,
            stakeholder=stakeholder,
            outcome=outcome,
            indicator=indicator,
            value=value,
            price_year=year,
            source=source,
        )
    return found


def _second_version(proxy: FinancialProxy, actor: User, partnership: Partnership) -> None:
    """A newer version of one proxy, so that the demo analysis that uses the first shows it."""
    if FinancialProxy.objects.filter(previous=proxy).exists():
        return
    version = services.proxy_new_version(
        proxy=proxy,
        actor=actor,
        partnership=partnership,
        value=Decimal("82000"),
        price_year=2018,
    )
    services.proxy_move(proxy=version, actor=None, move="approve")


def _worked_example(
    partnership: Partnership, actor: User, idea: Idea, proxy: FinancialProxy
) -> Analysis:
    analysis = services.analysis_create(
        partnership=partnership,
        actor=actor,
        title=WORKED_TITLE,
        idea=idea,
        first_year=2017,
        discount_rate=Decimal("3.5"),
        description=(
            "Räkneexemplet i A Guide to Social Return on Investment (2012) med påhittade "
            "siffror: 20 deltagare, ett finansiellt närmevärde på 150 000 kronor, dödvikt "
            "25 %, undanträngning 10 %, attribution 30 %, avtagande 20 % per år under tre år, "
            "diskonteringsränta 3,5 % och en investering på 1 000 000 kronor. Kvoten blir 3,25."
        ),
    )
    funders = services.stakeholder_add(
        analysis=analysis, actor=actor, name="Finansiärer", description="De som betalar insatsen."
    )
    participants = services.stakeholder_add(
        analysis=analysis,
        actor=actor,
        name="Deltagare",
        description="Personer som står långt från arbetsmarknaden.",
    )
    services.input_add(
        analysis=analysis,
        actor=actor,
        stakeholder=funders,
        description="Insatsens kostnad",
        value=Decimal("1000000"),
    )
    services.outcome_add(
        analysis=analysis,
        actor=actor,
        stakeholder=participants,
        output="20 deltagare har gått igenom insatsen",
        description=proxy.outcome,
        indicator=proxy.indicator,
        quantity=Decimal(20),
        proxy=proxy,
        deadweight=Decimal(25),
        displacement=Decimal(10),
        attribution=Decimal(30),
        drop_off=Decimal(20),
        duration=3,
    )
    return analysis


def _illustration(
    partnership: Partnership, actor: User, idea: Idea, proxies: dict[str, FinancialProxy]
) -> Analysis:
    analysis = services.analysis_create(
        partnership=partnership,
        actor=actor,
        title=DEMO_TITLE,
        idea=idea,
        first_year=2018,
        description=(
            "Ett illustrativt exempel för demonstrationen: intressenterna, insatserna och "
            "utfallen är påhittade och siffrorna är exempelvärden, inte uppgifter om idén."
        ),
    )
    women = services.stakeholder_add(
        analysis=analysis,
        actor=actor,
        name="Kvinnorna i företaget",
        description="Kvinnor som har stått långt från arbetsmarknaden och får arbete i företaget.",
    )
    municipality = services.stakeholder_add(
        analysis=analysis,
        actor=actor,
        name="Kommunen",
        description="Bidrar med handledning och får minskade kostnader för försörjningsstöd.",
    )
    advisers = services.stakeholder_add(
        analysis=analysis,
        actor=actor,
        name="Rådgivare i partnerskapet",
        description="Stöd i att starta och driva ett socialt företag.",
    )
    services.input_add(
        analysis=analysis,
        actor=actor,
        stakeholder=municipality,
        description="Handledning under första året",
        value=Decimal("400000"),
    )
    services.input_add(
        analysis=analysis,
        actor=actor,
        stakeholder=advisers,
        description="Rådgivning och affärsutveckling",
        value=Decimal("150000"),
    )
    services.input_add(
        analysis=analysis,
        actor=actor,
        stakeholder=women,
        description="Egen tid under uppstarten (inte värderad)",
        value=Decimal(0),
    )
    services.outcome_add(
        analysis=analysis,
        actor=actor,
        stakeholder=women,
        output="12 kvinnor har arbetat i företaget",
        description="Arbete efter insatsen",
        indicator=proxies["Arbete efter insatsen"].indicator,
        quantity=Decimal(6),
        proxy=proxies["Arbete efter insatsen"],
        deadweight=Decimal(30),
        displacement=Decimal(10),
        attribution=Decimal(40),
        drop_off=Decimal(25),
        duration=3,
    )
    services.outcome_add(
        analysis=analysis,
        actor=actor,
        stakeholder=women,
        output="12 kvinnor har arbetat i företaget",
        description="Ökat välbefinnande",
        indicator=proxies["Ökat välbefinnande"].indicator,
        quantity=Decimal(12),
        proxy=proxies["Ökat välbefinnande"],
        deadweight=Decimal(20),
        attribution=Decimal(30),
        drop_off=Decimal(50),
        duration=2,
    )
    services.outcome_add(
        analysis=analysis,
        actor=actor,
        stakeholder=municipality,
        output="Hushåll där någon fått arbete",
        description="Minskat behov av försörjningsstöd",
        indicator=proxies["Minskat behov av försörjningsstöd"].indicator,
        quantity=Decimal(5),
        proxy=proxies["Minskat behov av försörjningsstöd"],
        deadweight=Decimal(30),
        attribution=Decimal(40),
        drop_off=Decimal(25),
        duration=3,
    )
    services.outcome_add(
        analysis=analysis,
        actor=actor,
        stakeholder=advisers,
        output="Ett nytt socialt företag",
        description="Erfarenhet som kan användas i nästa rådgivning",
        indicator="Antal rådgivningar där erfarenheten används",
        quantity=Decimal(4),
        proxy_value=Decimal(5000),
        proxy_source=EXAMPLE,
        attribution=Decimal(50),
        drop_off=Decimal(50),
        duration=2,
    )
    return analysis


def seed(*, partnership: Partnership, actor: User) -> dict[str, Any]:
    proxies = _proxies(partnership, actor)
    ideas = {
        i.title: i
        for i in Idea.objects.filter(
            partnership=partnership,
            title__in=["Socialt företag för kvinnor", "Socialt företag för yrkeskörtkort"],
        )
    }
    women = ideas.get("Socialt företag för kvinnor")
    licence = ideas.get("Socialt företag för yrkeskörtkort") or women
    existing = set(Analysis.objects.filter(partnership=partnership).values_list("title", flat=True))
    if women is not None and DEMO_TITLE not in existing:
        _illustration(partnership, actor, women, proxies)
    if licence is not None and WORKED_TITLE not in existing:
        _worked_example(partnership, actor, licence, proxies["Arbete efter insatsen"])
    first = FinancialProxy.objects.get(outcome="Minskat behov av försörjningsstöd", version=1)
    _second_version(first, actor, partnership)
    return {
        "impact_analyses": Analysis.objects.filter(partnership=partnership).count(),
        "financial_proxies": FinancialProxy.objects.count(),
    }
