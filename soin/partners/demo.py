"""Demo data for partners: the 30 partners of the Örebro partnership at the end of 2017
(seed 003 §2), its groups (§3–4) and agreements from the standard templates.

Organisations are public facts; every person here is invented. Phone numbers come from the
series the Swedish Post and Telecom Authority reserves for fiction (070-174 06 05 – 070-174 06 99).
"""

from __future__ import annotations

import datetime
from typing import Any

from soin.partners import selectors, services
from soin.partners.models import Agreement, Group, Organisation
from soin.regions.models import Municipality, Partnership

K = Organisation.Kind

# (name, kind, municipality code or None). Seed 003's table: 16 public actors, 14 civil society.
PARTNERS_2017: list[tuple[str, str, str | None]] = [
    ("Askersunds kommun", K.MUNICIPALITY, "1882"),
    ("Hallsbergs kommun", K.MUNICIPALITY, "1861"),
    ("Hällefors kommun", K.MUNICIPALITY, "1863"),
    ("Karlskoga kommun", K.MUNICIPALITY, "1883"),
    ("Lekebergs kommun", K.MUNICIPALITY, "1814"),
    ("Kumla kommun", K.MUNICIPALITY, "1881"),
    ("Laxå kommun", K.MUNICIPALITY, "1860"),
    ("Lindesbergs kommun", K.MUNICIPALITY, "1885"),
    ("Ljusnarsbergs kommun", K.MUNICIPALITY, "1864"),
    ("Örebro kommun", K.MUNICIPALITY, "1880"),
    ("Länsstyrelsen Örebro län", K.COUNTY_BOARD, "1880"),
    ("Region Örebro län", K.REGION, "1880"),
    ("Örebro universitet", K.UNIVERSITY, "1880"),
    ("Finsam Sydnärke", K.COORDINATION_ASSOCIATION, None),
    ("Finsam Degerfors-Karlskoga", K.COORDINATION_ASSOCIATION, None),
    ("Arbetsförmedlingen", K.EMPLOYMENT_SERVICE, None),
    ("Örebro läns bildningsförbund", K.STUDY_ASSOCIATION, "1880"),
    ("Studieförbundet Vuxenskolan", K.STUDY_ASSOCIATION, None),
    ("Arbetarnas bildningsförbund", K.STUDY_ASSOCIATION, None),
    ("Coompanion", K.COOPERATIVE_DEVELOPMENT, "1880"),
    ("Stiftelsen Activa", K.FOUNDATION, None),
    ("Stiftelsen Cesam", K.FOUNDATION, None),
    ("Länsbygderådet Örebro län", K.ASSOCIATION, None),
    ("Örebro läns idrottsförbund", K.SPORTS_FEDERATION, "1880"),
    ("Hällefors folkhögskola", K.FOLK_HIGH_SCHOOL, "1863"),
    ("Studieförbundet Bilda", K.STUDY_ASSOCIATION, None),
    ("Friluftsförbundet region öst", K.ASSOCIATION, None),
    ("Verdandi Örebro län", K.ASSOCIATION, None),
    ("Konstfrämjandet Bergslagen", K.ASSOCIATION, None),
    ("Möckelnföreningarna", K.ASSOCIATION, None),
]

# Seed 001: the region commissions Stiftelsen Cesam to coordinate the partnership.
COORDINATOR = "Stiftelsen Cesam"

GROUPS_2017: dict[str, list[str]] = {
    Group.WORKING_COMMITTEE: [
        "Hällefors folkhögskola",
        "Coompanion",
        "Verdandi Örebro län",
        "Länsstyrelsen Örebro län",
        "Region Örebro län",
    ],
    Group.PRIMARY_ADVISORY: ["Coompanion", "Region Örebro län"],
    Group.EXTENDED_ADVISORY: [
        "Coompanion",
        "Region Örebro län",
        "Stiftelsen Activa",
        "Studieförbundet Vuxenskolan",
        "Studieförbundet Bilda",
    ],
}

# The seeds do not say when each partner joined; the demo lets all of them join when the
# partnership started its work (seed 001: activities from 2015) and sit in the groups in 2017.
JOINED = datetime.date(2015, 1, 1)
GROUPS_SINCE = datetime.date(2017, 1, 1)

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sofia",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Jonas",
    "Ingrid",
    "Fredrik",
    "Helena",
    "Magnus",
    "Sara",
    "Peter",
    "Linnea",
    "Oskar",
    "Malin",
    "Daniel",
    "Ylva",
    "Henrik",
    "Annika",
    "Viktor",
    "Elsa",
    "Tomas",
]
LAST_NAMES = [
    "Lindqvist",
    "Sjöberg",
    "Ekström",
    "Holmgren",
    "Nordin",
    "Bergkvist",
    "Wallin",
    "Forsberg",
    "Sandberg",
    "Lundin",
    "Hedlund",
    "Åkesson",
    "Blom",
    "Norberg",
    "Strand",
    "Engström",
    "Björk",
    "Dahl",
    "Falk",
    "Gran",
]


def _ascii(text: str) -> str:
    return (
        text.lower()
        .replace("å", "a")
        .replace("ä", "a")
        .replace("ö", "o")
        .replace(" ", "")
        .replace("-", "")
    )


def invented_contact(index: int) -> dict[str, Any]:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
    return {
        "name": f"{first} {last}",
        "title": "Kontaktperson i partnerskapet",
        "email": f"{_ascii(first)}.{_ascii(last)}@example.org",
        "phone": f"070-174 06 {5 + index:02d}",
        "is_public": True,
    }


def seed(*, partnership: Partnership, actor: Any = None) -> dict[str, int]:
    """Create the demo partners, groups, contacts and signed agreements that are missing."""
    municipalities = {m.code: m for m in Municipality.objects.filter(region=partnership.region)}
    existing = {o.name: o for o in partnership.organisations.all()}
    created = 0
    for index, (name, kind, code) in enumerate(PARTNERS_2017):
        org = existing.get(name)
        if org is None:
            org = services.organisation_create(
                partnership=partnership,
                actor=actor,
                name=name,
                kind=kind,
                municipality=municipalities.get(code) if code else None,
                joined_on=JOINED,
                is_coordinator=(name == COORDINATOR),
            )
            services.contact_create(organisation=org, actor=actor, **invented_contact(index))
            existing[name] = org
            created += 1
    for group, names in GROUPS_2017.items():
        for name in names:
            org = existing[name]
            if not org.group_memberships.filter(group=group).exists():
                services.group_membership_add(
                    organisation=org, actor=actor, group=group, since=GROUPS_SINCE
                )
    services.agreement_templates_install(partnership=partnership, actor=actor)
    agreements = 0
    partner_names = {name for name, _kind, _code in PARTNERS_2017}
    for name, org in existing.items():
        # Organisations that are not partners (met at activities) sign no agreement.
        if name == COORDINATOR or name not in partner_names or org.agreements.exists():
            continue
        templates = selectors.templates_for_kind(partnership=partnership, kind=org.kind)
        if not templates:
            continue
        agreement = services.agreement_draft(organisation=org, template=templates[0], actor=actor)
        services.agreement_sign(
            agreement=agreement, actor=actor, signed_on=JOINED, valid_from=JOINED
        )
        agreements += 1
    return {
        "organisations_created": created,
        "agreements_signed": agreements,
        "partners": partnership.organisations.filter(name__in=partner_names).count(),
        "signed_agreements": Agreement.objects.filter(
            partnership=partnership, state=Agreement.State.SIGNED
        ).count(),
    }
