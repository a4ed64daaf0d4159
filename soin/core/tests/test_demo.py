from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command

from soin.accounts.models import User
from soin.partners.models import Agreement, ContactPerson, Sector
from soin.partners.selectors import group_members_on, partners_by_sector
from soin.regions.models import Partnership


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_has_the_30_partners_of_2017_by_type() -> None:
    seed()
    p = Partnership.objects.get(slug="orebro")
    groups = {
        g.sector: g.count
        for g in partners_by_sector(partnership=p, day=datetime.date(2017, 12, 31))
    }
    assert groups == {Sector.PUBLIC: 16, Sector.CIVIL_SOCIETY: 14}
    members = group_members_on(partnership=p, day=datetime.date(2017, 6, 1))
    names = {g: sorted(o.name for o in orgs) for g, orgs in members.items()}
    assert names["working_committee"] == sorted(
        [
            "Hällefors folkhögskola",
            "Coompanion",
            "Verdandi Örebro län",
            "Länsstyrelsen Örebro län",
            "Region Örebro län",
        ]
    )
    assert names["primary_advisory"] == ["Coompanion", "Region Örebro län"]
    assert len(names["extended_advisory"]) == 5
    # Every partner but the coordinator, who signs them all, has a signed agreement.
    assert Agreement.objects.filter(partnership=p, state="signed").count() == 29
    assert not Agreement.objects.filter(organisation__name="Stiftelsen Cesam").exists()


@pytest.mark.django_db
def test_seeding_twice_changes_nothing() -> None:
    seed()
    counts = (
        Partnership.objects.count(),
        Agreement.objects.count(),
        ContactPerson.objects.count(),
        User.objects.count(),
    )
    seed()
    assert counts == (
        Partnership.objects.count(),
        Agreement.objects.count(),
        ContactPerson.objects.count(),
        User.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_invents_its_people() -> None:
    output = seed()
    assert "samordnare@example.org" in output and "demo-soin-2017" in output
    for c in ContactPerson.objects.all():
        assert c.email.endswith("@example.org")
        # The Post and Telecom Authority's numbers for fiction: 070-174 06 05 – 070-174 06 99.
        match = re.fullmatch(r"070-174 06 (\d\d)", c.phone)
        assert match and 5 <= int(match.group(1)) <= 99
    assert all(u.email.endswith("@example.org") for u in User.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "public", "civil"),
    [
        ("/sv/orebro/partners/", "Offentliga aktörer", "Civilsamhälle och social ekonomi"),
        ("/en/orebro/partners/", "Public actors", "Civil society and social economy"),
    ],
)
def test_the_public_partners_page_lists_the_demo_partners_by_type(url, public, civil) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    seed()
    page = Client().get(url).content.decode()
    assert f'<tr><th scope="row">{public}</th><td>16</td></tr>' in page
    assert f'<tr><th scope="row">{civil}</th><td>14</td></tr>' in page
    assert len(re.findall(url + r'[a-z0-9-]+/">', page)) == 30
