"""The sender never loses or doubles a mail: an SMTP outage, a run that dies, two runs at once,
and a worker killed with SIGKILL mid-send and started again — each checked against what a real
SMTP server received."""

from __future__ import annotations

import collections
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soin.core.smtp import Inbox, SMTPServer
from soin.core.testing import build_world
from soin.newsletter import sender, services
from soin.newsletter.models import Delivery, Dispatch, Subscriber

D = Delivery.State


def add_subscribers(partnership, count: int) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    Subscriber.objects.bulk_create(
        Subscriber(
            partnership=partnership,
            email=f"p{i:05d}@example.org",
            language="sv" if i % 5 else "en",
            state=Subscriber.State.ACTIVE,
            consent_text="Samtycke",
            consent_at=now,
            confirmed_at=now,
            nonce=f"{i:032d}",
        )
        for i in range(count)
    )


def new_issue(world):  # type: ignore[no-untyped-def]
    issue = services.issue_create(
        partnership=world.partnership,
        actor=None,
        year=2019,
        title_sv="Nyhetsbrev 2019:1",
        title_en="Newsletter 2019:1",
        intro_sv="Hej!",
        intro_en="Hello!",
    )
    services.section_add(issue=issue, actor=None, heading_sv="Nytt", heading_en="News")
    return services.issue_send(issue=issue, actor=None)


def is_the_issue(message) -> bool:  # type: ignore[no-untyped-def]
    """The test's issue (2019:1), not the mails the world's own setting up sent."""
    return "2019:1" in " ".join(str(message["Subject"]).split())


def received(server: SMTPServer) -> collections.Counter[str]:
    return collections.Counter(m["X-Envelope-To"] for m in server.inbox.messages if is_the_issue(m))


