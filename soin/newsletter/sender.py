"""The sender: a send is a durable job with a row per recipient, worked through by the task
worker in short runs.

Each recipient gets the issue at most once, whatever happens:

* A run claims a batch of pending rows under its own name (``owner``), then for each row moves
  it from "claimed" to "sending" — only if it is still its own — before handing the mail to
  the SMTP server, and to "sent" when the server has accepted it. Two runs never send the same
  row; a row is never sent again once it has been "sending".
* The server not taking a mail (a dropped connection, an outage) puts the row back as pending,
  gives the rest of the batch back, and the send waits and resumes where it stopped.
* A run that dies (the worker killed) stops showing progress. The watchdog, queued beside every
  send, takes the send over: rows the dead run had claimed become pending again; the one row
  it may have been handing over is marked "unconfirmed" and not sent again.
"""

from __future__ import annotations

import contextlib
import datetime
import smtplib
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from soin.newsletter import rendering
from soin.newsletter.models import Delivery, Dispatch, Issue, Subscriber
from soin.newsletter.services import subscriber_bounce, subscriber_token, unsubscribe_token

D = Delivery.State
BATCH = 100
# Sent rows are recorded, and the run shows it is alive, every so many mails.
HEARTBEAT_EVERY = 20


def stall_seconds() -> int:
    return int(settings.SOIN_NEWSLETTER_STALL_SECONDS)


def run_seconds() -> int:
    return int(settings.SOIN_NEWSLETTER_RUN_SECONDS)


def retry_seconds() -> int:
    return int(settings.SOIN_NEWSLETTER_RETRY_SECONDS)


def start(dispatch_id: int) -> None:
    """Queue the first run and the watchdog."""
    from soin.newsletter.tasks import run_dispatch, watch_dispatch

    run_dispatch.enqueue(dispatch_id=dispatch_id)
    watch_dispatch.using(
        run_after=timezone.now() + datetime.timedelta(seconds=stall_seconds())
    ).enqueue(dispatch_id=dispatch_id)


