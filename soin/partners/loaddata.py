"""Generated partners: organisations of every kind (the first one coordinating), their
contact persons, memberships, seats in the partnership's groups, and agreements."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.text import slugify

from soin.core.normalise import stored_terms
from soin.partners.models import (
    Agreement,
    AgreementEvent,
    AgreementTemplate,
    ContactPerson,
    GroupMembership,
    Membership,
    Organisation,
)

KINDS = [k for k, _label in Organisation.Kind.choices]
NAMES = {
    Organisation.Kind.ASSOCIATION: "Föreningen {place} {n}",
    Organisation.Kind.STUDY_ASSOCIATION: "Studieförbundet {place} {n}",
    Organisation.Kind.FOUNDATION: "Stiftelsen {place} {n}",
    Organisation.Kind.BUSINESS: "{place} Affärsutveckling {n} AB",
    Organisation.Kind.COOPERATIVE_DEVELOPMENT: "Coompanion {place} {n}",
    Organisation.Kind.SPORTS_FEDERATION: "Idrottsförbundet {place} {n}",
    Organisation.Kind.FOLK_HIGH_SCHOOL: "{place} folkhögskola {n}",
}


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    places = load.municipalities
    first = datetime.date(load.first_year, 1, 1)
    orgs = []
    for n in range(scale.organisations):
        place = places[n % len(places)]
        if n == 0:
            kind, name = Organisation.Kind.REGION, f"Region {p.region.name_sv} (samordnare)"
        elif n <= len(places):
            kind, name = Organisation.Kind.MUNICIPALITY, f"{place.name} kommun"
        else:
            kind = rng.choice([k for k in KINDS if k in NAMES])
            name = NAMES[kind].format(place=place.name, n=n)
        about_sv, about_en = load.text.paragraph(place.name, 2)
        orgs.append(
            Organisation(
                partnership=p,
                name=name,
                slug=slugify(name)[:70] or f"org-{n}",
                search_terms=stored_terms(name),
                kind=kind,
                municipality=place,
                website=f"https://org{n}.example.org/",
                email=load.text.email("org", n, p),
                description_sv=about_sv,
                description_en=about_en,
                is_coordinator=n == 0,
                created_at=load.moment(first),
                updated_at=load.moment(first),
            )
        )
    orgs = load.bulk(Organisation, orgs)
    load.organisations = orgs
    load.bulk(
        ContactPerson,
        (
            ContactPerson(
                organisation=org,
                name=load.text.name(),
                title=rng.choice(["Verksamhetsledare", "Utvecklare", "Ordförande", "Handläggare"]),
                email=load.text.email("kontakt", i * 100 + j, p),
                phone=f"070-000 {i % 100:02d} {j:02d}",
                is_public=j == 0,
            )
            for i, org in enumerate(orgs)
            for j in range(scale.contacts_per_organisation)
        ),
    )
    load.bulk(
        Membership,
        (
            Membership(organisation=org, joined_on=load.day(rng.choice(list(load.years))))
            for org in orgs[1:]
        ),
    )
    groups = [g for g, _label in GroupMembership._meta.get_field("group").choices or []]
    load.bulk(
        GroupMembership,
        (
            GroupMembership(organisation=org, group=groups[i % len(groups)], since=first)
            for i, org in enumerate(orgs[1 : 1 + 3 * 7])
        ),
    )
    found = list(AgreementTemplate.objects.filter(partnership=p))
    templates = {kind: t for t in found for kind in t.kinds}
    agreements = []
    for i, org in enumerate(orgs[1:], 1):
        template = templates.get(org.kind) or found[0]
        signed = i % 4 != 0
        signed_on = load.day(rng.choice(list(load.years))) if signed else None
        agreements.append(
            Agreement(
                partnership=p,
                organisation=org,
                counterpart=orgs[0],
                template=template,
                state=Agreement.State.SIGNED if signed else Agreement.State.DRAFT,
                preamble_sv=template.preamble_sv,
                preamble_en=template.preamble_en,
                coordinator_commitments_sv=template.coordinator_commitments_sv,
                coordinator_commitments_en=template.coordinator_commitments_en,
                partner_commitments_sv=template.partner_commitments_sv,
                partner_commitments_en=template.partner_commitments_en,
                signed_on=signed_on,
                valid_from=signed_on,
                created_at=load.moment(signed_on or first),
            )
        )
    agreements = load.bulk(Agreement, agreements)
    load.bulk(
        AgreementEvent,
        (
            AgreementEvent(agreement=a, kind=kind, created_at=a.created_at)
            for a in agreements
            for kind in (
                [AgreementEvent.Kind.DRAFTED, AgreementEvent.Kind.SIGNED]
                if a.state == Agreement.State.SIGNED
                else [AgreementEvent.Kind.DRAFTED]
            )
        ),
    )
