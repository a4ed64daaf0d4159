"""The API's documentation page: every operation and field described, and accessible (the
axe-core sweep, in Swedish and English)."""

from __future__ import annotations

import pytest

from soin.core.tests.test_accessibility import audit_pages


def test_the_documentation_lists_every_operation_and_field(client, db) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for path in ("/api/v1/innovations", "/api/v1/innovations/{uid}", "/api/v1/statistics"):
        assert f"GET {path}</code>" in page
    assert "CC0 1.0 Universal" in page
    assert "<code>evidence_level</code>" in page
    assert "Stable identifier (UUID)" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_documentation_page_has_no_wcag_violations(
    language, browser, live_server, world
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        problems = audit_pages(page, live_server.url, ["/api/v1/docs"])
        assert page.get_attribute("html", "lang") == language
    finally:
        context.close()
    assert not problems, "\n".join(problems)
