"""The sender: a send is a durable job with a row per recipient, worked through by the task
worker in short runs.

Each recipient gets the issue at most once, whatever happens:

* A run claims a batch of pending rows under its own name (``owner``), then for each row moves
  it from "claimed" to "sending" — only if it is still its own — before handing the mail to
  the SMTP server, and to "sent" when the server has accepted it. Two runs never send the same
  row; a row is never sent again once it has been "sending". The move is committed while the
  server answers the mail's envelope (MAIL FROM, RCPT TO), which hands nothing over, and the
  message follows only once it is.
* The server not taking a mail (a dropped connection, an outage) puts the row back as pending,
  gives the rest of the batch back, and the send waits and resumes where it stopped.
* A run that dies (the worker killed) stops showing progress. The watchdog, queued beside every
  send, takes the send over: rows the dead run had claimed become pending again; the one row
  it may have been handing over is marked "unconfirmed" and not sent again.
* A run that finds nothing left to send but another run's rows (claimed or being handed over)
  neither shows progress nor queues another run: if that run is dead, the send goes quiet and
  the watchdog takes it over; if it is alive, it finds itself taken over, records what it
  sent, gives back the rest and queues the next run (or finishes the send) itself.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import select
import smtplib
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, transaction
from django.db import connection as db
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from psycopg import pq

from soin.core import aggregates
from soin.newsletter import rendering
from soin.newsletter.models import Delivery, Dispatch, Issue, Subscriber
from soin.newsletter.services import subscriber_bounce, subscriber_token, unsubscribe_token

D = Delivery.State
BATCH = 100
# Sent rows are recorded, and the run shows it is alive, every so many mails or seconds.
HEARTBEAT_EVERY = 20
BEAT_SECONDS = 5
# A mail refused for now (4xx) is tried this many times before it counts as failed.
MAX_ATTEMPTS = 5


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


class _Take:
    """Moving a row from "claimed" to "sending": only while the row is this run's and its
    subscriber still subscribes, and committed before the message is handed over.

    On PostgreSQL the statement is sent without waiting for it (libpq's asynchronous call,
    on the connection Django holds, outside any transaction of its own), so that its
    commit is under way while the mail server answers the envelope, which hands nothing
    over; ``wait`` returns once the commit is done. Elsewhere it runs as it is called."""

    def __init__(self, owner: str) -> None:
        table, subscribers = Delivery._meta.db_table, Subscriber._meta.db_table
        self.owner = owner
        self.sql = (
            f"UPDATE {table} SET state = %s, attempts = attempts + 1 "
            "WHERE id = %s AND owner = %s AND state = %s "
            f"AND EXISTS (SELECT 1 FROM {subscribers} s WHERE s.id = {table}.subscriber_id "
            "AND s.state = %s)"
        )
        numbered = self.sql.replace("%s", "{}").format(*(f"${n}" for n in range(1, 6)))
        self.numbered = numbered.encode()
        # The connection a statement was sent on, until its result is read (PostgreSQL).
        self.pg: Any = None
        self.taken = False

    def _values(self, pk: int) -> list[Any]:
        return [D.SENDING, pk, self.owner, D.CLAIMED, Subscriber.State.ACTIVE]

    def send(self, pk: int) -> None:
        if db.vendor != "postgresql":
            with db.cursor() as cursor:
                cursor.execute(self.sql, self._values(pk))
                self.taken = cursor.rowcount == 1
            return
        # Whatever connection Django holds now (it may have opened a new one since).
        db.ensure_connection()
        self.pg = db.connection.pgconn
        self.pg.send_query_params(self.numbered, [str(v).encode() for v in self._values(pk)])
        while self.pg.flush():
            select.select([], [self.pg.socket], [])

    def wait(self) -> bool:
        """Whether the row was taken; on PostgreSQL, once its commit is done."""
        if self.pg is None:
            return self.taken
        pg, rows, error = self.pg, 0, b""
        self.pg = None
        while True:
            while pg.is_busy():
                select.select([pg.socket], [], [])
                pg.consume_input()
            result = pg.get_result()
            if result is None:
                break  # the server is ready again: the statement's transaction is over
            if result.status == pq.ExecStatus.COMMAND_OK:
                rows = int(result.command_tuples or 0)
            else:
                error = result.error_message or b"?"
        if error:
            raise DatabaseError(error.decode(errors="replace"))
        return rows == 1


# A private link's token as object_token writes it: characters an address keeps as they are.
PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
TOKEN = "~token~"
# An address of a dot-atom at a domain of ASCII labels: Django's sanitize_address gives it back
# as it is (this check costs a hundredth of what that does, 200 000 times a send).
PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
)


def recipient(email: str) -> str:
    """``email`` as the envelope and the To header carry it."""
    return email if PLAIN_ADDRESS.fullmatch(email) else sanitize_address(email, "utf-8")


class _Links:
    """Each mail's two private links: the addresses drawn once per send and language, each
    mail's tokens written into them (a token of other characters is drawn in full)."""

    def __init__(self, partnership_slug: str) -> None:
        self.slug = partnership_slug
        self.drawn: dict[tuple[str, str], str] = {}

    def _link(self, name: str, language: str, token: str) -> str:
        if PLAIN_TOKEN.fullmatch(token):
            if (name, language) not in self.drawn:
                self.drawn[name, language] = self._draw(name, language, TOKEN)
            return self.drawn[name, language].replace(TOKEN, token)
        return self._draw(name, language, token)

    def _draw(self, name: str, language: str, token: str) -> str:
        if name == "newsletter_unsubscribe":
            return settings.SITE_URL + reverse(name, kwargs={"token": token})
        # In the reader's language: /en/… for an English reader.
        with translation.override(language):
            return settings.SITE_URL + reverse(
                name, kwargs={"partnership": self.slug, "token": token}
            )

    def of(self, delivery: Delivery) -> tuple[str, str]:
        unsubscribe = self._link("newsletter_unsubscribe", "", unsubscribe_token(delivery))
        subscription = ""
        if delivery.subscriber is not None:
            subscription = self._link(
                "public:newsletter_subscription",
                delivery.language,
                subscriber_token(delivery.subscriber),
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
        issue = Issue.objects.filter(pk=dispatch.issue_id)
        issue.update(state=Issue.State.SENT, sent_at=now)
        # An update sends no signal: the statistics' count of issues sent is counted again.
        for partnership_id in issue.values_list("partnership_id", flat=True):
            aggregates.stamp_bump(source="statistics", partnership=partnership_id)
        return True


# What happened to one mail at the server.
SENT, BOUNCED, RETRY, FAILED, UNCONFIRMED, OUTAGE = (
    "sent",
    "bounced",
    "retry",
    "failed",
    "unconfirmed",
    "outage",
)


def _envelope(smtp: smtplib.SMTP, envelope_from: str, to: str) -> tuple[str, str] | None:
    """Open one mail's envelope (MAIL FROM, RCPT TO), which hands nothing over yet: None when
    the server will take the message, else what became of the mail (nothing delivered)."""
    try:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(envelope_from)
        if code != 250:
            smtp.rset()
            return OUTAGE, f"MAIL FROM {code} {reply!r}"
        code, reply = smtp.rcpt(to)
        if code not in (250, 251):
            smtp.rset()
            if code == 421:
                return OUTAGE, f"RCPT {code} {reply!r}"
            return (BOUNCED if 500 <= code < 600 else RETRY), f"{code} {reply!r}"
    except (smtplib.SMTPException, OSError) as error:
        return OUTAGE, f"{type(error).__name__}: {error}"
    return None


def _content(smtp: smtplib.SMTP, raw: bytes) -> tuple[str, str]:
    """Hand over the message of an open envelope, so that each failure is known for what it
    is: a reply to it (delivered or not, as the server says), or silence after it (perhaps
    delivered: never sent again)."""
    try:
        code, answer = smtp.data(raw)
    except smtplib.SMTPDataError as error:
        # Refused before the message was sent (no 354): nothing delivered.
        code, answer = error.smtp_code, error.smtp_error  # type: ignore[assignment]
    except (smtplib.SMTPException, OSError) as error:
        # Silence after the message: it may have been delivered.
        return UNCONFIRMED, f"{type(error).__name__}: {error}"
    if code == 250:
        return SENT, ""
    # The server answered: it did not take the mail.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()
    if code == 421:
        return OUTAGE, f"DATA {code} {answer!r}"
    return (FAILED if 500 <= code < 600 else RETRY), f"{code} {answer!r}"


def _deliver_message(connection: Any, message: Any) -> tuple[str, str]:
    """The same through a Django mail backend (development and tests without SMTP)."""
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as refused:
        code, reply = next(iter(refused.recipients.values()))
        return (BOUNCED if 500 <= int(code) < 600 else RETRY), f"{code} {reply!r}"
    except (smtplib.SMTPException, OSError) as error:
        return OUTAGE, f"{type(error).__name__}: {error}"
    return SENT, ""


def _smtp_backend() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


class _Mails:
    """The issue rendered once per language, and each recipient's mail from it."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        self.rendered: dict[str, rendering.Rendered] = {}
        self.prepared: dict[str, rendering.Prepared | None] = {}

    def get(self, language: str) -> tuple[rendering.Rendered, rendering.Prepared | None]:
        if language not in self.rendered:
            self.rendered[language] = rendering.render(self.issue, language)
            self.prepared[language] = rendering.prepare(self.rendered[language])
        return self.rendered[language], self.prepared[language]


class _TakenOver(Exception):
    """Another run has taken the send over: this one stops."""


def run(dispatch_id: int, *, seconds: float | None = None) -> str:
    """Send for up to ``seconds``; return "done", "more" (queue another run), "waiting" (the
    mail server is away: try again later), "stopped" (another run has taken over) or
    "stalled" (only other runs' rows are left: the watchdog takes them over once the send has
    been quiet long enough, if their run is dead)."""
    dispatch = Dispatch.objects.select_related("issue__partnership").get(pk=dispatch_id)
    if dispatch.state == Dispatch.State.DONE:
        return "done"
    prepare(dispatch)
    owner = uuid.uuid4().hex
    if (
        not Dispatch.objects.filter(pk=dispatch.pk)
        .exclude(state=Dispatch.State.DONE)
        .update(owner=owner, heartbeat_at=timezone.now(), state=Dispatch.State.SENDING)
    ):
        return "done"
    issue = dispatch.issue
    slug = issue.partnership.slug
    mails = _Mails(issue)
    links = _Links(slug)
    connection: Any = None
    deadline = time.monotonic() + (run_seconds() if seconds is None else seconds)
    last_beat = time.monotonic()
    sent: list[int] = []
    take = _Take(owner)

    def record_sent() -> None:
        # The server has these: recorded together, a few at a time. A run that dies before
        # recording leaves them "sending", which the watchdog marks unconfirmed, never resent.
        if sent:
            Delivery.objects.filter(pk__in=sent).update(state=D.SENT, sent_at=timezone.now())
            sent.clear()

    def settle(row: Delivery, state: str, error: str) -> None:
        Delivery.objects.filter(pk=row.pk, owner=owner).update(
            state=state, error=error[:300], **({"owner": ""} if state == D.PENDING else {})
        )

    def wait_for_server(error: str) -> str:
        record_sent()
        _give_back(dispatch, owner)
        Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(
            state=Dispatch.State.WAITING,
            last_error=error[:300],
            owner="",
            # The watchdog leaves a waiting send alone until its retry is due.
            heartbeat_at=timezone.now() + datetime.timedelta(seconds=retry_seconds()),
        )
        return "waiting"

    try:
        while time.monotonic() < deadline:
            if not Dispatch.objects.filter(pk=dispatch.pk, owner=owner).exists():
                raise _TakenOver
            rows = _claim(dispatch, owner)
            if not rows:
                break
            for row in rows:
                if time.monotonic() >= deadline:
                    break
                try:
                    rendered, ready = mails.get(row.language)
                    to = recipient(row.email)
                    unsubscribe, subscription = links.of(row)
                    raw = b""
                    message: Any = None
                    if ready is not None and _smtp_backend():
                        raw = ready.raw(
                            to=to, unsubscribe_url=unsubscribe, subscription_url=subscription
                        )
                    else:
                        message = rendering.personalise(
                            rendered,
                            to=to,
                            unsubscribe_url=unsubscribe,
                            subscription_url=subscription,
                        )
                except Exception as error:  # one bad row must not stop the send
                    Delivery.objects.filter(pk=row.pk, owner=owner, state=D.CLAIMED).update(
                        state=D.FAILED, error=f"{type(error).__name__}: {error}"[:300]
                    )
                    continue
                if connection is None:
                    try:
                        connection = get_connection()
                        connection.open()
                    except (smtplib.SMTPException, OSError) as error:
                        connection = None  # the row is still claimed: given back
                        return wait_for_server(f"{type(error).__name__}: {error}")
                # Straight to the server's socket when the mail is ready as bytes.
                smtp = getattr(connection, "connection", None)
                if ready is None or not raw or not isinstance(smtp, smtplib.SMTP):
                    smtp = None
                # The row is this run's only if still claimed by it; from here on it is never
                # handed to the server again. The envelope, which hands nothing over, is
                # opened while the mark is being committed.
                take.send(row.pk)
                envelope = None
                try:
                    if smtp is not None and ready is not None:
                        envelope = _envelope(smtp, ready.envelope_from, to)
                finally:
                    taken = take.wait()
                if not taken:
                    if smtp is not None and envelope is None:
                        try:
                            smtp.rset()
                        except (smtplib.SMTPException, OSError):
                            with contextlib.suppress(Exception):
                                connection.close()
                            connection = None
                    # Still this run's, so the subscriber left (or was erased) since the send
                    # began: they do not get it.
                    Delivery.objects.filter(pk=row.pk, owner=owner, state=D.CLAIMED).update(
                        state=D.WITHDRAWN
                    )
                    continue
                if smtp is not None:
                    outcome, detail = envelope or _content(smtp, raw)
                else:
                    if message is None:
                        message = rendering.personalise(
                            rendered,
                            to=to,
                            unsubscribe_url=unsubscribe,
                            subscription_url=subscription,
                        )
                    outcome, detail = _deliver_message(connection, message)
                if outcome == SENT:
                    sent.append(row.pk)
                elif outcome == BOUNCED:
                    settle(row, D.BOUNCED, detail)
                    subscriber_bounce(
                        partnership=issue.partnership,
                        email=row.email,
                        permanent=True,
                        note=f"{issue.code} {detail[:3]}",
                    )
                elif outcome == RETRY:
                    # Refused for now (greylisting, a full mailbox): later, a few times.
                    attempts = Delivery.objects.get(pk=row.pk).attempts
                    settle(row, D.FAILED if attempts >= MAX_ATTEMPTS else D.PENDING, detail)
                elif outcome == FAILED:
                    settle(row, D.FAILED, detail)
                elif outcome == UNCONFIRMED:
                    settle(row, D.UNCONFIRMED, detail)
                    with contextlib.suppress(Exception):
                        connection.close()
                    connection = None
                    return wait_for_server(detail)
                else:  # OUTAGE: the mail was not taken
                    settle(row, D.PENDING, "")
                    with contextlib.suppress(Exception):
                        connection.close()
                    connection = None
                    return wait_for_server(detail)
                if len(sent) >= HEARTBEAT_EVERY or time.monotonic() - last_beat > BEAT_SECONDS:
                    record_sent()
                    last_beat = time.monotonic()
                    if not Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(
                        heartbeat_at=timezone.now()
                    ):
                        raise _TakenOver
            record_sent()
            _give_back(dispatch, owner)
    except _TakenOver:
        taken_over = True
    else:
        taken_over = False
    finally:
        record_sent()
        _give_back(dispatch, owner)
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    # Whichever run records the last rows finishes the send.
    if _finish_if_done(dispatch):
        return "done"
    pending = dispatch.deliveries.filter(state=D.PENDING).exists()
    if taken_over:
        # The run that took over may have stalled on this run's rows (it leaves the send
        # without an owner): the rows given back just now are sent on without waiting.
        stalled = Dispatch.objects.filter(
            pk=dispatch.pk, owner="", state=Dispatch.State.SENDING
        ).exists()
        return "more" if pending and stalled else "stopped"
    if pending:
        Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(heartbeat_at=timezone.now())
        return "more"
    # Only other runs' rows are left, claimed or being handed over. Coming back for them would
    # show progress that is not there, and the watchdog would never find a dead run's send
    # quiet: the send is left without an owner and its heartbeat as it was.
    Dispatch.objects.filter(pk=dispatch.pk, owner=owner).update(owner="")
    return "stalled"


def recover(dispatch_id: int) -> bool:
    """Take over a send whose run has gone quiet (its worker died). Return whether it did."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
        if dispatch.state == Dispatch.State.DONE:
            return False
        quiet = timezone.now() - datetime.timedelta(seconds=stall_seconds())
        if (dispatch.heartbeat_at or dispatch.created_at) > quiet:
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
