"""The newsletter's background work: sends in short runs with a watchdog, and the mails to
one person (confirm, already subscribing, a friend's invitation, a test issue)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from soin.accounts.models import User
from soin.core.mail import mail_task, send, send_mail
from soin.newsletter import rendering, sender
from soin.newsletter.models import Dispatch, FriendTip, Issue, Subscriber
from soin.newsletter.services import subscriber_token


@task()
def run_dispatch(*, dispatch_id: int) -> None:
    """Send for a while, then queue the next run (so that other mails are not held up behind
    a long send), or wait for the mail server. A run that found only other runs' rows left
    ("stalled") queues none: the watchdog takes them over if their run has died."""
    outcome = sender.run(dispatch_id)
    if outcome == "more":
        run_dispatch.enqueue(dispatch_id=dispatch_id)
    elif outcome == "waiting":
        run_dispatch.using(
            run_after=timezone.now() + datetime.timedelta(seconds=sender.retry_seconds())
        ).enqueue(dispatch_id=dispatch_id)


@task()
def watch_dispatch(*, dispatch_id: int) -> None:
    """Look in on a send: if its run has gone quiet (the worker died), take it over and send
    on. Comes back until the send is done."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None or dispatch.state == Dispatch.State.DONE:
        return
    if sender.recover(dispatch_id):
        run_dispatch.enqueue(dispatch_id=dispatch_id)
    watch_dispatch.using(
        run_after=timezone.now() + datetime.timedelta(seconds=sender.stall_seconds())
    ).enqueue(dispatch_id=dispatch_id)


@task()
@mail_task
def send_subscriber_mail(*, subscriber_id: int, kind: str) -> None:
    """The confirmation link of a sign-up, or (signing up again) the link to one's
    subscription. Only to the address itself."""
    subscriber = Subscriber.objects.select_related("partnership").filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    expected = {
        "confirm": {Subscriber.State.PENDING},
        "already": {Subscriber.State.ACTIVE},
        "comeback": {Subscriber.State.UNSUBSCRIBED, Subscriber.State.HELD},
    }[kind]
    if subscriber.state not in expected:
        return
    partnership = subscriber.partnership
    with translation.override(subscriber.language):
        link = settings.SITE_URL + reverse(
            "public:newsletter_confirm" if kind == "confirm" else "public:newsletter_subscription",
            kwargs={
                "partnership": partnership.slug,
                "token": subscriber_token(
                    subscriber, "confirm" if kind == "confirm" else "subscription"
                ),
            },
        )
        subject = {
            "confirm": _("Confirm that you want the newsletter of %(partnership)s"),
            "already": _("You already subscribe to the newsletter of %(partnership)s"),
            "comeback": _("Your subscription to the newsletter of %(partnership)s"),
        }[kind]
        send_mail(
            subject=subject % {"partnership": partnership.name},
            message=render_to_string(
                "newsletter/mail/subscriber.txt",
                {"kind": kind, "link": link, "partnership": partnership, "days": 7},
            ),
            from_email=None,
            recipient_list=[subscriber.email],
        )


@task()
@mail_task
def send_friend_tip(*, tip_id: int) -> None:
    """The one invitation; the friend's address is blanked once it has gone."""
    tip = FriendTip.objects.select_related("partnership").filter(pk=tip_id).first()
    if tip is None or not tip.email:
        return
    partnership, email, sender_name = tip.partnership, tip.email, tip.sender_name
    with translation.override(tip.language):
        link = settings.SITE_URL + reverse(
            "public:newsletter_subscribe", kwargs={"partnership": partnership.slug}
        )
        send_mail(
            subject=_("A tip: the newsletter of %(partnership)s")
            % {"partnership": partnership.name},
            message=render_to_string(
                "newsletter/mail/friend_tip.txt",
                {"partnership": partnership, "link": link, "sender_name": sender_name},
            ),
            from_email=None,
            recipient_list=[email],
        )
    FriendTip.objects.filter(pk=tip.pk).update(email="", sender_name="")


@task()
@mail_task
def send_test_mail(*, issue_id: int, user_id: int) -> None:
    """The issue as subscribers will see it, in each of its languages, to the staff member."""
    issue = Issue.objects.select_related("partnership").get(pk=issue_id)
    user = User.objects.get(pk=user_id)
    for language in ("sv", "en"):
        if not issue.has_language(language):
            continue
        rendered = rendering.render(issue, language)
        rendered.subject = f"[TEST] {rendered.subject}"
        message = rendering.personalise(
            rendered,
            to=user.email,
            unsubscribe_url=settings.SITE_URL + "/",
            subscription_url=settings.SITE_URL + "/",
        )
        send(message)