def prepare(dispatch: Dispatch) -> None:
    """Fix the recipients: a row for every active subscriber, in their language."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if dispatch.state != Dispatch.State.PREPARING:
            return
        issue = dispatch.issue
        subscribers = Subscriber.objects.filter(
            partnership_id=issue.partnership_id, state=Subscriber.State.ACTIVE
        ).values_list("pk", "email", "language")
        batch: list[Delivery] = []
        total = 0
        for pk, email, language in subscribers.iterator(chunk_size=5000):
            batch.append(
                Delivery(
                    dispatch=dispatch,
                    subscriber_id=pk,
                    email=email,
                    language=rendering.issue_language(issue, language),
                )
            )
            if len(batch) >= 5000:
                Delivery.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Delivery.objects.bulk_create(batch)
        total += len(batch)
        dispatch.total = total
        dispatch.state = Dispatch.State.SENDING
        dispatch.save(update_fields=["total", "state"])


def _claim(dispatch: Dispatch, owner: str) -> list[Delivery]:
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(dispatch=dispatch, state=D.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        Delivery.objects.filter(pk__in=ids, state=D.PENDING).update(state=D.CLAIMED, owner=owner)
    return list(
        Delivery.objects.filter(dispatch=dispatch, owner=owner, state=D.CLAIMED)
        .select_related("subscriber")
        .only("pk", "email", "language", "subscriber", "subscriber__nonce")
        .order_by("pk")
    )


def _give_back(dispatch: Dispatch, owner: str) -> None:
    Delivery.objects.filter(dispatch=dispatch, owner=owner, state=D.CLAIMED).update(
        state=D.PENDING, owner=""
    )


def _links(delivery: Delivery, partnership_slug: str) -> tuple[str, str]:
    unsubscribe = settings.SITE_URL + reverse(
        "newsletter_unsubscribe", kwargs={"token": unsubscribe_token(delivery)}
    )
    subscription = ""
    if delivery.subscriber is not None:
        subscription = settings.SITE_URL + reverse(
            "public:newsletter_subscription",
            kwargs={
                "partnership": partnership_slug,
                "token": subscriber_token(delivery.subscriber),
            },
        )
    return unsubscribe, subscription


def _finish_if_done(dispatch: Dispatch) -> bool:
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if dispatch.state == Dispatch.State.DONE:
            return True
        if dispatch.deliveries.filter(state__in=[D.PENDING, D.CLAIMED, D.SENDING]).exists():
            return False
        now = timezone.now()
        dispatch.state = Dispatch.State.DONE
        dispatch.finished_at = now
        dispatch.owner = ""
        dispatch.save(update_fields=["state", "finished_at", "owner"])
        Issue.objects.filter(pk=dispatch.issue_id).update(state=Issue.State.SENT, sent_at=now)
        return True


def run(dispatch_id: int, *, seconds: float | None = None) -> str:
    """Send for up to ``seconds``; return "done", "more" (queue another run) or "waiting"
    (the mail server did not answer: try again later)."""
    dispatch = Dispatch.objects.select_related("issue__partnership").get(pk=dispatch_id)
    if dispatch.state == Dispatch.State.DONE:
        return "done"
    prepare(dispatch)
    owner = uuid.uuid4().hex
    Dispatch.objects.filter(pk=dispatch.pk).update(
        owner=owner, heartbeat_at=timezone.now(), state=Dispatch.State.SENDING, last_error=""
    )
    issue = dispatch.issue
    slug = issue.partnership.slug
    rendered: dict[str, rendering.Rendered] = {}
    prepared: dict[str, rendering.Prepared | None] = {}
    connection: Any = None
    deadline = time.monotonic() + (run_seconds() if seconds is None else seconds)
    sent: list[int] = []
    table = Delivery._meta.db_table
    take = (
        f"UPDATE {table} SET state = %s, attempts = attempts + 1 "
        "WHERE id = %s AND owner = %s AND state = %s"
    )

    def record_sent() -> None:
        # The server has these: recorded together, a few at a time. A run that dies before
        # recording leaves them "sending", which the watchdog marks unconfirmed, never resent.
        if sent:
            Delivery.objects.filter(pk__in=sent).update(state=D.SENT, sent_at=timezone.now())
            sent.clear()

    try:
        while time.monotonic() < deadline:
            rows = _claim(dispatch, owner)
            if not rows:
                break
            for row in rows:
                if time.monotonic() >= deadline:
                    break
                # The row is this run's only if still claimed by it; from here on it is never
                # handed to the server again.
                with db.cursor() as cursor:
                    cursor.execute(take, [D.SENDING, row.pk, owner, D.CLAIMED])
                    if cursor.rowcount != 1:
                        continue
                language = row.language
                if language not in rendered:
                    rendered[language] = rendering.render(issue, language)
                    prepared[language] = rendering.prepare(rendered[language])
                unsubscribe, subscription = _links(row, slug)
                try:
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    smtp = getattr(connection, "connection", None)
                    ready = prepared[language]
                    if ready is not None and isinstance(smtp, smtplib.SMTP):
                        # The mail serialised once for the send, this recipient's parts put in.
                        smtp.sendmail(
                            ready.envelope_from,
                            [row.email],
                            ready.raw(
                                to=row.email,
                                unsubscribe_url=unsubscribe,
                                subscription_url=subscription,
                            ),
                        )
                    else:
                        connection.send_messages(
                            [
                                rendering.personalise(
                                    rendered[language],
                                    to=row.email,
                                    unsubscribe_url=unsubscribe,
                                    subscription_url=subscription,
                                )
                            ]
                        )
                except smtplib.SMTPRecipientsRefused as refused:
                    code, reply = next(iter(refused.recipients.values()))
                    permanent = 500 <= int(code) < 600
                    Delivery.objects.filter(pk=row.pk).update(
                        state=D.BOUNCED if permanent else D.FAILED,
                        error=f"{code} {reply!r}"[:300],
                    )
                    subscriber_bounce(
                        partnership=issue.partnership,
                        email=row.email,
                        permanent=permanent,
                        note=f"{code} {issue.code}",
                    )
                except (smtplib.SMTPException, OSError) as error:
                    # Not accepted by the server: this row and the rest go back to the queue,
                    # and the send waits for the server.
                    record_sent()
                    Delivery.objects.filter(pk=row.pk, owner=owner, state=D.SENDING).update(
                        state=D.PENDING, owner=""
                    )
                    _give_back(dispatch, owner)
                    Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(
                        state=Dispatch.State.WAITING,
                        last_error=f"{type(error).__name__}: {error}"[:300],
                        owner="",
                        # The watchdog leaves a waiting send alone until its retry is due.
                        heartbeat_at=timezone.now() + datetime.timedelta(seconds=retry_seconds()),
                    )
                    with contextlib.suppress(Exception):
                        connection.close()
                    connection = None
                    return "waiting"
                else:
                    sent.append(row.pk)
                if len(sent) >= HEARTBEAT_EVERY:
                    record_sent()
                    if not Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(
                        heartbeat_at=timezone.now()
                    ):
                        return "more"  # taken over: the new owner goes on
            record_sent()
            _give_back(dispatch, owner)
    finally:
        record_sent()
        _give_back(dispatch, owner)
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    if _finish_if_done(dispatch):
        return "done"
    Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(heartbeat_at=timezone.now())
    return "more"


def recover(dispatch_id: int) -> bool:
    """Take over a send whose run has gone quiet (its worker died). Return whether it did."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
        if dispatch.state == Dispatch.State.DONE:
            return False
        quiet = timezone.now() - datetime.timedelta(seconds=stall_seconds())
        if dispatch.heartbeat_at is not None and dispatch.heartbeat_at > quiet:
            return False
        Delivery.objects.filter(dispatch=dispatch, state=D.CLAIMED).update(
            state=D.PENDING, owner=""
        )
        Delivery.objects.filter(dispatch=dispatch, state=D.SENDING).update(state=D.UNCONFIRMED)
        dispatch.owner = ""
        dispatch.heartbeat_at = timezone.now()
        dispatch.save(update_fields=["owner", "heartbeat_at"])
    return True


def progress(dispatch: Dispatch) -> dict[str, Any]:
    """Counts by state and an estimate of the time left, from the last minute's rate."""
    counts = dict(
        dispatch.deliveries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    done = sum(counts.get(s, 0) for s in (D.SENT, D.UNCONFIRMED, D.FAILED, D.BOUNCED))
    pending = sum(counts.get(s, 0) for s in (D.PENDING, D.CLAIMED, D.SENDING))
    minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    rate = dispatch.deliveries.filter(sent_at__gte=minute_ago).count() / 60.0
    seconds_left = int(pending / rate) if rate > 0 and pending else None
    return {
        "state": dispatch.state,
        "state_label": str(dispatch.get_state_display()),
        "total": dispatch.total,
        "sent": counts.get(D.SENT, 0) + counts.get(D.UNCONFIRMED, 0),
        "failed": counts.get(D.FAILED, 0) + counts.get(D.BOUNCED, 0),
        "pending": pending,
        "done": done,
        "per_minute": round(rate * 60),
        "seconds_left": seconds_left,
        "minutes_left": -(-seconds_left // 60) if seconds_left else None,
        "last_error": dispatch.last_error,
    }
