"""Faults injected for real: the database gone for a moment, the mail server down, the task
worker killed, the disk full. Each gives a clear message and loses nothing that was accepted.

The database faults are real on both engines: on PostgreSQL the test connection's backend is
terminated from a second connection (between requests, in the middle of a request's
transaction) and the database is closed to new connections; on SQLite another connection
holds an exclusive transaction. The mail server is the real one of the ``smtp_server``
fixture, stopped and started again; the worker is the real ``manage.py db_worker`` process,
killed with SIGKILL; the full disk is a storage whose writes fail with ENOSPC.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.db.models.signals import post_save
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from soin.accounts.models import Role
from soin.core.smtp import Inbox, SMTPServer
from soin.core.testing import PNG, build_world, login, make_user
from soin.ideas.models import Attachment, Idea
from soin.knowledge.models import EntryImage


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


class ServerClient(Client):
    """The test client with a real server's handling of connections: Django's handler closes
    a connection that failed or outlived its age as each request starts and ends (and so
    health-checks a kept one before it is used); the test client leaves that out. An error
    is answered as a server answers it, not raised into the test."""

    def __init__(self, **defaults: Any) -> None:
        super().__init__(raise_request_exception=False, **defaults)

    def request(self, **request: Any) -> Any:
        close_old_connections()
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def _field(page: str, name: str) -> str:
    found = re.search(f'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


def idea_form(client: Client, url: str, title: str) -> dict[str, str]:
    page = client.get(url).content.decode()
    return {
        "title": title,
        "description": "Ett café där vi lagar saker tillsammans.",
        "carrier_category": "private",
        "carrier_name": "Alva Exempel",
        "carrier_email": "alva@example.org",
        "consent": "on",
        "homepage": "",
        "started": _field(page, "started"),
        "consent_shown": _field(page, "consent_shown"),
    }


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def assert_unavailable(response: Any, language: str) -> None:
    """The 503 page in ``language``: what happened, that nothing was kept, when to retry."""
    page = response.content.decode()
    assert response.status_code == 503, page[:500]
    assert int(response["Retry-After"]) > 0
    assert f'<html lang="{language}">' in page
    assert in_language(language, "The service is briefly unavailable") in page
    assert (
        in_language(language, "Nothing you sent was saved. Please try again in a minute.") in page
    )


# -- The database -----------------------------------------------------------------------------


def admin_connection() -> Any:
    """A second connection, to the server's maintenance database, as the operator's."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def terminate(admin: Any, pid: int) -> None:
    """Terminate one backend and wait until the server has let it go."""
    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(100):
        if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            return
        time.sleep(0.05)
    raise AssertionError(f"backend {pid} did not end")


@contextlib.contextmanager
def database_gone() -> Iterator[None]:
    """Take the database away from this process until the block ends.

    PostgreSQL: the database refuses new connections and the open ones are terminated.
    SQLite: another connection holds an exclusive transaction, beyond the busy timeout
    (lowered here, so that the test does not wait the twenty seconds of the settings).
    """
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            try:
                pids = admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
                ).fetchall()
                for (pid,) in pids:
                    terminate(admin, pid)
                yield
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.django_db(transaction=True)
def test_the_idea_form_answers_503_in_the_visitors_language_and_keeps_nothing_while_the_database_is_gone(  # noqa: E501
    reference_data: None, settings: Any
) -> None:
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    build_world()
    swedish, english = ServerClient(), ServerClient()
    sv_data = idea_form(swedish, "/sv/orebro/idea/", "Idé under avbrottet")
    en_data = idea_form(english, "/en/orebro/idea/", "Idea during the outage")
    ideas = Idea.objects.count()
    with database_gone():
        assert_unavailable(swedish.post("/sv/orebro/idea/", sv_data), "sv")
        assert_unavailable(english.post("/en/orebro/idea/", en_data), "en")
        assert_unavailable(english.get("/en/orebro/idea/"), "en")
    assert Idea.objects.count() == ideas
    # Back again: the same form sent once more is taken, and kept once.
    response = swedish.post("/sv/orebro/idea/", sv_data)
    assert response.status_code == 302 and response["Location"].endswith("/idea/thanks/")
    assert Idea.objects.filter(title="Idé under avbrottet").count() == 1
    assert english.post("/en/orebro/idea/", en_data).status_code == 302
    assert Idea.objects.filter(title="Idea during the outage").count() == 1
    assert Idea.objects.count() == ideas + 2


