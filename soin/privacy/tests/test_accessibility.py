"""The self-service pages and the public forms that carry the notice, opened in headless
Chromium with axe-core, in Swedish and English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from soin.core.testing import build_world
from soin.core.tests.test_accessibility import audit_pages
from soin.privacy.tests.access_rules import RULES as PRIVACY_RULES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITH_NOTICE = (
    "public:idea_submit",
    "public:newsletter_subscribe",
    "public:newsletter_friend",
    "public:partnership",
    "public:grant_apply",
    "public:privacy",
)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_privacy_pages_have_no_wcag_violations(
    language, browser, live_server, reference_data
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    with translation.override(language):
        urls = [
            reverse(r.name, kwargs=r.kwargs(world))
            for r in PRIVACY_RULES
            if r.sweep and r.name.startswith("public:")
        ]
        urls += [
            reverse(name, kwargs={"partnership": world.partnership.slug})
            if name != "public:privacy"
            else reverse(name)
            for name in WITH_NOTICE
        ]
        urls.append(
            reverse(
                "public:activity_detail",
                kwargs={"partnership": world.partnership.slug, "pk": world.activity.pk},
            )
        )
    context = browser.new_context(locale=language)
    page = context.new_page()
    try:
        problems = audit_pages(page, live_server.url, urls)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
