"""A citizen sends an idea in a real browser, in Swedish and in English."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from soin.core.testing import build_world
from soin.ideas.models import Idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LABELS = {
    "sv": {"bring": "Lämna din idé", "title": "Ett kort namn på idén", "send": "Skicka idén"},
    "en": {
        "bring": "Bring your idea",
        "title": "A short name for the idea",
        "send": "Send the idea",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_citizen_sends_an_idea_and_follows_it(  # type: ignore[no-untyped-def]
    language, browser, live_server, reference_data, smtp_server, settings
) -> None:
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 1
    build_world()
    labels = LABELS[language]
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/{language}/orebro/")
        page.get_by_role("link", name=labels["bring"], exact=True).first.click()
        page.wait_for_url("**/orebro/idea/")
        page.get_by_label(labels["title"]).fill("Bytesdag för barnkläder")
        page.locator("#id_description").fill("En dag i månaden byter föräldrar barnkläder.")
        page.locator("input[name=carrier_category][value=private]").check()
        page.locator("#id_municipality").select_option(label="Kumla")
        page.locator("#id_carrier_name").fill("Maja Exempel")
        page.locator("#id_carrier_email").fill("maja@example.org")
        page.locator("#id_consent").check()
        page.wait_for_timeout(1100)  # a person takes longer than the form's minimum
        page.get_by_role("button", name=labels["send"]).click()
        page.wait_for_url("**/idea/thanks/")
        idea = Idea.objects.get(title="Bytesdag för barnkläder")
        assert idea.number in page.content()
        assert idea.language == language and idea.municipality.name == "Kumla"

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        [mail] = [m for m in smtp_server.inbox.messages if m["X-Envelope-To"] == "maja@example.org"]
        path = re.search(r"http://\S+?(/\w\w/orebro/idea/status/\S+/)", mail.get_content())
        page.goto(live_server.url + path.group(1))
        assert idea.title in page.content()
        assert page.get_attribute("html", "lang") == language
    finally:
        page.close()