@pytest.mark.django_db(transaction=True)
def test_a_staff_page_answers_503_while_the_database_is_gone_and_works_when_it_is_back(
    reference_data: None,
) -> None:
    world = build_world()
    swedish, english = ServerClient(), ServerClient()
    coordinator = world.users["coordinator"]
    assert coordinator is not None
    login(swedish, coordinator)
    login(english, coordinator)
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert swedish.get("/staff/orebro/ideas/").status_code == 200
    with database_gone():
        assert_unavailable(swedish.get("/staff/orebro/ideas/"), "sv")
        assert_unavailable(english.get("/staff/orebro/ideas/"), "en")
        assert_unavailable(swedish.post(f"/staff/orebro/ideas/{world.idea.pk}/files/"), "sv")
    assert swedish.get("/staff/orebro/ideas/").status_code == 200
    assert english.get("/staff/orebro/ideas/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_that_the_database_dropped_between_requests_is_opened_again(
    reference_data: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to drop the connection: the file is opened in-process")
    build_world()
    # Connections kept between requests, as a deployment may; health-checked before reuse.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.close()
    client = ServerClient()
    assert client.get("/sv/orebro/idea/").status_code == 200
    pid = connection.connection.info.backend_pid
    with admin_connection() as admin:
        terminate(admin, pid)
    assert client.get("/sv/orebro/idea/").status_code == 200
    assert connection.connection.info.backend_pid != pid
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_in_the_middle_of_saving_an_idea_leaves_no_half_saved_idea(
    reference_data: None, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite: the request's own transaction holds the write lock, and no other "
            "connection can take the database away in the middle of it"
        )
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    build_world()
    client = ServerClient()
    data = idea_form(client, "/en/orebro/idea/", "Cut off half way")
    ideas, killed = Idea.objects.count(), list[int]()

    def cut_the_connection(sender: Any, instance: Idea, created: bool, **kwargs: Any) -> None:
        # The idea's row is written; its timeline, stems and audit are still to come.
        if created and instance.title == "Cut off half way" and not killed:
            killed.append(connection.connection.info.backend_pid)
            with admin_connection() as admin:
                terminate(admin, killed[0])

    post_save.connect(cut_the_connection, sender=Idea)
    try:
        assert_unavailable(client.post("/en/orebro/idea/", data), "en")
    finally:
        post_save.disconnect(cut_the_connection, sender=Idea)
    assert killed
    assert Idea.objects.count() == ideas
    assert not Idea.objects.filter(title="Cut off half way").exists()
    assert (
        not DBTaskResult.objects.filter(task_path__endswith="send_receipt")
        .exclude(args_kwargs__kwargs__idea_id__in=list(Idea.objects.values_list("pk", flat=True)))
        .exists()
    )
    # The next request works, and the idea sent again is kept once.
    data = idea_form(client, "/en/orebro/idea/", "Cut off half way")
    assert client.post("/en/orebro/idea/", data).status_code == 302
    assert Idea.objects.filter(title="Cut off half way").count() == 1


# -- The mail server ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_idea_sent_while_the_mail_server_is_down_is_kept_and_its_receipt_arrives_once_later(
    reference_data: None, smtp_server: SMTPServer, settings: Any
) -> None:
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    build_world()
    run_worker()  # the world's own mails
    smtp_server.inbox.messages.clear()
    smtp_server.stop()
    client = ServerClient()
    data = idea_form(client, "/en/orebro/idea/", "Repair café by the river")
    assert client.post("/en/orebro/idea/", data).status_code == 302
    idea = Idea.objects.get(title="Repair café by the river")

    run_worker()  # the mail server refuses the connection
    first = DBTaskResult.objects.get(
        task_path="soin.ideas.tasks.send_receipt",
        args_kwargs__kwargs__idea_id=idea.pk,
        status="FAILED",
    )
    assert first.exception_class_path == "builtins.ConnectionRefusedError"
    retry = DBTaskResult.objects.get(
        task_path="soin.ideas.tasks.send_receipt",
        args_kwargs__kwargs__idea_id=idea.pk,
        status="READY",
    )
    assert retry.args_kwargs["kwargs"]["attempt"] == 1
    assert retry.args_kwargs["kwargs"]["delivery"] == str(first.pk)
    assert retry.run_after > timezone.now()
    run_worker()  # not yet due: nothing is sent, nothing is lost
    assert smtp_server.inbox.messages == []
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"

    smtp_server.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # its time comes
    run_worker()
    run_worker()
    receipts = [m for m in smtp_server.inbox.messages if m["X-Envelope-To"] == "alva@example.org"]
    assert [str(m["Subject"]).strip() for m in receipts] == [
        "We have received your idea: Repair café by the river"
    ]
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
    assert Idea.objects.filter(title="Repair café by the river").count() == 1


