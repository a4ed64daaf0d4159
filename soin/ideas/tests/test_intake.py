"""The citizen's way in: the public form, its spam defences, the receipt and the status page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from soin.core.models import RateLimitHit
from soin.core.testing import build_world
from soin.ideas.models import Idea


def form_data(client: Client, url: str, **overrides: str) -> dict[str, str]:
    page = client.get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    shown = re.search(r'name="consent_shown" value="([^"]+)"', page).group(1)
    data = {
        "title": "Reparationscafé",
        "description": "Ett café där vi lagar saker tillsammans.",
        "carrier_category": "private",
        "carrier_name": "Alva Exempel",
        "carrier_email": "alva@example.org",
        "consent": "on",
        "homepage": "",
        "started": started,
        "consent_shown": shown,
    }
    data.update(overrides)
    return data


@pytest.fixture
def no_wait(settings):  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0


def test_a_form_sent_too_fast_or_with_the_hidden_field_keeps_nothing(world, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
    before = Idea.objects.count()
    response = client.post(url, form_data(client, url))  # sent at once: faster than a person
    assert response.status_code == 400
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    client.post(url, form_data(client, url, homepage="http://spam.example"))
    client.post(url, form_data(client, url, started="forged"))
    assert Idea.objects.count() == before


def test_the_form_explains_what_is_missing(world, no_wait) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
    data = form_data(client, url, carrier_email="", consent="")
    del data["consent"]
    page = client.post(url, data).content.decode()
    assert 'role="alert"' in page
    assert Idea.objects.filter(title="Reparationscafé").count() == 0


def test_one_address_may_send_five_ideas_an_hour(world, no_wait) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
    for i in range(5):
        assert client.post(url, form_data(client, url, title=f"Idé {i}")).status_code == 302
    response = client.post(url, form_data(client, url, title="Idé 6"))
    assert response.status_code == 429
    assert Idea.objects.filter(title="Idé 6").count() == 0
    assert RateLimitHit.objects.filter(scope="idea").count() == 5
    assert all(
        len(a.key_hash) == 64 and "127.0.0.1" not in a.key_hash for a in RateLimitHit.objects.all()
    )


@pytest.mark.django_db(transaction=True)
def test_a_citizen_gets_a_receipt_and_follows_the_idea(  # type: ignore[no-untyped-def]
    reference_data, smtp_server, settings
) -> None:
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    world = build_world()
    client = Client()
    with_english = client.get("/en/orebro/idea/")
    assert "Bring your idea" in with_english.content.decode()
    response = client.post("/en/orebro/idea/", form_data(client, "/en/orebro/idea/"), follow=True)
    thanks = response.content.decode()
    idea = Idea.objects.get(title="Reparationscafé")
    assert idea.number in thanks
    assert (idea.channel, idea.stage, idea.language) == ("web", "received", "en")
    assert idea.consent_at is not None and "IMY" in idea.consent_text
    assert smtp_server.inbox.messages == []
    # The queued task carries the idea's id, never the secret of its status link.
    from django_tasks_db.models import DBTaskResult

    secret = thanks.split("/idea/status/")[1].split("/")[0]
    receipt = DBTaskResult.objects.get(task_path__endswith="ideas.tasks.send_receipt")
    assert secret not in str(receipt.args_kwargs)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [mail] = [m for m in smtp_server.inbox.messages if m["X-Envelope-To"] == "alva@example.org"]
    assert mail["X-Envelope-To"] == "alva@example.org"
    assert mail["Subject"] == "We have received your idea: Reparationscafé"
    link = re.search(r"http://\S+/en/orebro/idea/status/\S+/", mail.get_content()).group(0)
    status_path = link.split("127.0.0.1:8000", 1)[1]
    assert status_path in thanks

    from soin.ideas import services

    services.idea_move(
        idea=idea,
        actor=world.users["coordinator"],
        move="register",
        note="Intern anteckning som idébäraren inte ska se",
    )
    page = Client().get(status_path)
    text = page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert "Registered" in text and "Intern anteckning" not in text
    assert "alva@example.org" not in text
    assert Client().get(status_path.replace("/status/", "/status/x")).status_code == 404


def test_a_stale_or_reused_form_is_shown_again_with_what_was_typed(world, no_wait) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
    data = form_data(client, url, title="Trädgårdsgrupp")
    assert client.post(url, data).status_code == 302
    number = Idea.objects.get(title="Trädgårdsgrupp").number
    # The same stamp again (a double click, the back button): the first idea's receipt.
    page = client.post(url, data, follow=True).content.decode()
    assert number in page
    assert Idea.objects.filter(title="Trädgårdsgrupp").count() == 1
    # The same stamp from another visitor (a robot replaying the form): shown again.
    other = Client()
    form_data(other, url)
    page = other.post(url, data).content.decode()
    assert "Kontrollera det du skrev" in page or "Check what you wrote" in page
    assert 'value="Trädgårdsgrupp"' in page
    assert Idea.objects.filter(title="Trädgårdsgrupp").count() == 1
    # Information about personal data changed since the form was shown: read it again.
    fresh = form_data(client, url, title="Ny idé", consent_shown="0" * 64)
    page = client.post(url, fresh).content.decode()
    assert Idea.objects.filter(title="Ny idé").count() == 0
    assert 'value="Ny idé"' in page


def test_behind_a_proxy_the_limit_counts_the_visitors_address(world, no_wait, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_TRUSTED_PROXIES = 1
    url = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
    for visitor in range(7):
        client = Client(HTTP_X_FORWARDED_FOR=f"spoofed, 192.0.2.{visitor}")
        response = client.post(url, form_data(client, url, title=f"Idé {visitor}"))
        assert response.status_code == 302, visitor
    assert Idea.objects.filter(title__startswith="Idé ").count() == 7
