"""The exchange page: the national coordinator chooses, per source, whether its imported entries
are published directly or wait in review and whether it is trusted as a relay; the next import
follows the choice. Nobody else opens the page or changes a source."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soin.api import records
from soin.api.exchange import import_innovations
from soin.audit.models import AuditEntry
from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL, OTHER, login
from soin.knowledge import selectors, services
from soin.knowledge.models import Entry, ExchangeSource

pytestmark = pytest.mark.django_db

ORIGIN = "https://x.se"


def record(world: Any, origin: str = ORIGIN, **changes: Any) -> dict[str, Any]:
    """An entry as another installation's open data gives it: the world's published entry's
    record under a new identifier, at ``origin``, without images (nothing to fetch)."""
    made = records.innovation_record(selectors.with_details(Entry.objects).get(pk=world.entry.pk))
    uid = str(uuid.uuid4())
    made.update(
        id=uid,
        url=f"{origin}/sv/{world.partnership.slug}/bank/{uid}/",
        origin="",
        images=[],
        **changes,
    )
    return made


def take_in(world: Any, origin: str = ORIGIN, count: int = 1, **changes: Any) -> list[Entry]:
    """Read ``count`` new entries from ``origin`` as import_open_data does; return them."""
    source = services.exchange_source_update(
        source=services.exchange_source_get(origin=origin), read=True
    )
    made = [record(world, origin, **changes) for _ in range(count)]
    outcome = import_innovations(made, origin, source=source)
    assert outcome.counts["created"] == count, outcome
    return list(Entry.objects.filter(uid__in=[r["id"] for r in made]).order_by("pk"))


def client_of(world: Any, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if user is not None:
        login(client, user)
    return client


def source_url(source: ExchangeSource) -> str:
    return reverse("staff:national_exchange_source", kwargs={"pk": source.pk})


def test_the_national_coordinator_sets_a_source_to_publish_directly_and_back(world) -> None:  # type: ignore[no-untyped-def]
    national = client_of(world, NATIONAL)
    page = national.get(reverse("staff:national_exchange"))
    assert page.status_code == 200
    assert "import_open_data" in page.content.decode()
    assert not page.context["sources"]  # the empty state
    waiting = take_in(world, count=2)
    assert {e.state for e in waiting} == {Entry.State.IN_REVIEW}
    take_in(world, origin="https://y.se")
    source = ExchangeSource.objects.get(origin=ORIGIN)

    page = national.get(reverse("staff:national_exchange"))
    counts = {
        s.origin: (s.waiting, s.published, s.publish_directly) for s in page.context["sources"]
    }
    assert counts == {ORIGIN: (2, 0, False), "https://y.se": (1, 0, False)}
    assert source_url(source) in page.content.decode()

    detail = national.get(source_url(source)).content.decode()
    for entry in waiting:
        link = reverse("staff:bank_entry", kwargs={"partnership": "orebro", "pk": entry.pk})
        assert link in detail
        assert national.get(link).status_code == 200

    done = national.post(source_url(source), {"publish": "directly", "relay": "no"}, follow=True)
    assert done.redirect_chain[-1][0] == source_url(source)
    assert "Poster från https://x.se publiceras nu direkt." in done.content.decode()
    source.refresh_from_db()
    assert source.publish_directly and not source.trusted_as_relay
    audit = AuditEntry.objects.get(action="exchange_source.update", object_pk=str(source.pk))
    assert audit.actor == world.users[NATIONAL]
    assert audit.before["publish_directly"] is False

    # The next import publishes directly, and the counts follow.
    (published,) = take_in(world)
    assert published.state == Entry.State.PUBLISHED and published.published_at
    page = national.get(reverse("staff:national_exchange"))
    counts = {s.origin: (s.waiting, s.published) for s in page.context["sources"]}
    assert counts[ORIGIN] == (2, 1)

    # Back to review, in English: the next new entry waits.
    national.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    done = national.post(source_url(source), {"publish": "review", "relay": "yes"}, follow=True)
    text = done.content.decode()
    assert "Entries from https://x.se now wait in review." in text
    assert "Entries that https://x.se passes on from other installations are now taken in." in text
    source.refresh_from_db()
    assert not source.publish_directly and source.trusted_as_relay
    assert AuditEntry.objects.filter(action="exchange_source.update").count() == 2
    (later,) = take_in(world)
    assert later.state == Entry.State.IN_REVIEW and later.published_at is None


def test_saving_the_same_choices_changes_nothing_and_says_so(world) -> None:  # type: ignore[no-untyped-def]
    take_in(world)
    source = ExchangeSource.objects.get(origin=ORIGIN)
    national = client_of(world, NATIONAL)
    done = national.post(source_url(source), {"publish": "review", "relay": "no"}, follow=True)
    assert "Inget ändrades." in done.content.decode()
    assert not AuditEntry.objects.filter(action="exchange_source.update").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"publish": "sometimes", "relay": "no"},
        {"publish": "directly"},
        {"publish": "directly", "relay": "maybe"},
    ],
)
def test_a_choice_the_form_does_not_offer_is_refused_and_changes_nothing(world, data) -> None:  # type: ignore[no-untyped-def]
    take_in(world)
    source = ExchangeSource.objects.get(origin=ORIGIN)
    response = client_of(world, NATIONAL).post(source_url(source), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    source.refresh_from_db()
    assert not source.publish_directly and not source.trusted_as_relay
    assert not AuditEntry.objects.filter(action="exchange_source.update").exists()


@pytest.mark.parametrize("role", [COORDINATOR, OTHER, ADVISOR, CONTACT, None])
def test_nobody_but_the_national_coordinator_opens_or_changes_a_source(world, role) -> None:  # type: ignore[no-untyped-def]
    take_in(world)
    source = ExchangeSource.objects.get(origin=ORIGIN)
    client = client_of(world, role) if role else Client()
    for url in (reverse("staff:national_exchange"), source_url(source)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if role is None:
            assert response["Location"].startswith(reverse("staff:login"))
    response = client.post(source_url(source), {"publish": "directly", "relay": "yes"})
    assert response.status_code in (302, 403)
    source.refresh_from_db()
    assert not source.publish_directly and not source.trusted_as_relay
    assert not AuditEntry.objects.filter(action="exchange_source.update").exists()


def test_the_dashboard_and_the_choice_of_partnership_link_to_the_page_for_the_national_coordinator(  # type: ignore[no-untyped-def]
    world,
) -> None:
    url = reverse("staff:national_exchange")
    national = client_of(world, NATIONAL)
    assert url in national.get(reverse("staff:home")).content.decode()
    dashboard = reverse("staff:dashboard", kwargs={"partnership": "orebro"})
    assert url in national.get(dashboard).content.decode()
    assert url not in client_of(world, COORDINATOR).get(dashboard).content.decode()


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_ask_as_often_whatever_the_number_of_sources_and_entries(world) -> None:  # type: ignore[no-untyped-def]
    take_in(world)
    source = ExchangeSource.objects.get(origin=ORIGIN)
    national = client_of(world, NATIONAL)
    urls = [reverse("staff:national_exchange"), source_url(source)]
    for url in urls:
        queries(national, url)  # the first visit fills what a session keeps
    few = [queries(national, url) for url in urls]
    for n in range(5):
        take_in(world, origin=f"https://installation-{n}.example.org", count=2)
    take_in(world, count=12)
    # Entries landing in another partnership's bank (the record names Värmland's region).
    take_in(world, count=3, region={"code": "17"}, municipality=None)
    assert Entry.objects.filter(origin=ORIGIN).values("partnership").distinct().count() == 2
    many = [queries(national, url) for url in urls]
    assert many == few
    detail = national.get(source_url(source))
    assert detail.context["waiting"].total == 16
