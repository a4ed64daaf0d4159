"""Subscribers against a real SMTP server and the real worker: double opt-in, one-click
unsubscribe (RFC 8058), the subscription page, tip a friend, import, erasure."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from soin.audit.models import AuditEntry
from soin.core.testing import build_world, post_form
from soin.newsletter import services
from soin.newsletter.models import Delivery, FriendTip, Subscriber, Suppression

S = Subscriber.State


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def mails_to(server, address: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [m for m in server.inbox.messages if m["X-Envelope-To"] == address]


def body(message) -> str:  # type: ignore[no-untyped-def]
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def path_in(message, pattern: str) -> str:  # type: ignore[no-untyped-def]
    found = re.search(rf"https?://[^\s/]+({pattern})", body(message))
    assert found, body(message)
    return found.group(1)


def assert_opens_nothing_but_unsubscribing(page: str) -> None:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    for private in ("/newsletter/subscription/", "data.json", "/erase/", 'value="erase"'):
        assert private not in main, private
    # The page for asking for one's data (a link by mail) is fine; a private link is not.
    assert not re.search(r"/my-data/[\w-]+/", main)


@pytest.mark.django_db(transaction=True)
def test_double_opt_in_and_one_click_unsubscribe(reference_data, smtp_server) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    run_worker()
    smtp_server.inbox.messages.clear()
    client = Client()
    url = reverse("public:newsletter_subscribe", kwargs={"partnership": world.partnership.slug})
    data = {"email": "Lisa@Example.org", "name": "Lisa", "language": "sv", "consent": "on"}
    response = post_form(client, url, data)
    assert response.status_code == 302
    lisa = Subscriber.objects.get(email_canonical="lisa@example.org")
    assert (
        lisa.state == S.PENDING
        and lisa.consent_text
        and lisa.source == "form /sv/orebro/newsletter/"
    )
    run_worker()
    [mail] = mails_to(smtp_server, "Lisa@Example.org")
    confirm = path_in(mail, r"/sv/orebro/newsletter/confirm/[\w-]+/")
    # Opening the link (a person, or a mail scanner) confirms nothing.
    assert "<form" in client.get(confirm).content.decode()
    lisa.refresh_from_db()
    assert lisa.state == S.PENDING
    client.post(confirm)
    lisa.refresh_from_db()
    assert lisa.state == S.ACTIVE and lisa.confirmed_at is not None

    # Signing up again: the same answer, nothing changed, the subscription link mailed.
    again = post_form(client, url, data)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    run_worker()
    assert len(mails_to(smtp_server, "Lisa@Example.org")) == 2

    # An issue goes out with the one-click headers.
    issue = services.issue_create(
        partnership=world.partnership, actor=None, year=2018, title_sv="Nyhetsbrev 2018:3"
    )
    services.section_add(issue=issue, actor=None, heading_sv="Hej", text_sv="Text")
    services.issue_send(issue=issue, actor=None)
    run_worker()
    newsletter = mails_to(smtp_server, "Lisa@Example.org")[-1]
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    target = re.fullmatch(
        r"<https?://[^/]+(/newsletter/unsubscribe/[\w-]+/)>",
        str(newsletter["List-Unsubscribe"]).strip(),
    )
    assert target, newsletter["List-Unsubscribe"]
    unsubscribe = target.group(1)
    # A GET never unsubscribes.
    scanner = Client()
    page = scanner.get(unsubscribe)
    assert page.status_code == 200
    lisa.refresh_from_db()
    assert lisa.state == S.ACTIVE
    # The link lives for years in headers that scanners read: it unsubscribes and opens
    # nothing else (no subscription page, no download of data, no erasure).
    assert_opens_nothing_but_unsubscribing(page.content.decode())
    # The mail program's POST: no cookies, no CSRF token, no redirect.
    program = Client(enforce_csrf_checks=True)
    answer = program.post(
        unsubscribe,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert_opens_nothing_but_unsubscribing(answer.content.decode())
    lisa.refresh_from_db()
    assert lisa.state == S.UNSUBSCRIBED
    delivery = Delivery.objects.get(email_canonical="lisa@example.org")
    assert delivery.unsubscribed_at is not None
    assert (
        program.post(
            unsubscribe,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )


@pytest.mark.django_db
def test_unconfirmed_sign_ups_get_nothing(world) -> None:  # type: ignore[no-untyped-def]
    from soin.newsletter import sender
    from soin.newsletter.models import Dispatch

    issue = services.issue_create(
        partnership=world.partnership, actor=None, year=2019, title_sv="Nytt"
    )
    services.section_add(issue=issue, actor=None, heading_sv="Hej")
    services.issue_send(issue=issue, actor=None)
    dispatch = Dispatch.objects.get(issue=issue)
    sender.run(dispatch.pk)
    assert list(dispatch.deliveries.values_list("email", flat=True)) == ["prenumerant@example.org"]


@pytest.mark.django_db
def test_the_subscription_page_language_download_and_erasure(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    token = services.subscriber_token(world.subscriber)
    url = reverse(
        "public:newsletter_subscription",
        kwargs={"partnership": world.partnership.slug, "token": token},
    )
    client.post(url, {"action": "language", "language": "en"})
    world.subscriber.refresh_from_db()
    assert world.subscriber.language == "en"
    data = json.loads(
        client.get(
            reverse(
                "public:newsletter_subscription_data",
                kwargs={"partnership": world.partnership.slug, "token": token},
            )
        ).content
    )
    assert data["email"] == "prenumerant@example.org"
    assert data["consent"]["text"] == "Samtycke"
    assert [n["issue"] for n in data["newsletters_sent"]] == ["2018:1"]
    assert [h["what"] for h in data["history"]] == ["language"]
    response = client.post(url, {"action": "erase"})
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="prenumerant@example.org").exists()
    assert Suppression.objects.filter(email_hash=services.email_hash("prenumerant@example.org"))
    # The send keeps its count, not the address.
    assert not Delivery.objects.filter(email="prenumerant@example.org").exists()
    assert Delivery.objects.filter(dispatch__issue=world.sent_issue).count() == 1
    # The audit log says that an erasure happened, not whose.
    entry = AuditEntry.objects.get(action="subscriber.erase")
    assert "prenumerant" not in json.dumps([entry.object_repr, entry.before, entry.after])
    assert client.get(url).status_code == 404
    # An import does not bring the address back.
    report = services.subscribers_import(
        partnership=world.partnership,
        actor=world.users["coordinator"],
        content=b"email\nprenumerant@example.org\nny2@example.org\n",
        filename="lista.csv",
        consent_note="Prenumererade via so-in.se",
    )
    assert report == {"added": 1, "known": 0, "erased": 1, "rows": 2}


@pytest.mark.django_db
def test_an_import_is_all_or_nothing_and_keeps_provenance(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError) as error:
        services.subscribers_import(
            partnership=world.partnership,
            actor=coordinator,
            content="email;name\nett@example.org;Ett\ninte-en-adress;Två\n".encode(),
            filename="lista.csv",
            consent_note="Prenumererade via so-in.se",
        )
    assert "Row 3" in " ".join(error.value.messages) or "Rad 3" in " ".join(error.value.messages)
    assert not Subscriber.objects.filter(email="ett@example.org").exists()
    report = services.subscribers_import(
        partnership=world.partnership,
        actor=coordinator,
        content=b"email;name;language\nett@example.org;Ett;en\nprenumerant@example.org;X;sv\n",
        filename="lista.csv",
        consent_note="Prenumererade via so-in.se",
    )
    assert report["added"] == 1 and report["known"] == 1
    ett = Subscriber.objects.get(email="ett@example.org")
    assert ett.state == S.ACTIVE and ett.language == "en" and ett.name == "Ett"
    assert ett.source.startswith("import:lista.csv") and "coordinator@example.org" in ett.source
    assert ett.consent_text == "Prenumererade via so-in.se"


@pytest.mark.django_db
def test_a_friend_gets_one_invitation_and_is_never_subscribed(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("public:newsletter_friend", kwargs={"partnership": world.partnership.slug})
    client = Client()
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            assert (
                post_form(
                    client, url, {"email": "van@example.org", "sender_name": "Kim"}
                ).status_code
                == 200
            )
    assert len(callbacks) == 1
    assert not Subscriber.objects.filter(email="van@example.org").exists()
    assert FriendTip.objects.count() == 1
    # The address is kept only until the invitation has gone; the queued task carries only
    # the row's number.
    from soin.newsletter.tasks import send_friend_tip

    mail.outbox.clear()
    send_friend_tip.call(tip_id=FriendTip.objects.get().pk)
    assert "van@example.org" not in str(list(FriendTip.objects.values()))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["van@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_permanent_bounce_puts_the_address_on_hold(reference_data, settings) -> None:  # type: ignore[no-untyped-def]
    from soin.core.smtp import Inbox, SMTPServer
    from soin.newsletter import sender
    from soin.newsletter.models import Dispatch

    server = SMTPServer(Inbox(reject=frozenset({"borta@example.org"}))).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        world = build_world()
        services.subscribers_import(
            partnership=world.partnership,
            actor=None,
            content=b"email\nborta@example.org\nfinns@example.org\n",
            filename="lista.csv",
            consent_note="Gammal lista",
        )
        issue = services.issue_create(
            partnership=world.partnership, actor=None, year=2019, title_sv="Nummer ett"
        )
        services.section_add(issue=issue, actor=None, heading_sv="Hej")
        dispatch = services.issue_send(issue=issue, actor=None)
        assert sender.run(dispatch.pk) == "done"
        states = dict(Delivery.objects.filter(dispatch=dispatch).values_list("email", "state"))
        assert states == {
            "borta@example.org": "bounced",
            "finns@example.org": "sent",
            "prenumerant@example.org": "sent",
        }
        gone = Subscriber.objects.get(email="borta@example.org")
        assert gone.state == S.HELD and gone.bounces == 1
        assert {m["X-Envelope-To"] for m in server.inbox.messages} >= {"finns@example.org"}
        # The next issue does not go to an address on hold.
        second = services.issue_create(
            partnership=world.partnership, actor=None, year=2019, title_sv="Nummer två"
        )
        services.section_add(issue=second, actor=None, heading_sv="Hej")
        dispatch2 = services.issue_send(issue=second, actor=None)
        sender.run(dispatch2.pk)
        assert not Delivery.objects.filter(dispatch=dispatch2, email="borta@example.org").exists()
        assert Dispatch.objects.get(pk=dispatch2.pk).state == "done"
    finally:
        server.stop()