@pytest.fixture
def mail_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server whose answers a test can change: while ``down`` is set it answers
    421 (service not available) to every mail, as a server going away does."""
    state = {"down": False}

    class Flaky(Inbox):
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            if state["down"]:
                return "421 4.3.2 Service not available, closing channel"
            return await super().handle_DATA(server, session, envelope)

    server = SMTPServer(Flaky()).start()
    server.state = state  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        server.port,
        False,
    )
    yield server
    server.stop()


@pytest.mark.django_db
def test_an_smtp_outage_pauses_the_send_and_it_resumes_where_it_stopped(world, mail_server) -> None:  # type: ignore[no-untyped-def]
    add_subscribers(world.partnership, 30)
    dispatch = new_issue(world)
    seen = {"n": 0}
    original = mail_server.inbox.handle_DATA

    async def fail_after_ten(server, session, envelope):  # type: ignore[no-untyped-def]
        seen["n"] += 1
        if seen["n"] == 11:
            mail_server.state["down"] = True
        return await original(server, session, envelope)

    mail_server.inbox.handle_DATA = fail_after_ten
    assert sender.run(dispatch.pk) == "waiting"
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.WAITING and "421" in dispatch.last_error
    counts = collections.Counter(dispatch.deliveries.values_list("state", flat=True))
    assert counts == {D.SENT: 10, D.PENDING: 21}
    # The server is back: the send goes on from where it stopped.
    mail_server.state["down"] = False
    from soin.core.models import AggregateStamp

    stamp = AggregateStamp.objects.filter(source=f"statistics:{world.partnership.pk}")
    before = list(stamp.values_list("token", flat=True))
    assert sender.run(dispatch.pk) == "done"
    got = received(mail_server)
    assert len(got) == 31 and set(got.values()) == {1}
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.DONE and dispatch.issue.state == "sent"
    # The statistics count the issues sent: the send's end counts them again.
    assert list(stamp.values_list("token", flat=True)) != before


@pytest.mark.django_db
def test_no_server_at_all_leaves_everything_pending(world, settings) -> None:  # type: ignore[no-untyped-def]
    from soin.core.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    dispatch = new_issue(world)
    assert sender.run(dispatch.pk) == "waiting"
    assert set(dispatch.deliveries.values_list("state", flat=True)) == {D.PENDING}


@pytest.mark.django_db
def test_a_dead_runs_rows_are_taken_over_and_its_last_mail_is_not_sent_again(
    world, mail_server
) -> None:  # type: ignore[no-untyped-def]
    add_subscribers(world.partnership, 12)
    dispatch = new_issue(world)
    sender.prepare(dispatch)
    # A run that died: it had claimed five rows and was handing the first to the server.
    rows = list(dispatch.deliveries.order_by("pk")[:5])
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(state=D.CLAIMED, owner="dead")
    Delivery.objects.filter(pk=rows[0].pk).update(state=D.SENDING)
    Dispatch.objects.filter(pk=dispatch.pk).update(
        owner="dead", heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert sender.recover(dispatch.pk)
    assert not sender.recover(dispatch.pk)  # it shows progress now
    states = dict(dispatch.deliveries.values_list("pk", "state"))
    assert states[rows[0].pk] == D.UNCONFIRMED
    assert {states[r.pk] for r in rows[1:]} == {D.PENDING}
    assert sender.run(dispatch.pk) == "done"
    got = received(mail_server)
    assert rows[0].email not in got
    assert len(got) == 12 and set(got.values()) == {1}
    assert sender.progress(Dispatch.objects.get(pk=dispatch.pk))["sent"] == 13


def queued_runs() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith="run_dispatch", status="READY").count()


@pytest.mark.django_db
def test_a_run_that_finds_only_a_dead_runs_rows_left_lets_the_watchdog_take_them_over(
    world, mail_server
) -> None:  # type: ignore[no-untyped-def]
    """A run queued before the watchdog saw the send go quiet: it sends what is pending and
    then neither shows progress nor queues another, so that the watchdog can take the dead
    run's rows over (runs that kept coming back for them kept the send "alive" for ever)."""
    from django_tasks_db.models import DBTaskResult

    from soin.newsletter import tasks

    add_subscribers(world.partnership, 12)
    dispatch = new_issue(world)
    sender.prepare(dispatch)
    DBTaskResult.objects.all().delete()
    # A worker killed mid-send: its run had claimed five rows, handed two to the server and
    # shown progress a moment ago.
    rows = list(dispatch.deliveries.order_by("pk")[:5])
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(state=D.CLAIMED, owner="dead")
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(state=D.SENDING)
    Dispatch.objects.filter(pk=dispatch.pk).update(owner="dead", heartbeat_at=timezone.now())
    tasks.run_dispatch.call(dispatch_id=dispatch.pk)
    assert len(received(mail_server)) == 8  # the pending ones
    assert queued_runs() == 0  # nothing more it can send: no run is queued for the dead rows
    tasks.watch_dispatch.call(dispatch_id=dispatch.pk)
    assert queued_runs() == 0  # not quiet for long enough yet
    # The stall time passes without a sign of progress: the watchdog takes the send over.
    quiet = timezone.now() - datetime.timedelta(seconds=sender.stall_seconds() + 1)
    Dispatch.objects.filter(pk=dispatch.pk).update(heartbeat_at=quiet)
    tasks.watch_dispatch.call(dispatch_id=dispatch.pk)
    assert queued_runs() == 1
    states = dict(dispatch.deliveries.values_list("pk", "state"))
    assert {states[r.pk] for r in rows[:2]} == {D.UNCONFIRMED}
    assert {states[r.pk] for r in rows[2:]} == {D.PENDING}
    tasks.run_dispatch.call(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.DONE
    got = received(mail_server)
    # Each subscriber once, but for the two mails the dead run may have handed over.
    everyone = set(dispatch.deliveries.values_list("email", flat=True))
    assert set(got) == everyone - {r.email for r in rows[:2]}
    assert set(got.values()) == {1}
    assert sender.progress(dispatch)["sent"] == 13


@pytest.mark.django_db
def test_a_run_taken_over_while_alive_sends_on_what_the_new_run_stalled_on(
    world, mail_server, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A second run takes the send over while the first is handing over its first mail: it
    sends the rest and stalls on the first run's rows; the first run, finding itself taken
    over, gives its rows back and asks for another run at once (no waiting for the
    watchdog)."""
    add_subscribers(world.partnership, 12)
    dispatch = new_issue(world)
    monkeypatch.setattr(sender, "BATCH", 5)
    monkeypatch.setattr(sender, "HEARTBEAT_EVERY", 1)
    content = sender._content
    second: list[str] = []

    def taken_over_meanwhile(smtp, raw):  # type: ignore[no-untyped-def]
        answer = content(smtp, raw)
        if not second:
            second.append("")
            second[0] = sender.run(dispatch.pk)
        return answer

    monkeypatch.setattr(sender, "_content", taken_over_meanwhile)
    assert sender.run(dispatch.pk) == "more"
    assert second == ["stalled"]
    assert len(received(mail_server)) == 9  # the first run's first mail, the second's eight
    assert sender.run(dispatch.pk) == "done"
    got = received(mail_server)
    assert len(got) == 13 and set(got.values()) == {1}


@pytest.mark.django_db
def test_a_row_taken_over_is_not_sent_by_the_run_that_lost_it(world, mail_server) -> None:  # type: ignore[no-untyped-def]
    dispatch = new_issue(world)
    sender.prepare(dispatch)
    claimed = sender._claim(dispatch, "slow")
    assert [r.email for r in claimed] == ["prenumerant@example.org"]
    # The watchdog took the send over from the slow run and another run sent the row.
    Dispatch.objects.filter(pk=dispatch.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sender.recover(dispatch.pk)
    assert sender.run(dispatch.pk) == "done"
    # The slow run wakes up: its guard finds the row no longer its own.
    taken = Delivery.objects.filter(pk=claimed[0].pk, owner="slow", state=D.CLAIMED).update(
        state=D.SENDING
    )
    assert taken == 0
    assert received(mail_server) == {"prenumerant@example.org": 1}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_mail_once(reference_data, mail_server) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("two runs in two threads need a database both connections can share")
    world = build_world()
    add_subscribers(world.partnership, 400)
    dispatch = new_issue(world)
    sender.prepare(dispatch)
    outcomes: list[str] = []

    def run() -> None:
        try:
            outcomes.append(sender.run(dispatch.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    while sender.run(dispatch.pk) != "done":  # whichever finished first may have left rows
        pass
    got = received(mail_server)
    assert len(got) == 401 and set(got.values()) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_mail_is_handed_over_only_once_its_mark_is_committed(reference_data, settings) -> None:  # type: ignore[no-untyped-def]
    """The mark "sending" is committed while the server answers the envelope: a mark made
    slow (a trigger sleeping a second) holds the message back until it is committed."""
    import psycopg

    if connection.vendor != "postgresql":
        pytest.skip("the mark is sent ahead only on PostgreSQL")
    world = build_world()
    add_subscribers(world.partnership, 6)
    slow = "p00003@example.org"
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION soin_test_slow_mark() RETURNS trigger AS $$ "
            "BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER soin_test_slow_mark BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN (NEW.state = 'sending' AND NEW.email = '{slow}') "
            "EXECUTE FUNCTION soin_test_slow_mark()"
        )
    db = connection.settings_dict
    seen: dict[str, object] = {}

    def committed_state(address: str) -> str:
        with psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname=db["NAME"],
        ) as other:
            row = other.execute(f"SELECT state FROM {table} WHERE email = %s", [address]).fetchone()
        return str(row[0]) if row else ""

    class Watching(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
            if address == slow:
                seen["envelope"] = time.monotonic()
            return await super().handle_RCPT(server, session, envelope, address, options)

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            if envelope.rcpt_tos == [slow]:  # only the issue is sent to a subscriber
                seen["message"] = time.monotonic()
                seen["state"] = committed_state(slow)
            return await super().handle_DATA(server, session, envelope)

    server = SMTPServer(Watching()).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        server.port,
        False,
    )
    try:
        dispatch = new_issue(world)
        assert sender.run(dispatch.pk) == "done"
    finally:
        server.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS soin_test_slow_mark ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS soin_test_slow_mark()")
    # The envelope was opened while the mark was on its way; the message waited for it.
    assert seen["state"] == D.SENDING
    assert float(seen["message"]) - float(seen["envelope"]) >= 0.9  # type: ignore[arg-type]
    got = received(server)
    assert len(got) == 7 and set(got.values()) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_and_started_again_sends_each_mail_exactly_once(
    reference_data, tmp_path: Path, settings
) -> None:
    """The real worker (``manage.py db_worker``) in its own process, killed with SIGKILL while
    the SMTP server is taking a mail, then started again: the watchdog takes the send over and
    every subscriber has the issue exactly once, by the server's own log."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database, and SQLite's is in memory")
    # The watchdog is queued by this process as the send starts: it looks in after 3 s.
    settings.SOIN_NEWSLETTER_STALL_SECONDS = 3
    world = build_world()
    add_subscribers(world.partnership, 150)
    workers: list[subprocess.Popen[bytes]] = []
    killed = threading.Event()

    def kill_at_the_sixtieth(message) -> None:  # type: ignore[no-untyped-def]
        if not is_the_issue(message):
            return
        if sum(map(is_the_issue, inbox.messages)) == 60 and workers and not killed.is_set():
            os.kill(workers[-1].pid, signal.SIGKILL)
            killed.set()

    inbox = Inbox(on_message=kill_at_the_sixtieth)
    server = SMTPServer(inbox).start()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "SOIN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SOIN_EMAIL_HOST": "127.0.0.1",
        "SOIN_EMAIL_PORT": str(server.port),
        "SOIN_SECRET_KEY": django_settings.SECRET_KEY,
        "SOIN_NEWSLETTER_STALL_SECONDS": "3",
        "SOIN_NEWSLETTER_RUN_SECONDS": "20",
    }

    def start_worker() -> None:
        workers.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=(tmp_path / f"worker{len(workers)}.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
        )

    try:
        dispatch = new_issue(world)
        start_worker()
        assert killed.wait(timeout=60), "the worker never reached the sixtieth mail"
        workers[-1].wait(timeout=10)
        assert workers[-1].returncode == -signal.SIGKILL
        stuck = collections.Counter(
            Delivery.objects.filter(dispatch=dispatch).values_list("state", flat=True)
        )
        # Killed while handing over the sixtieth mail: it and the few sent since the last
        # record are "sending"; the rest are still to go.
        assert 1 <= stuck[D.SENDING] <= sender.HEARTBEAT_EVERY
        assert stuck[D.SENT] + stuck[D.SENDING] == 60
        assert stuck[D.PENDING] + stuck[D.CLAIMED] > 0
        start_worker()
        # A bound for a loaded machine (the whole suite beside it), not a speed goal.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.DONE:
                break
            time.sleep(0.5)
        assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.DONE
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=10)
        server.stop()
    got = received(server)
    expected = {"prenumerant@example.org"} | {f"p{i:05d}@example.org" for i in range(150)}
    assert set(got) == expected, sorted(expected - set(got))[:5]
    assert set(got.values()) == {1}
    states = collections.Counter(
        Delivery.objects.filter(dispatch=dispatch).values_list("state", flat=True)
    )
    # The mails the worker had handed over but not yet recorded when it died (the last one
    # reached the server as it was killed) are marked unconfirmed and never sent again.
    assert states[D.SENT] + states[D.UNCONFIRMED] == 151
    assert 1 <= states[D.UNCONFIRMED] <= sender.HEARTBEAT_EVERY