class LaterForTheSecond(Inbox):
    """A mail server that takes the first mail and answers the next recipient once with
    451 (try again later), as a server under load or greylisting does."""

    refused = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.messages and not self.refused:
            self.refused = True
            return "451 4.3.0 Try again later"
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.mark.django_db(transaction=True)
def test_a_mail_to_many_that_fails_half_way_is_sent_later_to_the_rest_only(
    reference_data: None, settings: Any
) -> None:
    world = build_world()
    make_user("kontakt2@example.org", Role.Kind.PARTNER_CONTACT, world.partnership, world.own_org)
    DBTaskResult.objects.all().delete()
    server = SMTPServer(LaterForTheSecond()).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        from soin.ideas.tasks import notify_receiving_partner

        notify_receiving_partner.enqueue(idea_id=world.referred_idea.pk)
        run_worker()
        assert len(server.inbox.messages) == 1
        failed = DBTaskResult.objects.get(status="FAILED")
        assert failed.exception_class_path == "smtplib.SMTPRecipientsRefused"
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
    finally:
        server.stop()
    got = sorted(m["X-Envelope-To"] for m in server.inbox.messages)
    assert got == ["contact@example.org", "kontakt2@example.org"]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_every_task_that_sends_mail_tries_again_later() -> None:
    """Each mail task is wrapped by ``mail_task`` (the retry and the record of what was
    handed over); the newsletter's sender has its own, per recipient."""
    import importlib
    import inspect

    from django.apps import apps
    from django_tasks.base import Task

    own_retry = {"soin.newsletter.tasks.run_dispatch", "soin.newsletter.tasks.watch_dispatch"}
    checked, missing = [], []
    for app in apps.get_app_configs():
        if not app.name.startswith("soin.") or not (Path(app.path) / "tasks.py").exists():
            continue
        module = importlib.import_module(f"{app.name}.tasks")
        for name, task in vars(module).items():
            if not isinstance(task, Task) or task.func.__module__ != module.__name__:
                continue
            source = inspect.getsource(inspect.unwrap(task.func))
            path = f"{module.__name__}.{name}"
            if path in own_retry or not re.search(r"\b(send|send_mail|_send)\(", source):
                continue
            checked.append(path)
            if not getattr(task.func, "mail_task", False):
                missing.append(path)
    assert len(checked) >= 12, checked
    assert not missing, f"Wrap these in soin.core.mail.mail_task: {missing}"


# -- The worker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_is_queued_again_and_its_mails_go_once(
    reference_data: None, tmp_path: Path
) -> None:
    """The real worker process is killed (SIGKILL) while its task hands the first of two
    mails to the server; the task is left RUNNING. ``manage.py recover_tasks`` (run by
    scripts/run.sh before the worker starts) queues it again; the worker started again
    completes it: the second mail goes, the first is not sent twice."""
    world = build_world()
    make_user("kontakt2@example.org", Role.Kind.PARTNER_CONTACT, world.partnership, world.own_org)
    DBTaskResult.objects.all().delete()
    from soin.ideas.tasks import notify_receiving_partner

    result = notify_receiving_partner.enqueue(idea_id=world.referred_idea.pk)
    workers: list[subprocess.Popen[bytes]] = []
    killed = threading.Event()

    def kill_at_the_first(message: Any) -> None:
        if workers and not killed.is_set():
            os.kill(workers[-1].pid, signal.SIGKILL)
            killed.set()

    server = SMTPServer(Inbox(on_message=kill_at_the_first)).start()
    env, rows = worker_database(tmp_path)
    env.update(
        {
            "SOIN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "SOIN_EMAIL_HOST": "127.0.0.1",
            "SOIN_EMAIL_PORT": str(server.port),
            "SOIN_SECRET_KEY": django_settings.SECRET_KEY,
            "SOIN_VAR_DIR": str(tmp_path / "var"),
        }
    )

    def manage(*args: str, log: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=(tmp_path / log).open("wb"),
            stderr=subprocess.STDOUT,
        )

    try:
        workers.append(manage("db_worker", "--no-reload", "--interval", "0.2", log="w1.log"))
        assert killed.wait(timeout=90), (tmp_path / "w1.log").read_text()[-2000:]
        workers[-1].wait(timeout=10)
        assert workers[-1].returncode == -signal.SIGKILL
        assert rows(result.id) == "RUNNING"
        assert len(server.inbox.messages) == 1
        server.inbox.on_message = None
        recover = manage("recover_tasks", "--stale-seconds", "0", log="recover.log")
        assert recover.wait(timeout=120) == 0, (tmp_path / "recover.log").read_text()
        assert "1 task(s) queued again" in (tmp_path / "recover.log").read_text()
        assert rows(result.id) == "READY"
        again = manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", log="w2.log")
        workers.append(again)
        assert again.wait(timeout=120) == 0, (tmp_path / "w2.log").read_text()[-2000:]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        server.stop()
    assert rows(result.id) == "SUCCESSFUL"
    got = sorted(m["X-Envelope-To"] for m in server.inbox.messages)
    assert got == ["contact@example.org", "kontakt2@example.org"]


