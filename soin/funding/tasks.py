"""The deadline reminder of a funding call, run by the task worker.

The reminder is enqueued to run at its time (``run_after``) for one closing date; when it runs
it checks that the call still closes on that date, that the reminder is due and that it has not
been sent for that date, so a moved deadline gets its own reminder and none is sent twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from soin.core.mail import mail_task, send
from soin.funding import services
from soin.funding.models import FundingCall
from soin.partners.models import ContactPerson

SUBJECT = gettext_lazy("The call “%(title)s” closes on %(day)s")
# When the mail cannot be sent, the reminder is tried again this much later (``mail_task``
# queues it; nothing else runs a failed task again); once the deadline has passed the task
# does nothing.
RETRY_AFTER = datetime.timedelta(hours=1)


def reminder_recipients(call: FundingCall) -> list[tuple[str, str, str]]:
    """Return (name, address, language) for the interested partners' contact persons and the
    person watching the call, each address once."""
    seen: set[str] = set()
    people: list[tuple[str, str, str]] = []
    if call.watcher and call.watcher.is_active and call.watcher.email:
        people.append((call.watcher.full_name, call.watcher.email, call.watcher.language or "sv"))
        seen.add(call.watcher.email_canonical)
    contacts = (
        ContactPerson.objects.filter(organisation__in=call.interested.all())
        .exclude(email="")
        .order_by("organisation__name", "name")
    )
    for contact in contacts:
        # One address typed two ways is one person's mailbox (soin.core.emails).
        if contact.email_canonical not in seen:
            seen.add(contact.email_canonical)
            people.append((contact.name, contact.email, settings.LANGUAGE_CODE))
    return people


def _send(call: FundingCall, name: str, address: str, language: str) -> None:
    with translation.override(language):
        link = settings.SITE_URL + reverse(
            "staff:funding_call_detail",
            kwargs={"partnership": call.partnership.slug, "pk": call.pk},
        )
        message = EmailMessage(
            subject=str(SUBJECT) % {"title": call.title, "day": call.closes_on.isoformat()},
            body=render_to_string(
                "funding/mail/call_reminder.txt",
                {
                    "call": call,
                    "name": name,
                    "link": link,
                    "days_left": (call.closes_on - timezone.localdate()).days,
                    "interested": list(call.interested.all()),
                },
            ),
            to=[address],
        )
        send(message)


@task()
@mail_task(retry_after=RETRY_AFTER)
def send_call_reminder(*, call_id: int, closes_on: str) -> None:
    """Remind the interested partners' contact persons and the watcher that the call closes
    soon: once per closing date, only while the call still closes on ``closes_on``."""
    call = FundingCall.objects.select_related("partnership", "watcher").filter(pk=call_id).first()
    day = datetime.date.fromisoformat(closes_on)
    if call is None or call.closes_on != day or call.reminded_for == day:
        return
    if timezone.localdate() > day or timezone.now() < services.reminder_due_at(call):
        return
    previous = call.reminded_for
    # Claim the reminder before sending: two workers never both send it. If the mail cannot
    # be sent, the claim is given back and the task is queued to run again (``mail_task``).
    if not services.call_reminder_claim(call=call, closes_on=day):
        return
    try:
        for name, address, language in reminder_recipients(call):
            _send(call, name, address, language)
    except Exception:
        services.call_reminder_release(call=call, closes_on=day, previous=previous)
        raise
