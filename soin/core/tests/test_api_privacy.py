"""The open data API gives nothing that is not public, whichever endpoint and whichever filter.

Both partnerships hold private records carrying recognisable markers: entries not published
(draft, in review, archived), an internal meeting, a draft report's narrative, an idea (ideas
are open data only as counts) with its carrier's name, contact persons (public or not),
a registrant, a subscriber and a grant applicant. Every endpoint of the OpenAPI document is
called (so a new endpoint is covered without a line here) without a filter and with each
partnership's, every page to the last, and no marker may appear in any answer; an entry
that is not published is not found by its identifier either.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soin.activities import services as activity_services
from soin.core.testing import COORDINATOR, OTHER, World, abroad
from soin.grants import services as grant_services
from soin.ideas import services as idea_services
from soin.knowledge import services as knowledge_services
from soin.knowledge.models import Entry
from soin.newsletter import services as newsletter_services
from soin.partners import services as partner_services
from soin.regions.models import Municipality, Partnership
from soin.reports import services as report_services

# The marker of every private record: "Privat" and what it is, then the partnership.
MARKER = re.compile(r"privat\w*-(orebro|varmland)", re.IGNORECASE)


def private_records(w: World, p: Partnership, actor: Any, records: dict[str, Any]) -> list[str]:
    """Add to ``p`` a private record of every kind with a marker in it; return the markers."""
    tag = p.slug
    org = records["own_org"]
    activity = records["activity"]
    challenge = records["entry"].challenges.first()
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(days=400)
    activity_services.activity_create(
        partnership=p,
        actor=actor,
        kind="working_committee",
        title_sv=f"Privatmote-{tag}",
        description_sv=f"Privatdagordning-{tag}",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        participants=[org],
    )
    activity_services.registration_create(
        activity=activity,
        name=f"Privatdeltagare-{tag}",
        email=f"privatdeltagare-{tag}@example.org",
        consent_text="Ja",
        organisation=f"Privatdeltagarorganisation-{tag}",
    )
    for public in (True, False):
        partner_services.contact_create(
            organisation=org,
            actor=None,
            name=f"Privatkontakt{int(public)}-{tag}",
            email=f"privatkontakt{int(public)}-{tag}@example.org",
            phone="070-000 00 00",
            is_public=public,
        )
    newsletter_services.subscriber_subscribe(
        partnership=p,
        email=f"privatprenumerant-{tag}@example.org",
        name=f"Privatprenumerant-{tag}",
        consent_text="Ja",
        source="test",
    )
    idea_services.idea_submit(
        partnership=p,
        consent_text="Ja",
        title=f"Privatide-{tag}",
        description=f"Privatbeskrivning-{tag}",
        carrier_category="private",
        carrier_name=f"Privatbarare-{tag}",
        carrier_email=f"privatbarare-{tag}@example.org",
    )
    # Entries that are not (or no longer) published.
    states = {"draft": (), "review": ("submit",), "archived": ("submit", "publish", "archive")}
    for state, moves in states.items():
        entry = knowledge_services.entry_create(
            partnership=p,
            actor=actor,
            kind="existing",
            title_sv=f"Privatpost{state}-{tag}",
            title_en=f"Privatpost{state}-{tag}",
            summary_sv=f"Privatsammanfattning{state}-{tag}",
            summary_en=f"Privatsammanfattning{state}-{tag}",
            solution_type="education",
            challenges=[challenge],
            new_for="target_group",
            evidence_level="documented",
            can_spread="yes",
        )
        for move in moves:
            entry = knowledge_services.entry_move(
                entry=entry, actor=actor, move=move, seen_version=entry.version
            )
    report_services.report_update(
        report=records["report"],
        actor=actor,
        narrative={"background": {"sv": f"Privatrapport-{tag}", "en": f"Privatrapport-{tag}"}},
    )
    grant_services.grant_submit(
        partnership=p,
        consent_text="Ja",
        language="sv",
        budget_lines=[("Hyra", 1000)],
        association_name="Föreningen Bidrag",
        org_number="802412-3435",
        municipality=Municipality.objects.filter(region=p.region).first(),
        contact_name=f"Privatsokande-{tag}",
        contact_email=f"privatsokande-{tag}@example.org",
        contact_phone="",
        title=f"Privatansokan-{tag}",
        purpose=f"Privatsyfte-{tag}",
        amount_applied=1000,
        co_financing=0,
    )
    return [
        f"Privat{kind}-{tag}"
        for kind in (
            "mote",
            "dagordning",
            "deltagare",
            "deltagarorganisation",
            "kontakt1",
            "kontakt0",
            "prenumerant",
            "ide",
            "beskrivning",
            "barare",
            "postdraft",
            "postreview",
            "postarchived",
            "rapport",
            "sokande",
            "ansokan",
            "syfte",
        )
    ]


def world_records(w: World) -> dict[str, Any]:
    """The first partnership's records under the names ``abroad`` gives the other's."""
    return {"own_org": w.own_org, "activity": w.activity, "entry": w.entry, "report": w.report}


@pytest.fixture
def secrets(world: World) -> list[str]:
    """Markers of private records in both partnerships, and the world's own private words."""
    markers = private_records(
        world, world.partnership, world.users[COORDINATOR], world_records(w=world)
    )
    markers += private_records(world, world.other_partnership, world.users[OTHER], abroad(world))
    # The world's people and private records, as the other tests know them.
    words = [
        world.idea.carrier_name,
        world.idea.title,
        world.registration.name,
        world.registration.email,
        world.subscriber.email,
        world.pending_subscriber.email,
        world.own_contact.name,
        world.other_contact.name,
        world.meeting.title,
        world.draft_entry.title,
        world.grant.contact_name,
        world.grant.contact_email,
        abroad(world)["idea"].carrier_name,
        abroad(world)["registration"].name,
        *(u.email for u in world.users.values() if u is not None),
    ]
    return markers + [w for w in words if w]


