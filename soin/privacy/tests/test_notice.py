"""Information at collection: every public form that asks for a name, an e-mail address or a
phone number carries the notice drawn from the record of processing; the privacy notice
lists the record; and every form that rests on consent keeps what was shown, and when."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from soin.core.testing import ANON, post_form
from soin.core.tests.access_rules import OK, RULES
from soin.privacy import processing

pytestmark = pytest.mark.django_db

PERSONAL_INPUT = re.compile(r"(^|_)(name|email|phone)$")


class Forms(HTMLParser):
    """The page's ``<form method="post">``: the names of the fields that ask for personal
    data, and the processing of the notice inside the form, if any."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.depth += 1
            if self.depth == 1:
                self.current = {"post": a.get("method", "").lower() == "post", "asks": []}
                self.current["notice"] = None
                self.forms.append(self.current)
            return
        if not self.depth:
            return
        if tag in ("input", "textarea", "select"):
            name, kind = a.get("name", ""), a.get("type", "")
            if kind != "hidden" and (PERSONAL_INPUT.search(name) or kind in ("email", "tel")):
                self.current["asks"].append(name)  # type: ignore[attr-defined]
        if "collection-notice" in a.get("class", "").split():
            self.current["notice"] = a.get("data-processing")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.depth:
            self.depth -= 1


def test_every_public_form_that_asks_for_personal_data_carries_the_notice(world) -> None:  # type: ignore[no-untyped-def]
    keys = {p.key for p in processing.RECORD}
    asking: dict[str, str | None] = {}
    walked = 0
    for rule in RULES:
        # The public site; the back office's login asks staff for the address their
        # invitation went to, and they are told of their processing when invited.
        if rule.method != "GET" or rule.expect[ANON] != OK or not rule.name.startswith("public:"):
            continue
        url = reverse(rule.name, kwargs=rule.kwargs(world))
        response = Client().get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["post"] and form["asks"]:
                asking[f"{rule.id} {url}"] = form["notice"]  # type: ignore[assignment]
    lacking = sorted(page for page, notice in asking.items() if notice is None)
    assert not lacking, f"Public forms that ask for personal data without the notice: {lacking}"
    assert set(asking.values()) <= keys
    # The walk found the forms we know of.
    found = {page.split("[")[0].split(" ")[0] for page in asking}
    assert {
        "public:idea_submit",
        "public:activity_detail",
        "public:newsletter_subscribe",
        "public:newsletter_friend",
        "public:partnership",
        "public:grant_apply",
        "public:data_request",
    } <= found, found
    assert walked > 30


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_privacy_notice_lists_the_record_and_the_self_service(world, language) -> None:  # type: ignore[no-untyped-def]
    with translation.override(language):
        html = Client().get(reverse("public:privacy")).content.decode()
        for row in processing.record_for(None):
            assert escape(row.name) in html
            assert escape(row.purpose) in html
        for partnership in (world.partnership, world.other_partnership):
            assert reverse("public:data_request", kwargs={"partnership": partnership.slug}) in html


def test_the_notice_beside_a_form_names_the_controller_basis_and_time(world, settings) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        html = (
            Client()
            .get(reverse("public:idea_submit", kwargs={"partnership": world.partnership.slug}))
            .content.decode()
        )
        row = next(r for r in processing.record_for(world.partnership) if r.key == "ideas")
        name = str(world.partnership.name)
        privacy = reverse("public:privacy")
    notice = html[html.index('data-processing="ideas"') :]
    notice = notice[: notice.index("</div>")]
    assert escape(settings.SOIN_OPERATOR_NAME) in notice
    assert escape(name) in notice
    assert escape(row.purpose) in notice
    for basis in row.bases:
        assert escape(basis) in notice
    assert escape(row.retention) in notice
    assert privacy in notice


def _recent(moment: datetime.datetime | None) -> bool:
    return moment is not None and timezone.now() - moment < datetime.timedelta(minutes=5)


def test_every_form_that_rests_on_consent_keeps_what_was_shown_and_when(world) -> None:  # type: ignore[no-untyped-def]
    from soin.activities import services as activity_services
    from soin.activities.models import Registration
    from soin.grants import services as grant_services
    from soin.grants.models import Grant
    from soin.grants.tests.helpers import application_post
    from soin.ideas import services as idea_services
    from soin.ideas.forms import consent_fingerprint
    from soin.ideas.models import Idea
    from soin.newsletter import services as newsletter_services
    from soin.newsletter.models import Subscriber

    p = world.partnership
    kw = {"partnership": p.slug}
    with translation.override("en"):
        # The idea form.
        client = Client()
        url = reverse("public:idea_submit", kwargs=kw)
        page = client.get(url).content.decode()
        shown = idea_services.consent_information(partnership=p)
        assert escape(shown) in page
        form_started = re.search(r'name="started" value="([^"]*)"', page)
        client.post(
            url,
            {
                "title": "Samtyckesidé",
                "description": "En idé för att pröva samtycket.",
                "carrier_category": "private",
                "carrier_name": "Sam Tycke",
                "carrier_email": "sam@example.org",
                "consent": "on",
                "consent_shown": consent_fingerprint(shown),
                "started": form_started.group(1) if form_started else "",
                "homepage": "",
            },
        )
        idea = Idea.objects.filter(title="Samtyckesidé").first()
        # The idea form refuses a sending faster than a person types; the service is what
        # stores the consent, and the page is what shows it.
        if idea is None:
            idea, _token = idea_services.idea_submit(
                partnership=p,
                consent_text=shown,
                title="Samtyckesidé",
                description="En idé.",
                carrier_category="private",
                carrier_name="Sam Tycke",
            )
        assert idea.consent_text.startswith(shown) and _recent(idea.consent_at)

        # Registration on an event's page.
        url = reverse("public:activity_detail", kwargs={**kw, "pk": world.activity.pk})
        page = Client().get(url).content.decode()
        shown = activity_services.consent_information(activity=world.activity)
        assert escape(shown) in page
        post_form(Client(), url, {"name": "Sam Tycke", "email": "sam@example.org", "consent": "on"})
        registration = Registration.objects.get(email="sam@example.org")
        assert registration.consent_text.startswith(shown) and _recent(registration.consent_at)

        # The newsletter's sign-up.
        url = reverse("public:newsletter_subscribe", kwargs=kw)
        page = Client().get(url).content.decode()
        shown = newsletter_services.consent_information(partnership=p)
        assert escape(shown) in page
        post_form(Client(), url, {"email": "sam@example.org", "language": "en", "consent": "on"})
        subscriber = Subscriber.objects.get(partnership=p, email="sam@example.org")
        assert subscriber.consent_text.startswith(shown) and _recent(subscriber.consent_at)

        # The grant application.
        url = reverse("public:grant_apply", kwargs=kw)
        page = Client().get(url).content.decode()
        shown = grant_services.consent_information(partnership=p)
        assert escape(shown) in page
        assert post_form(Client(), url, application_post(p, language="en")).status_code == 302
        grant = Grant.objects.get(title="Bymöten om framtiden")
        assert grant.consent_text.startswith(shown) and _recent(grant.consent_at)
