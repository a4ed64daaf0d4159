"""Another installation is not trusted: ``import_open_data`` against a hostile source (a real
HTTP server on 127.0.0.1 started by the test) that tries to reach this installation's own
network, to write over entries that are not its own, to make the import run for ever or
read without end, and to store what the feeds cannot write. Each test checks what is stored,
what the command says, and that the public feeds and entry page still answer."""

from __future__ import annotations

import io
import ipaddress
import itertools
import json
import socket
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from soin.api import exchange, records
from soin.core import fetch
from soin.core.testing import COORDINATOR
from soin.core.tests.hostile_source import (
    Answer,
    HostileSource,
    hostile_source,
    json_answer,
    png_answer,
    redirect,
)
from soin.knowledge import selectors
from soin.knowledge.models import Entry, ExchangeSource


@pytest.fixture
def source(settings):  # type: ignore[no-untyped-def]
    with hostile_source() as server:
        settings.SOIN_EXCHANGE_ALLOWED_SOURCES = [server.origin]
        yield server


def record(world: Any, server: HostileSource, **changes: Any) -> dict[str, Any]:
    """An entry as the source's open data would give it: the world's published entry's
    record under a new identifier, its image on the source."""
    made = records.innovation_record(selectors.with_details(Entry.objects).get(pk=world.entry.pk))
    uid = str(uuid.uuid4())
    server.routes[f"/images/{uid}.png"] = png_answer()
    made.update(
        id=uid,
        url=server.url(f"/sv/{world.partnership.slug}/bank/{uid}/"),
        origin="",
        images=[{"url": server.url(f"/images/{uid}.png"), "alt_sv": "Bild", "alt_en": "Image"}],
    )
    made.update(changes)
    return made


def run(*args: str) -> str:
    """Run the import in English (its refusals are translated) and return what it said."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_open_data", *args, stdout=out)
    return out.getvalue()


def assert_public_pages_answer(world: Any) -> None:
    client = Client()
    p = world.partnership.slug
    for url in (
        reverse("public:national_feed"),
        reverse("public:feed", kwargs={"partnership": p}),
        reverse("public:bank_entry", kwargs={"partnership": p, "slug": world.entry.slug}),
        *(
            reverse("public:bank_entry", kwargs={"partnership": e.partnership.slug, "slug": e.slug})
            for e in Entry.objects.filter(state=Entry.State.PUBLISHED).exclude(origin="")
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


# The source's own address ---------------------------------------------------------------


def test_a_source_on_loopback_is_refused_unless_it_is_listed(world, settings) -> None:  # type: ignore[no-untyped-def]
    with hostile_source() as server:
        server.page([record(world, server)])
        settings.SOIN_EXCHANGE_ALLOWED_SOURCES = []
        with pytest.raises(CommandError, match="not public"):
            run(server.api)
        assert server.asked == {}
        assert not Entry.objects.exclude(origin="").exists()
        # Listed by its host alone, it is read.
        settings.SOIN_EXCHANGE_ALLOWED_SOURCES = ["127.0.0.1"]
        assert "1 new" in run(server.api)
    assert_public_pages_answer(world)


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/api/v1/innovations",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/api/v1/innovations",
        "http://[::ffff:127.0.0.1]:{port}/api/v1/innovations",
        "http://localhost:{port}/api/v1/innovations",
        "http://0.0.0.0:{port}/api/v1/innovations",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(world, source, target) -> None:  # type: ignore[no-untyped-def]
    source.routes["/api/v1/innovations"] = redirect(target.format(port=source.port))
    with pytest.raises(CommandError, match=r"not public|could not be found"):
        run(source.api)
    assert source.asked["/api/v1/innovations"] == 1
    assert not Entry.objects.exclude(origin="").exists()
    assert_public_pages_answer(world)


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://example.org/x"]
)
def test_a_redirect_to_another_scheme_is_refused(world, source, target) -> None:  # type: ignore[no-untyped-def]
    source.routes["/api/v1/innovations"] = redirect(target)
    with pytest.raises(CommandError, match="Only http and https"):
        run(source.api)
    assert not Entry.objects.exclude(origin="").exists()


def test_redirects_are_followed_a_few_times_only(world, source) -> None:  # type: ignore[no-untyped-def]
    source.routes["/api/v1/innovations"] = redirect("/loop")
    source.routes["/loop"] = redirect("/loop")
    with pytest.raises(CommandError, match="More than 3 redirects"):
        run(source.api)
    assert source.asked["/loop"] == 3


def test_the_address_checked_is_the_one_connected_to(world, source, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DNS rebinding: a name that resolves to an allowed address when checked and to another
    a moment later gets no second look-up; the connection goes where the check said."""
    settings.SOIN_EXCHANGE_ALLOWED_SOURCES = ["rebinding.test"]
    answers = itertools.chain(["127.0.0.1"], itertools.repeat("10.0.0.1"))
    looked_up = []

    def resolver(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(host)
        address = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", resolver)
    source.page([record(world, source)])
    fetched = fetch.fetch(
        f"http://rebinding.test:{source.port}/api/v1/innovations",
        limits=fetch.Limits(max_bytes=10_000),
        accept=lambda t: t == "application/json",
    )
    assert b'"results"' in fetched.body
    assert looked_up == ["rebinding.test"]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("2002:7f00:1::", False),
        ("64:ff9b::a00:1", False),
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:93.184.215.14", False),
    ],
)
def test_only_addresses_on_the_public_internet_count_as_public(address, public) -> None:  # type: ignore[no-untyped-def]
    assert fetch.is_public(ipaddress.ip_address(address)) is public


