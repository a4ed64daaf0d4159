"""The axe sweep over the statistics pages with a year of data (2017 from the demo), the report
in English, and the national statistics as the national coordinator."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from soin.accounts.models import User
from soin.core.testing import browser_login
from soin.core.tests.test_accessibility import audit_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference_data: None) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115


def log_in(page, base_url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.get(email=email)
    user.set_password("a-password-for-the-sweep")
    user.save(update_fields=["password"])
    browser_login(page, base_url, user, "a-password-for-the-sweep")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_statistics_and_reports_with_data(language, browser, live_server, demo) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        log_in(page, live_server.url, "samordnare@example.org")
        p = {"partnership": "orebro"}
        urls = [
            reverse("staff:statistics", kwargs=p) + "?year=2017&municipality=",
            reverse("staff:statistics", kwargs=p) + "?year=&municipality=1863",
            reverse("staff:statistics", kwargs=p) + "?year=1999",  # the filters' error
            reverse("staff:report", kwargs={**p, "year": 2017}) + f"?language={language}",
            reverse("staff:economy", kwargs=p),
        ]
        problems = audit_pages(page, live_server.url, urls)
        # The charts are drawn into the page, each with its name for a screen reader.
        page.goto(live_server.url + urls[0])
        names = page.eval_on_selector_all(
            "figure.chart svg[role=img]",
            "els => els.map(e => document.getElementById("
            "e.getAttribute('aria-labelledby')).textContent)",
        )
        assert len(names) >= 10 and all(names)
        boxes = page.eval_on_selector_all(
            "figure.chart svg", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert all(width > 200 for width in boxes)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_national_statistics(language, browser, live_server, demo) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        log_in(page, live_server.url, "nationell@example.org")
        urls = [
            reverse("staff:national_statistics"),
            reverse("staff:national_statistics") + "?year=2017",
        ]
        problems = audit_pages(page, live_server.url, urls)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_report_and_the_social_economy(language, browser, live_server, demo) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override(language):
        urls = [
            reverse("public:report", kwargs={"partnership": "orebro", "year": 2017}),
            reverse("public:economy", kwargs={"partnership": "orebro"}),
        ]
    context = browser.new_context(locale=language)
    page = context.new_page()
    try:
        problems = audit_pages(page, live_server.url, urls)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
