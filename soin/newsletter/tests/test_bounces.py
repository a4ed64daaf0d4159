"""Bounces that come back later as delivery status notifications (RFC 3464), and the
platform's items pulled into an issue."""

from __future__ import annotations

import datetime
import io
import mailbox
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from soin.newsletter import services
from soin.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

DSN = """From: MAILER-DAEMON@mx.example.org
To: no-reply@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B--
"""


def test_a_permanent_failure_puts_on_hold_and_a_delay_does_not(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(DSN.format(address="prenumerant@example.org", action="failed", status="5.1.1"))
    box.add(DSN.format(address="ny@example.org", action="delayed", status="4.4.1"))
    box.add("From: x@example.org\nSubject: Not a bounce\n\nHello\n")
    out = io.StringIO()
    call_command("newsletter_bounces", str(tmp_path / "bounces"), partnership="orebro", stdout=out)
    assert "3 messages, 1 failed recipients, 1 on hold." in out.getvalue()
    held = Subscriber.objects.get(email="prenumerant@example.org")
    assert held.state == Subscriber.State.HELD and held.bounces == 1
    assert Subscriber.objects.get(email="ny@example.org").bounces == 0
    # Read again (the next cron run): the notices are seen, nothing counts twice.
    out = io.StringIO()
    call_command("newsletter_bounces", str(tmp_path / "bounces"), partnership="orebro", stdout=out)
    assert "0 messages" in out.getvalue()
    held.refresh_from_db()
    assert held.bounces == 1


def test_a_notice_about_an_address_not_written_to_changes_nothing(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notice = tmp_path / "notice.eml"
    # "ny@example.org" has signed up but never been sent a newsletter.
    notice.write_text(DSN.format(address="ny@example.org", action="failed", status="5.1.1"))
    out = io.StringIO()
    call_command("newsletter_bounces", str(notice), partnership="orebro", stdout=out)
    assert "0 failed recipients" in out.getvalue()
    assert Subscriber.objects.get(email="ny@example.org").state == Subscriber.State.PENDING


def test_upcoming_events_and_new_partners_are_pulled_into_an_issue(world) -> None:  # type: ignore[no-untyped-def]
    from soin.partners import services as partner_services

    partner_services.organisation_create(
        partnership=world.partnership,
        actor=None,
        name="SOFINT",
        kind="coordination_association",
        joined_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    since = timezone.localdate() - datetime.timedelta(days=30)
    added = services.issue_pull_items(issue=world.draft_issue, actor=None, since=since)
    assert added == 2
    sections = list(world.draft_issue.sections.order_by("position"))
    event = sections[-2]
    assert event.heading_sv == "Idrott, ungdomar och integration"
    assert event.heading_en == "Sport, young people and integration"
    deadline = world.activity.registration_deadline.isoformat()
    assert deadline in event.text_sv and deadline in event.text_en
    assert event.link_url.endswith(f"/activities/{world.activity.pk}/")
    assert "SOFINT" in sections[-1].text_sv and "SOFINT" in sections[-1].text_en
