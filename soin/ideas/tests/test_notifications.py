"""Mails about ideas go out after commit, through the task queue's worker, over SMTP."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from soin.core.testing import build_world, login
from soin.ideas import services
from soin.ideas.models import Idea

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def quiet_world(smtp_server):  # type: ignore[no-untyped-def]
    """The test world, with the mails its own set-up queued already sent and forgotten."""
    world = build_world()
    run_worker()
    smtp_server.inbox.messages.clear()
    return world


def test_referral_tells_the_carrier_and_the_receiving_partner(reference_data, smtp_server) -> None:  # type: ignore[no-untyped-def]
    world = quiet_world(smtp_server)
    advisor = world.users["advisor"]
    idea = services.idea_register(
        partnership=world.partnership,
        actor=advisor,
        channel="email",
        received_on=datetime.date(2017, 9, 12),
        title="Språkcafé",
        description="Träffas och prata.",
        carrier_category="private",
        carrier_email="bo@example.org",
        language="en",
    )
    services.idea_move(idea=idea, actor=advisor, move="take")
    run_worker()
    assert smtp_server.inbox.messages == []  # taking an idea is the advisors' own business
    services.idea_move(idea=idea, actor=advisor, move="refer", referred_to=world.own_org)
    run_worker()
    by_recipient = {m["X-Envelope-To"]: m for m in smtp_server.inbox.messages}
    assert set(by_recipient) == {"bo@example.org", "contact@example.org"}
    carrier = by_recipient["bo@example.org"]
    assert carrier["Subject"] == "Your idea has been passed on: Språkcafé"
    assert "Hällefors kommun will contact you" in carrier.get_content()
    assert "/en/orebro/idea/status/" in carrier.get_content()
    partner = by_recipient["contact@example.org"]
    assert partner["Subject"].strip().startswith("En idé har skickats vidare")  # in Swedish
    assert f"/staff/orebro/ideas/{idea.pk}/" in partner.get_content()


def test_a_refused_step_sends_nothing(reference_data, smtp_server) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    world = quiet_world(smtp_server)
    idea = world.idea
    Idea.objects.filter(pk=idea.pk).update(carrier_email="x@example.org")
    with pytest.raises(ValidationError):
        services.idea_move(idea=idea, actor=world.users["advisor"], move="drop", note="")
    run_worker()
    assert smtp_server.inbox.messages == []


def test_the_weekly_digest_lists_ideas_that_have_not_moved(reference_data, smtp_server) -> None:  # type: ignore[no-untyped-def]
    world = quiet_world(smtp_server)
    Idea.objects.filter(pk=world.idea.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=30)
    )
    out = io.StringIO()
    call_command("send_idea_digest", "--partnership", "orebro", stdout=out)
    assert "orebro" in out.getvalue()
    run_worker()
    recipients = sorted(m["X-Envelope-To"] for m in smtp_server.inbox.messages)
    assert recipients == ["advisor@example.org", "coordinator@example.org"]
    body = smtp_server.inbox.messages[0].get_content()
    assert world.idea.number in body and "Kulturfestival" not in body


def test_a_new_status_link_replaces_the_old_one(reference_data, smtp_server) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    world = quiet_world(smtp_server)
    idea = world.idea
    Idea.objects.filter(pk=idea.pk).update(carrier_email="ida@example.org")
    old = reverse("public:idea_status", kwargs={"partnership": "orebro", "token": world.idea_token})
    assert Client().get(old).status_code == 200
    advisor = Client()
    login(advisor, world.users["advisor"])
    advisor.post(reverse("staff:idea_status_link", kwargs={"partnership": "orebro", "pk": idea.pk}))
    assert Client().get(old).status_code == 404
    run_worker()
    [mail] = smtp_server.inbox.messages
    new = mail.get_content().split("127.0.0.1:8000", 1)[1].split()[0]
    assert Client().get(new).status_code == 200


def test_a_title_with_line_breaks_reaches_the_carrier_on_one_subject_line(  # type: ignore[no-untyped-def]
    reference_data, smtp_server
) -> None:
    world = quiet_world(smtp_server)
    services.idea_submit(
        partnership=world.partnership,
        consent_text="Samtycke",
        title="Språkcafé\r\nBcc: alla@example.org",
        description="Träffas och prata.",
        carrier_category="private",
        carrier_email="bo@example.org",
        language="en",
    )
    run_worker()
    assert [m["X-Envelope-To"] for m in smtp_server.inbox.messages] == ["bo@example.org"]
    subject = smtp_server.inbox.messages[0]["Subject"].strip()
    assert subject == "We have received your idea: Språkcafé Bcc: alla@example.org"
    assert smtp_server.inbox.messages[0]["Bcc"] is None
