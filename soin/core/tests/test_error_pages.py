"""With DEBUG off, every error a person can meet (400, 403, 404, 429, 500, a failed CSRF check)
is the site's own page: its layout, the visitor's language and a line in the other one, and a
way back. Django's bare English pages are never shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from soin.core.testing import login

pytestmark = pytest.mark.django_db

# What Django's own pages say, which a visitor must never see.
BARE = (
    "<h1>Not Found</h1>",
    "<h1>Bad Request (400)</h1>",
    "<h1>403 Forbidden</h1>",
    "<h1>Server Error (500)</h1>",
    "CSRF verification failed",
    "Forbidden <span>(403)",
)


def assert_site_error_page(response, status: int, language: str) -> str:  # type: ignore[no-untyped-def]
    """Check the page and return its main content."""
    assert response.status_code == status
    page = response.content.decode()
    for bare in BARE:
        assert bare not in page, bare
    assert f'<html lang="{language}">' in page
    assert 'href="/static/soin/site.css"' in page or "site.css" in page
    assert 'class="skip-link"' in page and '<main id="main"' in page
    assert f'class="error-page" data-status="{status}"' in page
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    other = "en" if language == "sv" else "sv"
    assert f'class="other-language" lang="{other}"' in main
    assert re.search(r'<a href="/[^"]*">', main), "no way back"
    return main


@pytest.fixture(autouse=True)
def debug_off(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = "soin.core.tests.urls_with_a_fault"


def test_a_missing_page_in_a_partnership_leads_back_to_its_start_page(world) -> None:  # type: ignore[no-untyped-def]
    slug = world.partnership.slug
    main = assert_site_error_page(Client().get(f"/sv/{slug}/finns-inte/"), 404, "sv")
    assert "Sidan hittades inte" in main and "The page was not found" in main
    assert f'<a href="/sv/{slug}/">' in main and f'href="/en/{slug}/"' in main

    main = assert_site_error_page(Client().get(f"/en/{slug}/nowhere/"), 404, "en")
    assert "The page was not found" in main and "Sidan hittades inte" in main
    assert f'<a href="/en/{slug}/">' in main


def test_a_missing_page_elsewhere_leads_to_the_start_page(world) -> None:  # type: ignore[no-untyped-def]
    main = assert_site_error_page(Client().get("/sv/ingen-sadan-partnerskap/x/"), 404, "sv")
    assert '<a href="/sv/">' in main
    main = assert_site_error_page(Client().get("/nowhere-at-all", follow=True), 404, "sv")
    assert '<a href="/sv/">' in main


def test_a_refused_staff_page_speaks_the_back_offices_language(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["partner_contact"])
    response = client.get(f"/staff/{world.partnership.slug}/audit/")
    main = assert_site_error_page(response, 403, "sv")
    assert "Du får inte öppna den här sidan" in main
    assert '<a href="/staff/">' in main


def test_a_form_without_its_csrf_token_says_what_to_do(world) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/en/{world.partnership.slug}/idea/", {"title": "x"})
    main = assert_site_error_page(response, 403, "en")
    assert "reload the page and send the form again" in main


def test_a_request_that_makes_no_sense_gets_the_400_page(world) -> None:  # type: ignore[no-untyped-def]
    main = assert_site_error_page(Client().get("/sv/suspicious/"), 400, "sv")
    assert "Förfrågan kunde inte läsas" in main


def test_a_server_error_gets_the_500_page_in_the_visitors_language(world) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    main = assert_site_error_page(client.get("/sv/fault/"), 500, "sv")
    assert "Något gick fel hos oss" in main
    main = assert_site_error_page(client.get("/en/fault/"), 500, "en")
    assert "Something went wrong on our side" in main


def test_the_api_answers_its_errors_in_json(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_request_over_its_limit_gets_the_429_page_with_a_way_back(world, settings) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    settings.SOIN_RATE_LIMITS = {"registration-change": 0}
    url = reverse(
        "public:registration",
        kwargs={"partnership": world.partnership.slug, "token": world.registration_token},
    ).replace("/sv/", "/en/", 1)
    main = assert_site_error_page(Client().post(url, {"action": "cancel"}), 429, "en")
    assert "Too many requests" in main and "För många förfrågningar" in main
    assert f'<a href="/en/{world.partnership.slug}/">' in main
