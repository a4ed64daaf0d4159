"""Mails to registrants and the waiting list's clock, run by the task worker.

Offers and reminders are enqueued to run at their time (``run_after``); each task checks the
registration again when it runs, so a moved or cancelled activity never gets a stale mail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from soin.activities import services
from soin.activities.calendar import CALENDAR_TYPE, calendar_bytes
from soin.activities.models import Registration
from soin.core.mail import mail_task, send

R = Registration.State

SUBJECTS = {
    "confirmed": gettext_lazy("You are registered: %(title)s"),
    "waiting": gettext_lazy("You are on the waiting list: %(title)s"),
    "offered": gettext_lazy("A seat is free for you: %(title)s"),
    "expired": gettext_lazy("The offered seat has gone to the next person: %(title)s"),
    "cancelled": gettext_lazy("Your registration is cancelled: %(title)s"),
    "changed": gettext_lazy("New time or place: %(title)s"),
    "activity_cancelled": gettext_lazy("Cancelled: %(title)s"),
    "reminder": gettext_lazy("Reminder: %(title)s"),
    "link": gettext_lazy("Your registration: %(title)s"),
}
ACTIVE = frozenset({R.CONFIRMED, R.WAITING, R.OFFERED})
# The states a registration must still be in, when the worker comes to it, for the mail to
# be true; a mail whose moment has passed is not sent.
STILL_TRUE = {
    "confirmed": frozenset({R.CONFIRMED}),
    "waiting": frozenset({R.WAITING}),
    "offered": frozenset({R.OFFERED}),
    "expired": frozenset({R.EXPIRED}),
    "cancelled": frozenset({R.CANCELLED}),
    "changed": ACTIVE,
    "activity_cancelled": frozenset(R.values),
    "reminder": frozenset({R.CONFIRMED}),
    "link": ACTIVE,
}
# Mails that carry the event as an .ics file to put in one's calendar.
WITH_CALENDAR = frozenset({"confirmed", "changed", "reminder", "activity_cancelled"})


def _send(registration: Registration, kind: str) -> None:
    activity = registration.activity
    with translation.override(registration.language):
        link = settings.SITE_URL + reverse(
            "public:registration",
            kwargs={
                "partnership": activity.partnership.slug,
                "token": services.registration_token(registration),
            },
        )
        message = EmailMessage(
            subject=str(SUBJECTS[kind]) % {"title": activity.title},
            body=render_to_string(
                "activities/mail/registration.txt",
                {
                    "kind": kind,
                    "registration": registration,
                    "activity": activity,
                    "link": link,
                    "start": timezone.localtime(activity.starts_at),
                    "end": timezone.localtime(activity.ends_at),
                    "offer_until": registration.offer_expires_at
                    and timezone.localtime(registration.offer_expires_at),
                },
            ),
            to=[registration.email],
        )
        if kind in WITH_CALENDAR:
            message.attach(
                "event.ics",
                calendar_bytes([activity], name=activity.title),
                f"{CALENDAR_TYPE}; method=PUBLISH",
            )
        send(message)


@task()
@mail_task
def send_registration_mail(*, registration_id: int, kind: str) -> None:
    """Mail a registrant, in their language, what just happened to their registration."""
    registration = (
        Registration.objects.select_related("activity__partnership", "activity__municipality")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in SUBJECTS:
        return
    if registration.state not in STILL_TRUE[kind]:
        return
    if kind == "activity_cancelled" and not registration.activity.is_cancelled:
        return
    _send(registration, kind)


@task()
def expire_offer(*, registration_id: int) -> None:
    """When an offered seat's time is up, give it to the next person on the waiting list."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is not None:
        services.registration_expire(registration=registration)


@task()
@mail_task
def send_reminder(*, registration_id: int) -> None:
    """Remind a registrant the day before. Sent once, only to someone who still has a seat at
    an activity that is still planned and has not begun."""
    registration = (
        Registration.objects.select_related("activity__partnership", "activity__municipality")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    activity = registration.activity
    now = timezone.now()
    if (
        registration.state != R.CONFIRMED
        or registration.reminded_at is not None
        or activity.is_cancelled
        or now >= activity.starts_at
        or activity.starts_at - now > datetime.timedelta(days=1, hours=1)
    ):
        return
    # Claim the reminder before sending: two workers never both send it. If the mail cannot
    # be sent, the claim is given back so that the task can be run again.
    claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
        reminded_at=now
    )
    if not claimed:
        return
    try:
        _send(registration, "reminder")
    except Exception:
        Registration.objects.filter(pk=registration.pk, reminded_at=now).update(reminded_at=None)
        raise
