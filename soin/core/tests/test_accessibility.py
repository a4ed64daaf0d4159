"""The axe-core sweep: every public page and the main back-office pages, in Swedish and
English, opened in headless Chromium; any WCAG 2.1 A/AA violation or console error fails."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.core.testing import COORDINATOR, build_world, current_code
from soin.core.tests.access_rules import RULES

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world(reference_data: None):  # type: ignore[no-untyped-def]
    world = build_world()
    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return world


def sweep_urls(world, prefix: str, language: str) -> list[str]:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return [
            reverse(rule.name, kwargs=rule.kwargs(world))
            for rule in RULES
            if rule.sweep and rule.name.startswith(prefix)
        ]


def audit_pages(page, base_url: str, urls: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems: list[str] = []
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    for url in urls:
        console_errors.clear()
        response = page.goto(base_url + url)
        assert response is not None and response.status == 200, (
            f"{url}: HTTP {response and response.status}"
        )
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in results.response["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:3]
            problems.append(
                f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}"
            )
        problems += [f"{url}: console error: {e}" for e in console_errors]
    return problems


def audit_here(page, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Audit the page the browser shows now (the answer to a form, which cannot be opened
    again by its address)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{label}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_pages_have_no_wcag_violations(language, browser, live_server, demo_world) -> None:  # type: ignore[no-untyped-def]
    urls = sweep_urls(demo_world, "public:", language)
    assert len(urls) >= 7
    context = browser.new_context(locale=language)
    page = context.new_page()
    try:
        problems = audit_pages(page, live_server.url, urls)
        # The page really is in the language asked for.
        page.goto(live_server.url + urls[0])
        assert page.get_attribute("html", "lang") == language
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_staff_pages_have_no_wcag_violations(language, browser, live_server, demo_world) -> None:  # type: ignore[no-untyped-def]
    user = demo_world.users[COORDINATOR]
    user.set_password("a-password-for-the-sweep")
    user.save(update_fields=["password"])
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        login_problems = audit_pages(page, live_server.url, [reverse("staff:login")])
        page.fill("#id_username", user.email)
        page.fill("#id_password", "a-password-for-the-sweep")
        page.click("main button[type=submit]")
        # The first login sets up the authenticator app: a QR code and the key written out,
        # confirmed with the app's first code; then the recovery codes, shown once.
        page.wait_for_url("**/staff/login/enrol/**")
        login_problems += audit_pages(page, live_server.url, [page.url[len(live_server.url) :]])
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        page.fill("#id_code", current_code(device))
        page.click("main button[type=submit]")
        page.wait_for_selector("ol.recovery-codes")
        login_problems += audit_here(page, "recovery codes")
        codes = page.eval_on_selector_all(
            "ol.recovery-codes code", "els => els.map(e => e.textContent)"
        )
        assert len(codes) == 10
        page.click("main a")
        page.wait_for_url("**/staff/orebro/")
        # The next login asks for the code; a recovery code will do instead.
        page.click("form[action='/staff/logout/'] button")
        page.wait_for_url("**/staff/login/")
        page.fill("#id_username", user.email)
        page.fill("#id_password", "a-password-for-the-sweep")
        page.click("main button[type=submit]")
        page.wait_for_url("**/staff/login/code/**")
        login_problems += audit_pages(page, live_server.url, [page.url[len(live_server.url) :]])
        page.fill("#id_code", codes[0])
        page.click("main button[type=submit]")
        page.wait_for_url("**/staff/orebro/")
        urls = [
            u for u in sweep_urls(demo_world, "staff:", language) if u != reverse("staff:login")
        ]
        assert len(urls) >= 12
        problems = login_problems + audit_pages(page, live_server.url, urls)
        assert page.get_attribute("html", "lang") == language
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_sweep_catches_a_violation(browser) -> None:  # type: ignore[no-untyped-def]
    """The check can fail: a page with an image without text and no language is reported."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(
            "<!DOCTYPE html><html><head><title>t</title></head><body><main>"
            "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></main></body></html>"
        )
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        ids = {v["id"] for v in results.response["violations"]}
    finally:
        context.close()
    assert {"image-alt", "html-has-lang"} <= ids


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_error_pages_have_no_wcag_violations_and_fit_a_phone(  # type: ignore[no-untyped-def]
    language, browser, live_server, reference_data
) -> None:
    world = build_world()
    context = browser.new_context(locale=language, viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems: list[str] = []
    try:
        for url, status in [
            (f"/{language}/{world.partnership.slug}/no-such-page/", 404),
            (f"/{language}/no-such-partnership/", 404),
            (f"/staff/{world.partnership.slug}/no-such-page/", 404),
        ]:
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == status, url
            assert page.locator(".error-page").count() == 1, url
            problems += audit_here(page, url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems.append(f"{url}: scrolls sideways on a phone ({width} px)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
