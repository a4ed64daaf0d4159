"""The bank's search page in a browser, on a phone (390 px) and a laptop (1366 px), in both
languages: no WCAG violation (axe) and nothing, the longest choice of the order included,
scrolls the page sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from soin.core.testing import build_world
from soin.core.tests.test_accessibility import audit_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_search_of_the_bank_fits_a_phone_and_a_laptop(  # type: ignore[no-untyped-def]
    language, browser, live_server, reference_data
) -> None:
    build_world()
    with translation.override(language):
        url = reverse("public:bank", kwargs={"partnership": "orebro"}) + "?q=older+people"
    problems: list[str] = []
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            problems += audit_pages(page, live_server.url, [url])
            page.goto(live_server.url + url)
            assert page.locator("select#sort").count() == 1
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            if scrolled > width:
                problems.append(f"{width} px, {language}: scrolls sideways ({scrolled} px)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
