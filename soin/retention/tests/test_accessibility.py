"""The erasure pages pass axe in both languages, the confirm step included (a POST, which the
shared sweep of soin/core/tests/test_accessibility.py does not open)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from soin.core.testing import COORDINATOR, login
from soin.core.tests.test_accessibility import WCAG_TAGS
from soin.retention.tests.people import ADDRESS, make_person


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_erasure_steps_have_no_wcag_violations(  # type: ignore[no-untyped-def]
    language, browser, live_server, reference_data
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from soin.core.testing import build_world

    world = build_world()
    make_person(world)
    # Logged in as the login steps leave a coordinator (password and second factor).
    client = Client()
    login(client, world.users[COORDINATOR])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale=language)
    context.add_cookies(
        [
            {"name": "django_language", "value": language, "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
        ]
    )
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []

    def check(step: str) -> None:
        assert page.get_attribute("html", "lang") == language
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        problems.extend(f"{step}: {v['id']} {v['help']}" for v in results.response["violations"])

    try:
        page.goto(live_server.url + f"/staff/{world.partnership.slug}/privacy/erase/")
        check("form")
        page.fill("#id_email", "inte en adress")
        page.click("main button[type=submit]")
        check("error")
        page.fill("#id_email", ADDRESS)
        page.click("main button[type=submit]")
        page.wait_for_selector("main table")
        check("confirm")
        page.click("main button[type=submit]")
        page.wait_for_selector("main #id_email")
        check("done")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