def openapi_gets(client: Client) -> Iterator[tuple[str, dict[str, Any]]]:
    document = client.get("/api/v1/openapi.json").json()
    assert document["paths"], "the OpenAPI document lists no endpoint"
    for path, operations in document["paths"].items():
        if "get" in operations:
            yield path, operations["get"]


def calls(
    path: str, operation: dict[str, Any], uids: list[str]
) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Each way to call the endpoint: for every identifier in the path, without a filter and
    with each partnership's, from the earliest day, and searching for the markers' word.
    The last item says whether the answer comes in pages."""
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    paths = [path.replace("{uid}", uid) for uid in uids] if "{uid}" in path else [path]
    assert "{" not in paths[0], f"{path}: a path parameter this test does not know"
    for url in paths:
        for partnership in ("", "orebro", "varmland"):
            if partnership and "partnership" not in names:
                continue
            params: dict[str, Any] = {"partnership": partnership} if partnership else {}
            if "since" in names:
                params["since"] = "2000-01-01"
            if "per_page" in names:
                params["per_page"] = 100
            yield url, params, "page" in names
            if "q" in names:
                yield url, {**params, "q": "privat"}, "page" in names


def pages(client: Client, url: str, params: dict[str, Any], paged: bool) -> Iterator[Any]:
    """Every page of the answer, the first to the last its ``pages`` names (a CSV's count is
    its JSON twin's, the same address without ``.csv``)."""
    first = client.get(url, params)
    yield first
    if not paged or first.status_code != 200:
        return
    count = client.get(url.removesuffix(".csv"), params).json()["pages"]
    for page in range(2, int(count) + 1):
        yield client.get(url, {**params, "page": page})


@pytest.mark.django_db
def test_no_endpoint_of_the_open_data_api_gives_anything_private(
    world: World, secrets: list[str]
) -> None:
    client = Client()
    entries = Entry.objects.all()
    uids = [str(e.uid) for e in entries]
    assert entries.filter(state=Entry.State.PUBLISHED).count() >= 2
    lowered = [s.lower() for s in secrets]
    leaks = []
    # What is public must show up, or the scan would prove nothing.
    public = {world.entry.title.lower(), abroad(world)["entry"].title.lower()}
    shown: set[str] = set()
    endpoints = answers = 0
    for path, operation in openapi_gets(client):
        endpoints += 1
        for url, params, paged in calls(path, operation, uids):
            for response in pages(client, url, params, paged):
                assert response.status_code in (200, 404), (url, params, response.status_code)
                answers += 1
                body = response.content.decode().lower()
                leaks += [f"{url} {params}: {s}" for s in lowered if s in body]
                shown |= {t for t in public if t in body}
    assert endpoints >= 8
    assert shown == public
    assert not leaks, "\n".join(sorted(set(leaks)))


@pytest.mark.django_db
def test_an_entry_that_is_not_published_is_not_found_by_its_identifier(
    world: World, secrets: list[str]
) -> None:
    client = Client()
    hidden = Entry.objects.exclude(state=Entry.State.PUBLISHED)
    assert hidden.filter(partnership=world.partnership).count() >= 4
    assert hidden.filter(partnership=world.other_partnership).count() >= 3
    for entry in hidden:
        response = client.get(f"/api/v1/innovations/{entry.uid}")
        assert response.status_code == 404, (entry.title, entry.state)
    for entry in Entry.objects.filter(state=Entry.State.PUBLISHED):
        assert client.get(f"/api/v1/innovations/{entry.uid}").status_code == 200
