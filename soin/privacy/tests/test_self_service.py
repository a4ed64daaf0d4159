"""A person's own data: the request, the mail from the worker through a real SMTP server, the
link, the ZIP and its single use; expiry, other partnerships, the same answer for every
address, the limits, and erasure."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from soin.core.emails import canonical_email
from soin.core.testing import build_world, post_form
from soin.privacy import services
from soin.privacy.models import AccessRequest
from soin.privacy.processing import Basis
from soin.privacy.tests.helpers import PERSON, person_everywhere, read_zip

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def request_url(world, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("public:data_request", kwargs={"partnership": world.partnership.slug})


def link_kwargs(world, token: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"partnership": world.partnership.slug, "token": token}


def ask(client: Client, world, email: str, **extra):  # type: ignore[no-untyped-def]
    return post_form(client, request_url(world), {"email": email, "homepage": ""}, **extra)


@pytest.mark.django_db(transaction=True)
def test_a_request_mails_a_link_that_downloads_every_kind_of_data_once(  # type: ignore[no-untyped-def]
    reference_data, smtp_server
) -> None:
    world = build_world()
    person_everywhere(world)
    run_worker()
    smtp_server.inbox.messages.clear()

    client = Client()
    response = ask(client, world, " PERSON.kand@EXAMPLE.org ")
    assert response.status_code == 302
    assert smtp_server.inbox.messages == []  # the worker sends, after the commit
    run_worker()
    [message] = smtp_server.inbox.messages
    # The link goes to the address as it was typed (trimmed); the data is found by its
    # canonical form.
    assert message["To"] == "PERSON.kand@EXAMPLE.org"
    body = message.get_content()
    [link] = re.findall(r"https?://\S+/my-data/\S+/", body)
    path = link.split("://", 1)[1].partition("/")[2]
    assert path.startswith(f"en/{world.partnership.slug}/my-data/")
    # The link is made from the request's nonce, not kept: the database has no trace of it.
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not AccessRequest.objects.filter(nonce__contains=token).exists()

    page = client.get("/" + path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    download = client.post(reverse("public:data_download", kwargs=link_kwargs(world, token)))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    files = read_zip(download.content)

    kinds = [
        "ideas",
        "contact_log",
        "attachments",
        "registrations",
        "newsletter",
        "grants",
        "partner_contacts",
    ]
    assert sorted(files) == sorted(
        ["README.txt", *[f"{k}.json" for k in kinds], *[f"{k}.csv" for k in kinds]]
    )
    for kind in kinds:
        assert len(files[f"{kind}.json"]) == len(files[f"{kind}.csv"]) == 1, kind
    assert files["ideas.json"][0]["carrier_email"] == PERSON
    assert files["ideas.json"][0]["consent_text"] == "Samtycke till idén"
    assert files["ideas.csv"][0]["title"] == "Bygdens matkasse"
    assert files["contact_log.json"][0]["summary"] == "Ringde om gårdarna i Ljusnarsberg."
    assert files["attachments.csv"][0]["name"] == "gardar.txt"
    assert files["registrations.json"][0]["dietary_needs"] == "Vegetarisk"
    assert files["newsletter.json"][0]["consent"]["text"].startswith("Samtycke")
    assert files["grants.json"][0]["contact_phone"] == "070-111 22 33"
    assert files["partner_contacts.json"][0]["shown_publicly"] is False
    # Another person's data is not in it.
    assert "Idé Bärare" not in str(files)
    readme = files["README.txt"]
    for kind in kinds:
        assert f"{kind}.json, {kind}.csv" in readme
    assert str(Basis.CONSENT.label) in readme
    assert str(Basis.LEGAL_OBLIGATION.label) in readme
    assert readme.count("PERSON.kand@EXAMPLE.org") == 2  # the Swedish part and the English

    # Used up: the page and the download now say so, and give no data.
    again = client.get("/" + path)
    assert again.status_code == 200
    assert b"already been used" in again.content
    assert (
        reverse("public:data_request", kwargs={"partnership": world.partnership.slug}).encode()
        in again.content
    )
    second = client.post(reverse("public:data_download", kwargs=link_kwargs(world, token)))
    assert second["Content-Type"].startswith("text/html")
    assert b"already been used" in second.content


def test_an_expired_link_is_refused_with_a_way_to_ask_again(world, settings) -> None:  # type: ignore[no-untyped-def]
    person_everywhere(world)
    access_request, token = services.access_request_create(
        partnership=world.partnership, email=PERSON
    )
    assert access_request.expires_at - access_request.created_at == datetime.timedelta(
        hours=settings.SOIN_DATA_LINK_HOURS
    )
    AccessRequest.objects.filter(pk=access_request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = Client()
    with translation.override("en"):
        page = client.get(reverse("public:data_access", kwargs=link_kwargs(world, token)))
        download = client.post(reverse("public:data_download", kwargs=link_kwargs(world, token)))
        erase = client.post(reverse("public:data_erase", kwargs=link_kwargs(world, token)))
    for response in (page, download, erase):
        assert response.status_code == 200
        assert b"no longer valid" in response.content
        assert response["Content-Type"].startswith("text/html")
    assert request_url(world).encode() in page.content
    access_request.refresh_from_db()
    assert access_request.used_at is None


def test_a_link_opens_only_in_its_own_partnership(world) -> None:  # type: ignore[no-untyped-def]
    person_everywhere(world)
    access_request, token = services.access_request_create(
        partnership=world.partnership, email=PERSON
    )
    elsewhere = {"partnership": world.other_partnership.slug, "token": token}
    client = Client()
    assert client.get(reverse("public:data_access", kwargs=elsewhere)).status_code == 404
    assert client.post(reverse("public:data_download", kwargs=elsewhere)).status_code == 404
    assert client.post(reverse("public:data_erase", kwargs=elsewhere)).status_code == 404
    forged = link_kwargs(world, f"{access_request.pk}-{token[-5:]}")
    assert client.get(reverse("public:data_access", kwargs=forged)).status_code == 404
    access_request.refresh_from_db()
    assert access_request.used_at is None
    # The other partnership's request for the same address holds none of this partnership's.
    _other, other_token = services.access_request_create(
        partnership=world.other_partnership, email=PERSON
    )
    response = client.post(
        reverse(
            "public:data_download",
            kwargs={"partnership": world.other_partnership.slug, "token": other_token},
        )
    )
    files = read_zip(response.content)
    assert list(files) == ["README.txt"]
    assert "We hold no data about this address." in files["README.txt"]


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    person_everywhere(world)
    answers = []
    for email in (PERSON, "nobody.here@example.org"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = ask(client, world, email)
        answers.append((response.status_code, response["Location"], len(callbacks)))
        page = client.get(response["Location"])
        answers[-1] += (page.content.decode().replace(email, ""),)
    (known_status, known_to, known_mails, known_page) = answers[0]
    (unknown_status, unknown_to, unknown_mails, unknown_page) = answers[1]
    assert (known_status, known_to, known_page) == (unknown_status, unknown_to, unknown_page)
    assert "If we hold data about this address, we have sent a link" in known_page
    # Only the known address gets a mail.
    assert (known_mails, unknown_mails) == (1, 0)
    assert list(AccessRequest.objects.values_list("email", flat=True)) == [
        w.registration.email for w in [world]
    ] + [PERSON]


def test_requests_are_limited_per_connection_and_per_address(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_DATA_REQUEST_PER_HOUR = 2
    person_everywhere(world)
    before = AccessRequest.objects.count()
    client = Client()
    assert ask(client, world, "a@example.org").status_code == 302
    assert ask(client, world, "b@example.org").status_code == 302
    refused = ask(client, world, PERSON)
    assert refused.status_code == 429
    assert b"Many requests have been sent from your connection" in refused.content
    assert AccessRequest.objects.count() == before
    # From many connections, one address still gets at most three links an hour, and the
    # answer does not change.
    for n in range(5):
        response = ask(Client(), world, PERSON, REMOTE_ADDR=f"192.0.2.{n + 10}")
        assert response.status_code == 302
    assert AccessRequest.objects.count() == before + services.PER_ADDRESS_PER_HOUR


def test_a_robot_filling_in_the_honeypot_gets_the_answer_and_nothing_is_sent(world) -> None:  # type: ignore[no-untyped-def]
    person_everywhere(world)
    before = AccessRequest.objects.count()
    response = post_form(Client(), request_url(world), {"email": PERSON, "homepage": "http://spam"})
    assert response.status_code == 200
    assert AccessRequest.objects.count() == before


def test_a_bad_address_is_explained_in_the_visitors_language(world) -> None:  # type: ignore[no-untyped-def]
    response = post_form(Client(), request_url(world, "sv"), {"email": "inte en adress"})
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content or b"error" in response.content


def test_erasure_through_the_link_erases_and_uses_the_link_up(world) -> None:  # type: ignore[no-untyped-def]
    from soin.activities.models import Registration
    from soin.ideas.models import Idea

    person_everywhere(world, grant=False)
    access_request, token = services.access_request_create(
        partnership=world.partnership, email=PERSON
    )
    client = Client()
    url = reverse("public:data_erase", kwargs=link_kwargs(world, token))
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"<form" in confirm.content
    canonical = canonical_email(PERSON)
    assert Registration.objects.filter(email_canonical=canonical).exists()  # a GET erases nothing
    response = client.post(url)
    assert response.status_code == 200
    assert not Registration.objects.filter(email_canonical=canonical).exists()
    assert not Idea.objects.filter(carrier_email_canonical=canonical).exists()
    # The idea is kept, without its carrier's contact details.
    assert Idea.objects.filter(title="Bygdens matkasse").exists()
    access_request.refresh_from_db()
    assert access_request.used_at is not None
    again = client.post(url)
    assert "Länken har redan använts" in again.content.decode()


def test_a_refused_erasure_leaves_the_link_usable(world) -> None:  # type: ignore[no-untyped-def]
    # Nothing is held about the address: the erasure is refused, the link still downloads
    # (a README that says we hold nothing).
    access_request, token = services.access_request_create(
        partnership=world.partnership, email="gone@example.org"
    )
    client = Client()
    response = client.post(reverse("public:data_erase", kwargs=link_kwargs(world, token)))
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    access_request.refresh_from_db()
    assert access_request.used_at is None
    download = client.post(reverse("public:data_download", kwargs=link_kwargs(world, token)))
    files = read_zip(download.content)
    assert list(files) == ["README.txt"]
