"""The idea form never thanks without storing: a submission that looks too fast gets the form
back with what was typed and a message, the clock counts from the first time the form was
shown, and the thank-you page says thanks only for an idea this visit stored."""

from __future__ import annotations

import re
import time

from django.test import Client
from django.urls import reverse

from soin.ideas.models import Idea
from soin.ideas.tests.test_intake import form_data

URL = reverse("public:idea_submit", kwargs={"partnership": "orebro"})
THANKS = reverse("public:idea_thanks", kwargs={"partnership": "orebro"})


def stamp_of(html: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def test_consent_ticked_and_sent_again_at_once_stores_the_idea(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 1
    client = Client()
    data = form_data(client, URL, title="Läxhjälp på biblioteket")
    del data["consent"]
    time.sleep(1.1)  # the time a person takes to fill in the form
    forgotten = client.post(URL, data)
    assert forgotten.status_code in (200, 400)
    assert 'role="alert"' in forgotten.content.decode()
    # Ticked and sent again within the second.
    again = {**data, "consent": "on", "started": stamp_of(forgotten.content.decode())}
    response = client.post(URL, again, follow=True)
    page = response.content.decode()
    stored = Idea.objects.filter(title="Läxhjälp på biblioteket")
    if "Tack för din idé" in page or "Thank you for your idea" in page:
        assert stored.count() == 1, "thanked for an idea that was not stored"
        assert stored.get().number in page
    else:
        assert stored.count() == 0
        assert 'role="alert"' in page and 'value="Läxhjälp på biblioteket"' in page
    assert stored.count() == 1


def test_a_form_sent_faster_than_a_person_comes_back_filled_in(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 3
    client = Client()
    response = client.post(URL, form_data(client, URL, title="Snabb idé"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tack för din idé" not in page
    assert "Kontrollera det du skrev och skicka igen" in page
    assert 'value="Snabb idé"' in page
    assert not Idea.objects.filter(title="Snabb idé").exists()


def test_an_empty_form_sent_at_once_gets_the_form_with_errors(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 3
    client = Client()
    before = Idea.objects.count()
    shown = client.get(URL).content.decode()
    response = client.post(URL, {"started": stamp_of(shown)}, follow=True)
    page = response.content.decode()
    assert "Tack för din idé" not in page
    assert 'class="errorlist' in page and 'role="alert"' in page
    assert Idea.objects.count() == before


def test_the_clock_counts_from_the_first_time_the_form_was_shown(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 1
    client = Client()
    client.get(URL)
    time.sleep(1.1)
    # The page opened again (a reload) keeps the first time.
    response = client.post(URL, form_data(client, URL, title="Omladdad"))
    assert response.status_code == 302
    assert Idea.objects.filter(title="Omladdad").count() == 1


def test_the_thank_you_page_without_a_stored_idea_does_not_thank(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(THANKS)
    page = response.content.decode()
    assert "Tack för din idé" not in page
    assert "Vi har tagit emot" not in page
    assert "Ingen idé har kommit fram" in page
    assert URL in page


def test_the_hidden_field_filled_in_keeps_nothing(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    client = Client()
    before = Idea.objects.count()
    client.post(URL, form_data(client, URL, homepage="http://spam.example"))
    assert Idea.objects.count() == before
