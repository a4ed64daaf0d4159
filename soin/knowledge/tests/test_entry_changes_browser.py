"""The entry page's "what changed since you opened it" panel in a browser, on a phone (390 px)
and a laptop (1366 px), in both languages: no WCAG violation (axe) and nothing scrolls the
page sideways, with long texts and a long unbroken word in what changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soin.core.testing import COORDINATOR, browser_login, build_world
from soin.core.tests.test_accessibility import audit_pages
from soin.knowledge import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_changes_panel_fits_a_phone_and_a_laptop(  # type: ignore[no-untyped-def]
    language, browser, live_server, reference_data
) -> None:
    world = build_world()
    entry = world.draft_entry
    seen = entry.version
    long_word = "https://www.example.se/" + "sociala-foretag-i-orebro-lan-" * 6
    entry = services.entry_update(
        entry=entry,
        actor=world.users[COORDINATOR],
        summary_sv="Läxhjälp varje tisdag, nu även med gratis lunch för alla. " * 8 + long_word,
        title_en="Homework help with lunch for everyone in the village hall",
    )
    assert entry.version != seen
    url = (
        reverse("staff:bank_entry", kwargs={"partnership": "orebro", "pk": entry.pk})
        + f"?seen={seen}"
    )
    user = world.users[COORDINATOR]
    user.set_password("a-password-for-the-sweep")
    user.save(update_fields=["password"])
    problems: list[str] = []
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        browser_login(page, live_server.url, user, "a-password-for-the-sweep")
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            problems += audit_pages(page, live_server.url, [url])
            page.goto(live_server.url + url)
            assert page.locator("#changes dl.changes ins").count() >= 2
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            if scrolled > width:
                problems.append(f"{width} px, {language}: scrolls sideways ({scrolled} px)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
