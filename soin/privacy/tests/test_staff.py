"""The record of processing in the back office: the page in both languages, its download,
and the link in the navigation for those who may see it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL, login
from soin.privacy import processing

pytestmark = pytest.mark.django_db


def record_url(world, **query: str) -> str:  # type: ignore[no-untyped-def]
    url = reverse("staff:privacy_record", kwargs={"partnership": world.partnership.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def staff_client(world, role: str, language: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[role])
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_page_lists_every_processing_of_the_record(world, language) -> None:  # type: ignore[no-untyped-def]
    response = staff_client(world, COORDINATOR, language).get(record_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        for row in processing.record_for(world.partnership):
            assert escape(row.name) in html
            assert escape(row.retention) in html
            for basis in row.bases:
                assert escape(basis) in html
    for field in processing.NOT_PERSONAL:
        assert field in html


def test_the_record_downloads_as_csv_and_xlsx(world) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    client = staff_client(world, NATIONAL, "en")
    csv = client.get(record_url(world, format="csv"))
    assert csv.status_code == 200
    assert csv["Content-Disposition"] == (
        f'attachment; filename="record-of-processing-{world.partnership.slug}.csv"'
    )
    text = csv.content.decode("utf-8-sig")
    lines = [line for line in text.split("\r\n") if line]
    # A header and a line per processing (no text of the record spans lines).
    assert len(lines) == 1 + len(processing.RECORD)
    assert "ideas.Idea.carrier_email" in text
    xlsx = client.get(record_url(world, format="xlsx"))
    assert xlsx["Content-Disposition"].startswith("attachment; ")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    with translation.override("en"):
        assert names == [str(p.name) for p in processing.RECORD]


def test_the_navigation_links_the_record_for_coordinators_only(world) -> None:  # type: ignore[no-untyped-def]
    url = record_url(world)
    dashboard = reverse("staff:dashboard", kwargs={"partnership": world.partnership.slug})
    assert url in staff_client(world, COORDINATOR, "sv").get(dashboard).content.decode()
    assert url not in staff_client(world, ADVISOR, "sv").get(dashboard).content.decode()
    assert staff_client(world, ADVISOR, "sv").get(url).status_code == 403


def test_the_record_leads_to_the_erasure_and_the_retention_times_for_those_who_set_them(  # type: ignore[no-untyped-def]
    world,
) -> None:
    slug = world.partnership.slug
    erase = reverse("staff:person_erase", kwargs={"partnership": slug})
    retention = reverse("staff:retention_policy", kwargs={"partnership": slug})
    coordinator = staff_client(world, COORDINATOR, "sv").get(record_url(world)).content.decode()
    assert f'href="{erase}"' in coordinator and f'href="{retention}"' in coordinator
    # The national coordinator reads the record but erases and sets nothing in a region.
    national = staff_client(world, NATIONAL, "sv").get(record_url(world)).content.decode()
    assert erase not in national and retention not in national