# Images ---------------------------------------------------------------------------------


def test_an_image_on_loopback_is_not_fetched_unless_its_host_is_listed(world, source) -> None:  # type: ignore[no-untyped-def]
    made = record(world, source)
    # The same server under another name: not the listed source, so not let through.
    made["images"] = [{"url": f"http://localhost:{source.port}/images/{made['id']}.png"}]
    source.page([made])
    output = run(source.api, "--publish-directly")
    assert "1 new" in output and "1 images could not be fetched" in output
    assert source.asked[f"/images/{made['id']}.png"] == 0
    entry = Entry.objects.get(uid=made["id"])
    assert not entry.images.exists()
    assert_public_pages_answer(world)


def test_an_image_that_is_html_is_not_stored(world, source) -> None:  # type: ignore[no-untyped-def]
    made = record(world, source)
    source.routes[f"/images/{made['id']}.png"] = Answer(
        body=b"<html><script>alert(1)</script></html>", headers={"Content-Type": "image/png"}
    )
    source.page([made])
    output = run(source.api, "--publish-directly")
    assert "1 new" in output and "1 images could not be fetched" in output
    assert source.asked[f"/images/{made['id']}.png"] == 1
    assert not Entry.objects.get(uid=made["id"]).images.exists()
    assert_public_pages_answer(world)


def test_a_real_image_from_the_listed_source_is_stored(world, source) -> None:  # type: ignore[no-untyped-def]
    made = record(world, source)
    source.page([made])
    output = run(source.api, "--publish-directly")
    assert "0 images could not be fetched" in output
    image = Entry.objects.get(uid=made["id"]).images.get()
    assert image.content_type == "image/png" and image.alt_en == "Image"


# Origins --------------------------------------------------------------------------------


def test_a_record_claiming_another_installations_origin_is_skipped_and_reported(
    world, source
) -> None:  # type: ignore[no-untyped-def]
    honest = record(world, source)
    claiming = record(world, source, origin="https://other-installation.example")
    source.page([honest, claiming])
    output = run(source.api)
    assert "1 new" in output and "1 of another origin" in output
    assert claiming["id"] in output
    assert Entry.objects.filter(uid=honest["id"], origin=source.origin).exists()
    assert not Entry.objects.filter(uid=claiming["id"]).exists()
    assert_public_pages_answer(world)


def test_a_record_may_not_change_an_entry_of_another_origin(world, source) -> None:  # type: ignore[no-untyped-def]
    # An entry of installation A, read from A itself earlier.
    made = record(world, source, title_sv="A:s text")
    source.page([made])
    run(source.api, "--publish-directly")
    ExchangeSource.objects.all().delete()
    Entry.objects.filter(uid=made["id"]).update(origin="https://a.example")
    # Now this source sends the same identifier as its own, changed.
    source.page([{**made, "title_sv": "Överskriven", "updated_at": "2030-01-01T00:00:00Z"}])
    output = run(source.api)
    assert "1 of another origin" in output and made["id"] in output
    entry = Entry.objects.get(uid=made["id"])
    assert (entry.title_sv, entry.origin) == ("A:s text", "https://a.example")


