"""Totals per year and municipality, every municipality of the region listed, and their
CSV and XLSX downloads."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from soin.core.testing import COORDINATOR, login
from soin.grants import selectors, services
from soin.grants.tests.helpers import municipality
from soin.regions.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def add(
    world,
    name: str,
    applied: int,
    *,
    granted: int | None = None,
    paid: int = 0,  # type: ignore[no-untyped-def]
    reject: bool = False,
    day: datetime.date = datetime.date(2017, 8, 1),
):
    coordinator = world.users[COORDINATOR]
    grant = services.grant_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="post",
        received_on=day,
        language="sv",
        budget_lines=[("Material", applied)],
        association_name=f"Byalaget i {name}",
        org_number="802501-2330",
        municipality=municipality(world.partnership, name),
        contact_name="Person",
        contact_email="",
        contact_phone="",
        title=f"Projekt i {name}",
        purpose="Ett projekt.",
        amount_applied=applied,
        co_financing=0,
    )
    if reject:
        services.grant_reject(grant=grant, actor=coordinator, reason="Nej.")
    elif granted:
        services.grant_approve(
            grant=grant, actor=coordinator, amount_granted=granted, decided_on=day
        )
        if paid:
            services.payment_add(grant=grant, actor=coordinator, paid_on=day, amount=paid)
    return grant


def test_totals_per_year_and_municipality_with_every_municipality(world) -> None:  # type: ignore[no-untyped-def]
    add(world, "Kumla", 3000, reject=True)
    add(world, "Hällefors", 5000, granted=5000, paid=5000)
    add(world, "Nora", 20000, granted=15000, paid=0, day=datetime.date(2016, 11, 1))
    tables = selectors.totals(partnership=world.partnership)
    this_year = datetime.date.today().year
    assert [t.year for t in tables] == [this_year, 2017, 2016]
    region = Municipality.objects.filter(region=world.partnership.region).count()
    assert region == 12 and all(len(t.rows) == region for t in tables)
    of_2017 = {
        r.municipality: (r.applications, r.applied, r.granted, r.paid) for r in tables[1].rows
    }
    # World: 9 000 applied, 8 000 granted, 4 000 paid in Hällefors.
    assert of_2017["Hällefors"] == (2, 14000, 13000, 9000)
    assert of_2017["Kumla"] == (1, 3000, 0, 0)  # rejected: nothing granted
    assert of_2017["Askersund"] == (0, 0, 0, 0)
    total = tables[1].total
    assert (total.applications, total.applied, total.granted, total.paid) == (3, 17000, 13000, 9000)
    assert {r.municipality: r.granted for r in tables[2].rows}["Nora"] == 15000
    # The application still waiting for a decision counts as applied for, not granted.
    now = {r.municipality: (r.applied, r.granted) for r in tables[0].rows}
    assert now["Hällefors"] == (10000, 0)
    only = selectors.totals(partnership=world.partnership, year=2016)
    assert [t.year for t in only] == [2016]


def test_totals_page_and_downloads(world) -> None:  # type: ignore[no-untyped-def]
    add(world, "Kumla", 3000, granted=2000, paid=1000)
    client = Client()
    login(client, world.users["advisor"])
    url = reverse("staff:grant_totals", kwargs={"partnership": world.partnership.slug})
    page = client.get(url, {"year": "2017"})
    assert page.status_code == 200 and [t.year for t in page.context["tables"]] == [2017]
    csv = client.get(url, {"year": "2017", "format": "csv"})
    assert csv["Content-Disposition"].endswith('-2017.csv"')
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 12
    assert "2017;Kumla;1;3000;2000;1000" in lines
    assert "2017;Askersund;0;0;0;0" in lines
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert (2017, "Hällefors", 1, 9000, 8000, 4000) in rows
    assert len(rows) == 12 * 2  # two years, every municipality in each
    # Another partnership's figures are not these.
    other = client.get(
        reverse("staff:grant_totals", kwargs={"partnership": world.other_partnership.slug})
    )
    assert other.status_code == 403
