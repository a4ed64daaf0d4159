"""Public addresses whose work grows with the data are drawn once and kept until what they
show changes: the sitemap (every public page of every partnership) and the calendar feed a
calendar program fetches every few minutes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from soin.core.testing import COORDINATOR
from soin.reports import services as report_services

pytestmark = pytest.mark.django_db


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, drawn: Counter[str]) -> None:
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        drawn[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_the_sitemap_is_drawn_once_until_a_public_page_changes(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from soin.public_site import sitemaps

    drawn: Counter[str] = Counter()
    counting(monkeypatch, sitemaps.SiteSitemap, "items", drawn)
    client = Client()
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and first["Content-Type"].startswith("application/xml")
    xml = first.content.decode()
    assert "/sv/orebro/reports/2016/</loc>" in xml and "/reports/2017/" not in xml
    for _n in range(5):
        again = client.get("/sitemap.xml")
        assert again.content == first.content
    assert drawn["items"] == 1, drawn
    # Publishing a report changes the sitemap at once.
    report_services.report_move(report=world.report, actor=world.users[COORDINATOR], move="publish")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/sv/orebro/reports/2017/</loc>" in xml and drawn["items"] == 2
    # A page that does not exist is not kept, and answers 404 each time.
    assert client.get("/sitemap.xml?p=9").status_code == 404
    assert client.get("/sitemap.xml?p=x").status_code == 404


def test_the_calendar_feed_is_drawn_once_until_an_activity_changes(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from soin.activities.views import public as views

    drawn: Counter[str] = Counter()
    counting(monkeypatch, views, "calendar_response", drawn)
    client = Client()
    first = client.get("/sv/orebro/activities/calendar.ics")
    assert first.status_code == 200 and first["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in first.content
    for _n in range(5):
        assert client.get("/sv/orebro/activities/calendar.ics").content == first.content
    assert drawn["calendar_response"] == 1, drawn
    activity = world.activity
    activity.title_sv = "Ett nytt namn på mötet"
    activity.save(update_fields=["title_sv"])
    changed = client.get("/sv/orebro/activities/calendar.ics").content
    assert drawn["calendar_response"] == 2
    assert ("Ett nytt namn på mötet" in changed.decode()) == activity.is_public
    # Each language has its own.
    english = client.get("/en/orebro/activities/calendar.ics")
    assert english.status_code == 200 and drawn["calendar_response"] == 3