def test_a_record_claiming_the_identifier_of_a_local_entry_is_skipped(world, source) -> None:  # type: ignore[no-untyped-def]
    before = Entry.objects.get(pk=world.entry.pk)
    made = record(world, source, title_sv="Kapad", updated_at="2030-01-01T00:00:00Z")
    made["id"] = str(world.entry.uid)
    source.page([made])
    output = run(source.api, "--publish-directly")
    assert "1 of another origin" in output and str(world.entry.uid) in output
    after = Entry.objects.get(pk=world.entry.pk)
    assert (after.title_sv, after.origin, after.state) == (before.title_sv, "", before.state)
    assert after.images.count() == before.images.count()
    assert_public_pages_answer(world)


def test_a_source_trusted_as_a_relay_passes_on_other_installations_entries(world, source) -> None:  # type: ignore[no-untyped-def]
    relayed = record(world, source, origin="https://other-installation.example/")
    source.page([relayed])
    assert "1 of another origin" in run(source.api)
    output = run(source.api, "--trust-as-relay")
    assert "1 new" in output
    entry = Entry.objects.get(uid=relayed["id"])
    assert entry.origin == "https://other-installation.example"
    assert ExchangeSource.objects.get(origin=source.origin).trusted_as_relay
    # Even a relay may not pass on this installation's own entries as someone else's.
    own = record(world, source, id=str(world.entry.uid), origin="https://third.example")
    source.page([own])
    assert "1 of another origin" in run(source.api)
    assert Entry.objects.get(pk=world.entry.pk).origin == ""