@pytest.fixture
def scripted_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server whose answer per recipient a test sets: "ok", "silent" (takes the
    mail, then says nothing until the client gives up), "reject" (554 to the data), "later"
    (451 to the recipient)."""
    import asyncio

    script: dict[str, str] = {}

    class Scripted(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
            if script.get(address) == "later":
                return "451 4.7.1 Try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            answer = script.get(envelope.rcpt_tos[0], "ok")
            if answer == "reject":
                return "554 5.6.0 Message content rejected"
            reply = await super().handle_DATA(server, session, envelope)
            if answer == "silent":
                script[envelope.rcpt_tos[0]] = "ok"
                await asyncio.sleep(3)
            return reply

    server = SMTPServer(Scripted()).start()
    server.script = script  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        server.port,
        False,
    )
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.stop()


@pytest.mark.django_db
def test_silence_after_a_mail_is_never_answered_by_sending_it_again(world, scripted_server) -> None:  # type: ignore[no-untyped-def]
    add_subscribers(world.partnership, 5)
    scripted_server.script["p00002@example.org"] = "silent"
    dispatch = new_issue(world)
    assert sender.run(dispatch.pk) == "waiting"
    row = Delivery.objects.get(dispatch=dispatch, email="p00002@example.org")
    assert row.state == D.UNCONFIRMED and "timed out" in row.error.lower()
    while sender.run(dispatch.pk) != "done":
        pass
    got = received(scripted_server)
    assert len(got) == 6 and set(got.values()) == {1}


@pytest.mark.django_db
def test_a_mail_the_server_refuses_for_good_does_not_stop_the_send(world, scripted_server) -> None:  # type: ignore[no-untyped-def]
    add_subscribers(world.partnership, 4)
    scripted_server.script["p00001@example.org"] = "reject"
    scripted_server.script["p00003@example.org"] = "later"
    dispatch = new_issue(world)
    outcomes = [sender.run(dispatch.pk) for _ in range(sender.MAX_ATTEMPTS + 1)]
    assert outcomes[-1] == "done"
    states = dict(Delivery.objects.filter(dispatch=dispatch).values_list("email", "state"))
    assert states["p00001@example.org"] == D.FAILED  # 554 to the message
    assert states["p00003@example.org"] == D.FAILED  # 451 five times
    row = Delivery.objects.get(dispatch=dispatch, email="p00003@example.org")
    assert row.attempts == sender.MAX_ATTEMPTS and row.error.startswith("451")
    # A refusal for now is not a bounce.
    assert Subscriber.objects.get(email="p00003@example.org").state == Subscriber.State.ACTIVE
    assert len(received(scripted_server)) == 3


@pytest.mark.django_db
def test_who_leaves_during_a_send_does_not_get_it(world, scripted_server) -> None:  # type: ignore[no-untyped-def]
    add_subscribers(world.partnership, 3)
    dispatch = new_issue(world)
    sender.prepare(dispatch)
    leaving = Subscriber.objects.get(email="p00001@example.org")
    services.subscriber_unsubscribe(subscriber=leaving)
    services.subscriber_erase(subscriber=Subscriber.objects.get(email="p00002@example.org"))
    assert sender.run(dispatch.pk) == "done"
    assert set(received(scripted_server)) == {"prenumerant@example.org", "p00000@example.org"}
    assert collections.Counter(dispatch.deliveries.values_list("state", flat=True)) == {
        D.SENT: 2,
        D.WITHDRAWN: 2,
    }


@pytest.mark.django_db
def test_an_address_with_a_swedish_domain_is_sent_to(world, scripted_server) -> None:  # type: ignore[no-untyped-def]
    Subscriber.objects.create(
        partnership=world.partnership,
        email="åsa@exämple.se",
        state=Subscriber.State.ACTIVE,
        confirmed_at=timezone.now(),
        nonce="b" * 32,
    )
    dispatch = new_issue(world)
    assert sender.run(dispatch.pk) == "done"
    assert "åsa@xn--exmple-cua.se" in received(scripted_server) or any(
        "xn--exmple-cua.se" in address for address in received(scripted_server)
    )


@given(
    st.one_of(
        st.emails(),
        st.from_regex(r"[a-zA-Z0-9.+_'-]{1,20}@[a-z0-9.-]{1,20}\.[a-z]{2,6}", fullmatch=True),
        st.text(max_size=40),
    )
)
def test_an_address_the_sender_takes_as_it_is_is_what_django_would_make_of_it(email: str) -> None:
    from django.core.mail.message import sanitize_address

    if sender.PLAIN_ADDRESS.fullmatch(email):
        assert sender.recipient(email) == sanitize_address(email, "utf-8")


def test_each_mails_links_are_the_ones_its_tokens_draw(world) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse
    from django.utils import translation

    subscriber = Subscriber.objects.filter(partnership=world.partnership).first()
    assert subscriber is not None
    links = sender._Links(world.partnership.slug)
    for language in ("sv", "en", "sv"):
        delivery = Delivery(pk=41, email=subscriber.email, language=language, subscriber=subscriber)
        unsubscribe, subscription = links.of(delivery)
        assert unsubscribe == django_settings.SITE_URL + reverse(
            "newsletter_unsubscribe", kwargs={"token": services.unsubscribe_token(delivery)}
        )
        with translation.override(language):
            expected = django_settings.SITE_URL + reverse(
                "public:newsletter_subscription",
                kwargs={
                    "partnership": world.partnership.slug,
                    "token": services.subscriber_token(subscriber),
                },
            )
        assert subscription == expected and f"/{language}/" in subscription
