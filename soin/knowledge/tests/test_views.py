"""The knowledge bank and the news through HTTP: the public pages, the feeds and the sitemap,
and the back office's editorial steps."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soin.core.testing import ADVISOR, COORDINATOR, PNG, login
from soin.knowledge.models import Entry, EntryEvent, News

pytestmark = pytest.mark.django_db


def logged_in(world, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[role])
    return client


def test_the_bank_page_searches_highlights_and_counts(client, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sv/orebro/bank/?q=läxhjälpen").content.decode()
    assert "<mark>Läxhjälp</mark> i idrottsföreningen" in page
    assert "1 post" in page
    # The facet of the entry's challenge, with its count.
    assert re.search(r"Europa i en föränderlig värld.*?\(1\)", page, re.S)
    english = client.get("/en/orebro/bank/?q=training").content.decode()
    assert "<mark>training</mark>" in english
    assert "Lånecykelpool" not in client.get("/sv/orebro/bank/?q=cyklar").content.decode()


def test_an_entry_page_carries_open_graph_and_schema_org(client, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/en/orebro/bank/{world.entry.slug}/").content.decode()
    assert '<meta property="og:title" content="Homework help at the sports club">' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert 'property="og:image:alt" content="Children at a table"' in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["@type"] == "CreativeWork"
    assert data["identifier"] == str(world.entry.uid)
    assert data["keywords"] == [
        "Europe in a changing world – inclusive, innovative and reflective societies"
    ]
    image = client.get(f"/sv/orebro/bank/{world.entry.slug}/images/{world.entry_image.pk}/")
    assert image["Content-Type"] == "image/png" and b"".join(image.streaming_content) == PNG


def test_an_event_page_carries_schema_org(client, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/sv/orebro/activities/{world.activity.pk}/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["@type"] == "Event"
    assert data["location"]["name"] == "Idrottens Hus"
    assert '<meta property="og:title" content="Idrott, ungdomar och integration">' in page


def test_the_start_page_shows_entries_news_and_the_sign_up(client, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sv/orebro/").content.decode()
    assert "Läxhjälp i idrottsföreningen" in page
    assert "Nya parter" in page and "Utkast" not in page
    assert 'action="/sv/orebro/newsletter/"' in page


def test_the_feed_is_atom_with_entries_and_news(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sv/orebro/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert sorted(titles) == ["Läxhjälp i idrottsföreningen", "Nya parter"]
    ids = {e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)}
    assert f"urn:uuid:{world.entry.uid}" in ids


def test_the_sitemap_lists_both_languages(client, world) -> None:  # type: ignore[no-untyped-def]
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/sv/orebro/bank/{world.entry.slug}/</loc>" in xml
    assert f'hreflang="en" href="http://testserver/en/orebro/bank/{world.entry.slug}/"' in xml
    assert world.draft_entry.slug not in xml


def test_an_idea_is_documented_reviewed_and_published(world) -> None:  # type: ignore[no-untyped-def]
    advisor, coordinator = logged_in(world, ADVISOR), logged_in(world, COORDINATOR)
    entry = world.draft_entry
    base = f"/staff/orebro/bank/{entry.pk}/"
    # Publishing is the coordinator's; an incomplete entry is refused with what it lacks.
    advisor.post(f"{base}move/", {"move": "submit"})
    response = coordinator.post(
        f"{base}move/", {"move": "publish", "version": seen_version(coordinator, base)}, follow=True
    )
    page = response.content.decode()
    assert "En titel och en sammanfattning på engelska." in page
    assert "Idébärarens samtycke till publicering." in page
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW
    coordinator.post(f"{base}move/", {"move": "return", "note": "Saknar engelska"})
    data = {
        "kind": "idea",
        "title_sv": entry.title_sv,
        "title_en": "Bike pool",
        "summary_sv": entry.summary_sv,
        "summary_en": "Bikes to borrow for those without a car.",
        "solution_type": "service",
        "challenges": [world.regional_challenge.pk],
        "new_for": "locality",
        "evidence_level": "experience",
        "can_spread": "yes",
    }
    assert advisor.post(base, data).status_code == 302
    advisor.post(f"{base}consent/", {"note": "Per e-post 3 mars"})
    advisor.post(f"{base}move/", {"move": "submit"})
    # The advisor may not publish.
    advisor.post(f"{base}move/", {"move": "publish", "version": seen_version(coordinator, base)})
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW
    coordinator.post(
        f"{base}move/", {"move": "publish", "version": seen_version(coordinator, base)}
    )
    entry.refresh_from_db()
    assert entry.state == Entry.State.PUBLISHED and entry.published_at is not None
    moves = list(
        EntryEvent.objects.filter(entry=entry, kind="moved").values_list("to_state", "actor__email")
    )
    assert moves[-1] == ("published", "coordinator@example.org")
    assert ("draft", "coordinator@example.org") in moves
    # The carrier's contact details never reach the public page.
    page = Client().get(f"/en/orebro/bank/{entry.slug}/").content.decode()
    assert "Bike pool" in page and "070-174" not in page and "Idé Bärare" not in page


def test_bad_input_is_explained_and_nothing_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = logged_in(world, COORDINATOR)
    before = Entry.objects.count()
    page = coordinator.post("/staff/orebro/bank/new/", {"kind": "idea", "title_sv": ""}).content
    assert "Ge posten en titel på svenska eller engelska." in page.decode()
    assert Entry.objects.count() == before
    base = f"/staff/orebro/bank/{world.draft_entry.pk}/"
    response = coordinator.post(
        f"{base}images/",
        {"upload": SimpleUploadedFile("a.png", PNG), "alt_sv": "Bild"},
        follow=True,
    )
    assert "Beskriv bilden för den som inte kan se den." in response.content.decode()
    assert world.draft_entry.images.count() == 1
    response = coordinator.post(
        f"{base}images/",
        {"upload": SimpleUploadedFile("a.png", b"<script>"), "alt_sv": "a", "alt_en": "b"},
        follow=True,
    )
    assert "Välj en bild i PNG- eller JPEG-format." in response.content.decode()
    assert world.draft_entry.images.count() == 1


def test_a_published_entry_is_changed_only_through_draft(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = logged_in(world, COORDINATOR)
    base = f"/staff/orebro/bank/{world.entry.pk}/"
    assert coordinator.post(base, {"title_sv": "Nytt"}).status_code == 403
    coordinator.post(f"{base}move/", {"move": "unpublish"})
    world.entry.refresh_from_db()
    assert world.entry.state == Entry.State.PUBLISHED  # a reason is required
    coordinator.post(f"{base}move/", {"move": "unpublish", "note": "Ny bild"})
    world.entry.refresh_from_db()
    assert world.entry.state == Entry.State.DRAFT
    assert Client().get(f"/sv/orebro/bank/{world.entry.slug}/").status_code == 404


def test_news_is_written_and_published(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = logged_in(world, COORDINATOR)
    response = coordinator.post(
        "/staff/orebro/news/new/", {"title_sv": "Seminarium", "body_sv": "Kom!"}
    )
    news = News.objects.get(title_sv="Seminarium")
    assert response["Location"] == f"/staff/orebro/news/{news.pk}/"
    assert Client().get(f"/sv/orebro/news/{news.slug}/").status_code == 404
    # The coordinator opens the item; someone else changes it before it is published.
    page = coordinator.get(f"/staff/orebro/news/{news.pk}/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    other = logged_in(world, COORDINATOR)
    other.post(f"/staff/orebro/news/{news.pk}/", {"title_sv": "Seminarium", "body_sv": "Kom inte!"})
    refused = coordinator.post(
        f"/staff/orebro/news/{news.pk}/publish/", {"version": version}, follow=True
    )
    assert "Nyheten har ändrats sedan du öppnade den" in refused.content.decode()
    assert Client().get(f"/sv/orebro/news/{news.slug}/").status_code == 404
    page = refused.content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    coordinator.post(f"/staff/orebro/news/{news.pk}/publish/", {"version": version})
    assert "Kom inte!" in Client().get(f"/sv/orebro/news/{news.slug}/").content.decode()


def test_the_api_finds_what_the_site_finds(client, world) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/innovations?q=läxhjälpen&lang=sv").json()
    assert [r["id"] for r in data["results"]] == [str(world.entry.uid)]
    assert data["results"][0]["carrier"] == ""
    challenge = next(f for f in data["facets"] if f["name"] == "challenge")
    assert challenge["options"][0]["value"] == "inclusive-societies"
    csv = client.get("/api/v1/innovations.csv?challenge=inclusive-societies")
    assert csv["Link"] == '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id;url;partnership;region")
    assert str(world.entry.uid) in lines[1]
    assert client.get("/api/v1/innovations?challenge=health").json()["count"] == 0
    assert client.get(f"/api/v1/innovations/{world.draft_entry.uid}").status_code == 404


def add_published(world, n: int) -> None:  # type: ignore[no-untyped-def]
    from soin.ideas.models import Challenge
    from soin.knowledge import services

    challenge = Challenge.objects.get(partnership__isnull=True, key="health")
    for i in range(n):
        entry = services.entry_create(
            partnership=world.partnership,
            actor=None,
            kind="existing",
            title_sv=f"Läxhjälp nummer {i}",
            title_en=f"Homework help number {i}",
            summary_sv="Läxhjälp i byn.",
            summary_en="Homework help in the village.",
            solution_type="education",
            challenges=[challenge],
            organisations=[world.own_org],
            new_for="region",
            evidence_level="documented",
            can_spread="yes",
        )
        entry.images.create(
            file="knowledge/x.png", content_type="image/png", alt_sv="a", alt_en="b"
        )
        entry = services.entry_move(entry=entry, actor=None, move="submit")
        services.entry_move(entry=entry, actor=None, move="publish", seen_version=entry.version)


@pytest.mark.parametrize(
    "url",
    ["/sv/orebro/bank/?q=läxhjälp", "/sv/bank/", "/api/v1/innovations?q=läxhjälp"],
)
def test_search_pages_ask_the_same_number_of_queries_for_more_entries(
    client, world, url, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_published(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_published(world, 10)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_hostile_facet_values_find_nothing_and_break_nothing(client, world) -> None:  # type: ignore[no-untyped-def]
    for value in ["\x00", "x\x00y", "' OR 1=1 --", "<script>alert(1)</script>", "ä" * 5000]:
        response = client.get("/sv/bank/", {"challenge": value, "q": value})
        # A null character is refused with an explanation before the search sees it.
        assert response.status_code == (400 if "\x00" in value else 200)
        assert "<script>alert(1)</script>" not in response.content.decode()
        api = client.get("/api/v1/innovations", {"challenge": value, "q": value[:200]})
        assert api.status_code == 200 and api.json()["count"] == 0
    # A query longer than the API documents is refused with an explanation.
    assert client.get("/api/v1/innovations", {"q": "ä" * 201}).status_code == 422


def test_the_dashboard_counts_the_entries_waiting_for_review(world) -> None:  # type: ignore[no-untyped-def]
    from soin.knowledge import services

    services.entry_move(entry=world.draft_entry, actor=None, move="submit")
    page = logged_in(world, COORDINATOR).get("/staff/orebro/").content.decode()
    assert "Väntar på granskning: 1" in page
    assert "Publicerad: 1" in page
    contact = Client()
    login(contact, world.users["partner_contact"])
    assert "Väntar på granskning" not in contact.get("/staff/orebro/").content.decode()


def test_an_entry_is_made_only_from_an_idea_of_the_same_partnership(world) -> None:  # type: ignore[no-untyped-def]
    from soin.ideas import services as idea_services

    elsewhere, _token = idea_services.idea_submit(
        partnership=world.other_partnership,
        consent_text="Samtycke",
        title="Annan idé",
        description="I Värmland.",
        carrier_category="private",
    )
    coordinator = logged_in(world, COORDINATOR)
    assert coordinator.get(f"/staff/orebro/bank/new/?idea={elsewhere.pk}").status_code == 404
    page = coordinator.get(f"/staff/orebro/bank/new/?idea={world.referred_idea.pk}")
    assert "Från idé" in page.content.decode()
    response = coordinator.post(
        "/staff/orebro/bank/new/", {"idea": world.referred_idea.pk, "kind": "idea"}
    )
    entry = Entry.objects.get(idea=world.referred_idea)
    assert response["Location"] == f"/staff/orebro/bank/{entry.pk}/"
    assert entry.title_sv == "Kulturfestival" and entry.summary_sv == "En festival för hela byn."
    # One entry per idea.
    again = coordinator.post(
        "/staff/orebro/bank/new/", {"idea": world.referred_idea.pk, "kind": "idea"}
    )
    assert "Idén har redan en post i kunskapsbanken." in again.content.decode()


def seen_version(client: Client, base: str) -> str:
    """Return the version of the entry that its page shows (the one a step would carry)."""
    page = client.get(base).content.decode()
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the editorial steps carry no version"
    return found.group(1)


def test_publishing_carries_the_version_the_coordinator_saw(world) -> None:  # type: ignore[no-untyped-def]
    advisor, coordinator = logged_in(world, ADVISOR), logged_in(world, COORDINATOR)
    entry = world.entry
    base = f"/staff/orebro/bank/{entry.pk}/"
    coordinator.post(f"{base}move/", {"move": "unpublish", "note": "Ny text"})
    advisor.post(f"{base}move/", {"move": "submit"})
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW
    # The coordinator opens the entry and reads it...
    version = seen_version(coordinator, base)
    # ...while the advisor changes its summary.
    data = {
        "kind": entry.kind,
        "title_sv": entry.title_sv,
        "title_en": entry.title_en,
        "summary_sv": "Läxhjälp varje tisdag, nu även med gratis lunch för alla.",
        "summary_en": entry.summary_en,
        "solution_type": entry.solution_type,
        "challenges": [c.pk for c in entry.challenges.all()],
        "new_for": entry.new_for,
        "evidence_level": entry.evidence_level,
        "can_spread": entry.can_spread,
    }
    assert advisor.post(base, data).status_code == 302
    # Publishing what the coordinator saw is refused, and the page says what changed.
    response = coordinator.post(
        f"{base}move/", {"move": "publish", "version": version}, follow=True
    )
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW
    page = response.content.decode()
    assert "Posten har ändrats sedan du öppnade den" in page
    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "nu även med gratis lunch för alla" in changes
    assert "advisor" in changes
    # A step without the version seen is refused too.
    coordinator.post(f"{base}move/", {"move": "publish"})
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW
    # Having read it again, the coordinator publishes.
    coordinator.post(
        f"{base}move/", {"move": "publish", "version": seen_version(coordinator, base)}
    )
    entry.refresh_from_db()
    assert entry.state == Entry.State.PUBLISHED