def test_a_file_of_records_is_checked_record_by_record(world, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = record(world, source, url="https://a.example/sv/x/bank/y/", images=[])
    other = record(world, source, url="https://b.example/sv/x/bank/z/", images=[])
    path = tmp_path / "innovations.json"
    path.write_text(json.dumps([first, other]), encoding="utf-8")
    output = run(str(path))
    assert "entries from https://a.example:" in output
    assert "1 new" in output and "1 of another origin" in output and other["id"] in output
    assert Entry.objects.get(uid=first["id"]).origin == "https://a.example"
    assert not Entry.objects.filter(uid=other["id"]).exists()


# Review ---------------------------------------------------------------------------------


def test_imported_entries_wait_in_review_unless_the_source_publishes_directly(
    world, source
) -> None:  # type: ignore[no-untyped-def]
    from soin.knowledge import services

    first = record(world, source)
    source.page([first])
    output = run(source.api)
    assert "1 new" in output and "waiting in review" in output
    entry = Entry.objects.get(uid=first["id"])
    assert entry.state == Entry.State.IN_REVIEW and entry.published_at is None
    assert not selectors.published_entries().filter(pk=entry.pk).exists()
    # A coordinator publishes it after review.
    coordinator = world.users[COORDINATOR]
    services.entry_move(entry=entry, actor=coordinator, move="publish", seen_version=entry.version)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.PUBLISHED
    # Changed at the source, it comes back to review as a new version: what the coordinator
    # read before cannot be published as if it were the new text.
    source.page([{**first, "title_sv": "Ändrad", "updated_at": "2030-01-01T00:00:00Z"}])
    assert "1 updated" in run(source.api)
    changed = Entry.objects.get(pk=entry.pk)
    assert changed.state == Entry.State.IN_REVIEW and changed.version > entry.version
    with pytest.raises(ValidationError):
        services.entry_move(
            entry=changed, actor=coordinator, move="publish", seen_version=entry.version
        )
    # A source set to publish directly publishes, and the choice is remembered.
    second = record(world, source)
    source.page([second])
    assert "published directly" in run(source.api, "--publish-directly")
    assert Entry.objects.get(uid=second["id"]).state == Entry.State.PUBLISHED
    third = record(world, source)
    source.page([third])
    run(source.api)
    assert Entry.objects.get(uid=third["id"]).state == Entry.State.PUBLISHED
    assert_public_pages_answer(world)


# Bounds ---------------------------------------------------------------------------------


def test_an_import_stops_at_the_most_pages_whatever_the_source_says(world, source) -> None:  # type: ignore[no-untyped-def]
    made = record(world, source)
    source.page([made], pages=10**9)
    output = run(source.api, "--max-pages", "3")
    assert "Stopped after 3 pages; the source says it has 1000000000." in output
    assert source.asked["/api/v1/innovations"] == 3
    assert Entry.objects.filter(uid=made["id"]).count() == 1
    # Asking for more than the most allowed gets the most allowed.
    source.asked.clear()
    output = run(source.api, f"--max-pages={10**9}")
    assert f"Stopped after {exchange.MAX_PAGES} pages" in output
    assert source.asked["/api/v1/innovations"] == exchange.MAX_PAGES


@pytest.mark.parametrize("announced", [True, False])
def test_a_huge_answer_is_read_no_further_than_the_limit(
    world, source, monkeypatch, announced
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(exchange, "MAX_PAGE_BYTES", 100_000)
    sent = []

    def pieces() -> Any:
        yield b'{"pages": 1, "results": ["'
        for _n in range(2_000):  # 128 MB if read to the end
            sent.append(1)
            yield b"x" * 65_536

    headers = {"Content-Type": "application/json"}
    if announced:
        headers["Content-Length"] = str(2_000 * 65_536)
    source.routes["/api/v1/innovations"] = Answer(headers=headers, pieces=pieces)
    with pytest.raises(CommandError, match="larger than 100000 bytes"):
        run(source.api)
    assert len(sent) < 200
    assert not Entry.objects.exclude(origin="").exists()
    assert_public_pages_answer(world)


def test_a_slow_answer_times_out(world, source) -> None:  # type: ignore[no-untyped-def]
    source.page([record(world, source)])
    source.routes["/api/v1/innovations"].delay = 5  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="did not answer in time"):
        run(source.api, "--timeout", "0.5")
    assert not Entry.objects.exclude(origin="").exists()


def test_an_answer_trickling_in_stops_at_the_deadline(world, source, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(exchange, "DEADLINE", 1.0)

    def pieces() -> Any:
        yield b'{"pages": 1, "results": ['
        while True:
            yield b" "

    source.routes["/api/v1/innovations"] = Answer(
        headers={"Content-Type": "application/json"}, pieces=pieces, pause=0.1
    )
    with pytest.raises(CommandError, match=r"took longer than 1\.0 seconds"):
        run(source.api, "--timeout", "0.5")


@pytest.mark.parametrize(
    "answer",
    [
        json_answer({"pages": 1, "results": []}, content_type="text/html"),
        Answer(body=b"<html>not json</html>", headers={"Content-Type": "application/json"}),
        json_answer({"pages": "many", "results": {}}),
        Answer(status=500, body=b"oops", headers={"Content-Type": "application/json"}),
    ],
)
def test_a_page_of_the_wrong_type_or_shape_is_refused(world, source, answer) -> None:  # type: ignore[no-untyped-def]
    source.routes["/api/v1/innovations"] = answer
    with pytest.raises(CommandError, match=r"wrong type|not JSON|not a page|status 500"):
        run(source.api)
    assert not Entry.objects.exclude(origin="").exists()


# Text -----------------------------------------------------------------------------------


def test_control_characters_in_a_title_are_not_stored_and_the_feeds_still_answer(
    world, source
) -> None:  # type: ignore[no-untyped-def]
    made = record(
        world,
        source,
        title_sv="Före\x00efter\x0bmed\x1b[31mfärg\ufffe",
        title_en="Bell\x07 and \x85next \u202eevil",
        summary_sv="Rad ett\nrad\x0ctvå",
    )
    source.page([made])
    output = run(source.api, "--publish-directly")
    assert "1 new" in output
    entry = Entry.objects.get(uid=made["id"])
    assert entry.title_sv == "Föreeftermed[31mfärg"
    assert entry.title_en == "Bell and \nnext \u202eevil\u202c"
    assert entry.summary_sv == "Rad ett\nradtvå"
    assert_public_pages_answer(world)
    feed = Client().get(reverse("public:national_feed"))
    assert "Föreeftermed[31mfärg" in feed.content.decode()