def worker_database(tmp_path: Path) -> tuple[dict[str, str], Any]:
    """Return the environment that points a worker process at this test's database, and a
    function giving a task's status as the worker left it. SQLite's test database lives in
    this process's memory: it is copied to a file with SQLite's backup API for the worker."""
    env = {**os.environ}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )

        def status(pk: Any) -> str:
            return str(DBTaskResult.objects.get(pk=pk).status)

        return env, status
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    env["DATABASE_URL"] = f"sqlite:///{path}"

    def status_in_file(pk: Any) -> str:
        table = DBTaskResult._meta.db_table
        key = DBTaskResult._meta.pk.get_db_prep_value(uuid.UUID(str(pk)), connection)
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
            row = db.execute(f"SELECT status FROM {table} WHERE id = ?", [key]).fetchone()
        return str(row[0])

    return env, status_in_file


# -- The disk -----------------------------------------------------------------------------------


class FullDisk(FileSystemStorage):
    """A storage on a disk that fills up: a few bytes are written, then ENOSPC."""

    def _save(self, name: str, content: Any) -> str:
        full = self.path(name)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(content.read(8))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), full)


@pytest.fixture
def full_disk(settings: Any, tmp_path: Path) -> Path:
    media = tmp_path / "full"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullDisk", "OPTIONS": {"location": media}},
    }
    return media


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


NOT_STORED = "The file could not be stored, so nothing was saved."


def test_an_attachment_on_a_full_disk_is_refused_clearly_and_leaves_neither_row_nor_file(
    world: Any, full_disk: Path
) -> None:
    advisor = Client()
    login(advisor, world.users["advisor"])
    advisor.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    attachments = Attachment.objects.count()
    response = advisor.post(
        f"/staff/orebro/ideas/{world.idea.pk}/files/",
        {"file": SimpleUploadedFile("skiss.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")},
        follow=True,
    )
    assert response.status_code == 200
    assert NOT_STORED in response.content.decode()
    assert Attachment.objects.count() == attachments
    assert files_in(full_disk) == []


def test_a_bank_image_on_a_full_disk_is_refused_clearly_keeping_what_was_typed(
    world: Any, full_disk: Path
) -> None:
    coordinator = Client()
    login(coordinator, world.users["coordinator"])
    coordinator.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    entry = world.draft_entry
    images = EntryImage.objects.count()
    response = coordinator.post(
        f"/staff/orebro/bank/{entry.pk}/images/",
        {
            "upload": SimpleUploadedFile("a.png", PNG),
            "alt_sv": "Deltagare lagar en cykel",
            "alt_en": "Participants mend a bicycle",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert NOT_STORED in page
    assert 'value="Deltagare lagar en cykel"' in page
    assert 'value="Participants mend a bicycle"' in page
    assert EntryImage.objects.count() == images
    assert files_in(full_disk) == []


def test_a_file_whose_row_cannot_be_saved_is_removed_again(
    world: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    """The other way round: the file is stored, then the database refuses the row; the
    file does not stay behind."""
    from django.db import OperationalError

    from soin.ideas import services

    media = tmp_path / "media-ok"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }

    def refused(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "audit_record", refused)
    attachments = Attachment.objects.count()
    with pytest.raises(OperationalError):
        services.attachment_add(
            idea=world.idea,
            actor=world.users["advisor"],
            upload=SimpleUploadedFile("skiss.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"),
        )
    assert Attachment.objects.count() == attachments
    assert files_in(media) == []


def test_only_tasks_running_longer_than_the_stale_limit_are_queued_again(db: None) -> None:
    """A task still within the limit may belong to a live worker: it is left alone."""
    import datetime

    from soin.ideas.tasks import send_receipt

    old = send_receipt.enqueue(idea_id=1)
    young = send_receipt.enqueue(idea_id=2)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="RUNNING", started_at=now - datetime.timedelta(hours=1), worker_ids=["dead"]
    )
    DBTaskResult.objects.filter(pk=young.id).update(
        status="RUNNING", started_at=now - datetime.timedelta(seconds=30), worker_ids=["alive"]
    )
    call_command("recover_tasks", "--stale-seconds", "900", verbosity=0)
    assert DBTaskResult.objects.get(pk=old.id).status == "READY"
    assert DBTaskResult.objects.get(pk=young.id).status == "RUNNING"
