from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

PO = Path(__file__).resolve().parents[3] / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_swedish_translation() -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = []
    for entry in entries:
        lines = [line for line in entry.splitlines() if not line.startswith("#~")]
        if not lines or "#, fuzzy" in entry:
            untranslated += ["fuzzy: " + entry[:120]] if "#, fuzzy" in entry else []
            continue
        text = "\n".join(lines)
        if 'msgstr ""' in text and not text.split('msgstr ""', 1)[1].strip().startswith('"'):
            untranslated.append(text[:120])
        if 'msgstr[0] ""' in text and not text.split('msgstr[0] ""', 1)[1].strip().startswith('"'):
            untranslated.append(text[:120])
    assert not untranslated, "\n---\n".join(untranslated)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/sv/orebro/partners/", ["Parter", "Offentliga aktörer", "Tillgänglighetsredogörelse"]),
        ("/en/orebro/partners/", ["Partners", "Public actors", "Accessibility statement"]),
    ],
)
def test_public_pages_speak_the_language_of_their_address(world, url, words) -> None:  # type: ignore[no-untyped-def]
    page = Client().get(url).content.decode()
    for word in words:
        assert word in page


def test_swedish_is_the_default() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/sv/"


@pytest.mark.django_db
def test_the_back_office_speaks_swedish_until_english_is_chosen() -> None:
    client = Client()
    page = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="sv">' in page and "Logga in" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    page = client.get("/staff/login/").content.decode()
    assert '<html lang="en">' in page and "Log in" in page
    # The public site follows its address, whatever the switch says.
    assert '<html lang="sv">' in client.get("/sv/").content.decode()


@pytest.mark.django_db
def test_text_missing_in_english_is_shown_in_swedish_and_marked_so(world) -> None:  # type: ignore[no-untyped-def]
    world.own_org.description_sv = "En kommun i Bergslagen."
    world.own_org.save()
    page = Client().get(f"/en/orebro/partners/{world.own_org.slug}/").content.decode()
    assert '<div lang="sv"><p>En kommun i Bergslagen.</p></div>' in page
