"""A production deployment: the health check, the read replica's router, ``deploy_check`` and
the example environment file that lists every setting."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from soin.core import routers
from soin.core.tests.test_faults import ServerClient, database_gone
from soin.ideas.models import Idea

ROOT = Path(__file__).resolve().parents[3]


# -- The health check -------------------------------------------------------------------------


def queued(*, status: str = TaskResultStatus.READY, **times: Any) -> DBTaskResult:
    """A task row as django-tasks-db writes it, with ``enqueued_at``/``run_after`` as given."""
    task = DBTaskResult.objects.create(
        task_path="soin.core.tests.test_deploy.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        status=status,
        run_after=times.pop("run_after", get_date_max()),
    )
    if times:
        DBTaskResult.objects.filter(pk=task.pk).update(**times)
    return task


@pytest.mark.django_db
def test_the_health_check_answers_ok_with_the_queue_lag_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    now = timezone.now()
    # Waiting since two minutes ago; due ten seconds ago; due tomorrow (not late); running.
    queued(enqueued_at=now - datetime.timedelta(minutes=2))
    queued(
        run_after=now - datetime.timedelta(seconds=10),
        enqueued_at=now - datetime.timedelta(hours=1),
    )
    queued(run_after=now + datetime.timedelta(days=1))
    queued(status=TaskResultStatus.RUNNING)
    client = Client()
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    body = response.json()
    assert set(body) == {"status", "database", "tasks"}
    assert body["status"] == body["database"] == "ok"
    assert set(body["tasks"]) == {"ready", "running", "oldest_ready_seconds"}
    assert body["tasks"]["ready"] == 2
    assert body["tasks"]["running"] == 1
    assert 120 <= body["tasks"]["oldest_ready_seconds"] < 180


@pytest.mark.django_db
def test_the_health_check_of_an_empty_queue_has_no_lag() -> None:
    body = Client().get("/healthz").json()
    assert body["tasks"] == {"ready": 0, "running": 0, "oldest_ready_seconds": None}


@pytest.mark.django_db
def test_the_health_check_is_not_redirected_to_https_and_takes_no_post(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200
    # Every other address still goes to HTTPS.
    assert client.get("/sv/").status_code == 301
    settings.SECURE_SSL_REDIRECT = False
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_health_check_answers_503_while_the_database_is_gone_and_ok_when_it_is_back() -> None:
    client = ServerClient()
    assert client.get("/healthz").status_code == 200
    with database_gone():
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "unavailable"}
        assert int(response["Retry-After"]) > 0
        assert response["Cache-Control"] == "no-store"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


# -- The read replica -------------------------------------------------------------------------


def test_without_a_replica_reports_read_the_default_database(settings: Any) -> None:
    settings.REPORTING_DATABASE = "default"
    router = routers.ReplicaRouter()
    assert routers.reporting_database() == "default"
    with routers.reporting_reads() as alias:
        assert alias == "default"
        # Django's own choice stays: the default database.
        assert router.db_for_read(Idea) is None


def test_with_a_replica_only_reporting_reads_go_there_and_no_write_ever_does(
    settings: Any,
) -> None:
    settings.REPORTING_DATABASE = "replica"
    router = routers.ReplicaRouter()
    assert routers.reporting_database() == "replica"
    assert router.db_for_read(Idea) is None
    with routers.reporting_reads() as alias:
        assert alias == "replica"
        assert router.db_for_read(Idea) == "replica"
        assert router.db_for_write(Idea) == "default"
    assert router.db_for_read(Idea) is None
    # A row read from the replica is saved to the default database.
    idea = Idea()
    idea._state.db = "replica"
    assert router.db_for_write(Idea, instance=idea) == "default"
    other = Idea()
    other._state.db = "default"
    assert router.allow_relation(idea, other) is True
    assert router.allow_migrate("replica", "ideas") is False
    assert router.allow_migrate("default", "ideas") is None


def settings_in_subprocess(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_the_replica_setting_adds_a_mirrored_replica_and_pooling_applies_to_both() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.REPORTING_DATABASE, "
        "s.DATABASES.get('replica', {}).get('HOST'), "
        "s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), "
        "[d.get('DISABLE_SERVER_SIDE_CURSORS', False) for d in s.DATABASES.values()]]))"
    )
    done = settings_in_subprocess(
        code,
        DATABASE_URL="postgres://soin@db1.example.org:5432/soin",
        SOIN_REPLICA_DATABASE_URL="postgres://soin_read@db2.example.org:5432/soin",
        SOIN_DB_TRANSACTION_POOLING="yes",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        ["default", "replica"],
        "replica",
        "db2.example.org",
        "default",
        [True, True],
    ]
    done = settings_in_subprocess(
        code, SOIN_REPLICA_DATABASE_URL="", SOIN_DB_TRANSACTION_POOLING=""
    )
    assert json.loads(done.stdout) == [["default"], "default", None, None, [False]]


# -- deploy_check -----------------------------------------------------------------------------


def run_deploy_check() -> tuple[bool, list[str]]:
    """Run ``manage.py deploy_check``; return whether it passed and its problem lines."""
    err = io.StringIO()
    try:
        call_command("deploy_check", stdout=io.StringIO(), stderr=err)
    except CommandError:
        passed = False
    else:
        passed = True
    return passed, [line for line in err.getvalue().splitlines() if line]


SQLITE_REFUSED = "DATABASE_URL names a SQLite database, not PostgreSQL"


@pytest.mark.django_db
def test_deploy_check_names_every_problem_of_a_development_configuration_in_one_line_each(
    settings: Any, tmp_path: Path
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    settings.SOIN_ENV = "development"
    settings.SECRET_KEY = "not-secret"
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_HOST = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STATIC_ROOT = static
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": static / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SOIN_ERASURE_JOURNAL = tmp_path / "missing" / "erasures.jsonl"
    passed, lines = run_deploy_check()
    assert not passed
    expected = [
        "SOIN_ENV is not 'production'",
        "SOIN_SECRET_KEY is too short",
        "SOIN_ALLOWED_HOSTS allows every host",
        "SOIN_SITE_URL is 'http://127.0.0.1:8000': the public address must start with https://",
        "SOIN_EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend",
        "SOIN_EMAIL_HOST is empty",
        "SOIN_TASKS_BACKEND is django_tasks.backends.immediate.ImmediateBackend",
        "The uploaded files' folder",
        "and STATIC_ROOT",
        "The erasure journal's folder",
        "The static files' storage is StaticFilesStorage",
    ]
    if connection.vendor == "sqlite":
        expected.append(SQLITE_REFUSED)
    for text in expected:
        assert [line for line in lines if text in line], f"no line says {text!r}: {lines}"
    assert len(lines) == len(expected)
    assert all(line.startswith("deploy_check: ") for line in lines)


def good_production_settings(settings: Any, tmp_path: Path) -> Path:
    """Settings as a production installation has them; return STATIC_ROOT."""
    static, media = tmp_path / "static", tmp_path / "var" / "media"
    static.mkdir()
    media.mkdir(parents=True)
    settings.SOIN_ENV = "production"
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.ALLOWED_HOSTS = ["soin.example.org"]
    settings.SITE_URL = "https://soin.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.example.org"
    settings.STATIC_ROOT = static
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.SOIN_ERASURE_JOURNAL = tmp_path / "var" / "erasures.jsonl"
    return static


@pytest.mark.django_db
def test_deploy_check_passes_a_production_configuration_once_static_files_are_collected(
    settings: Any, tmp_path: Path
) -> None:
    static = good_production_settings(settings, tmp_path)
    # On SQLite (the tests' default) the database's line is the one that must remain.
    database = [SQLITE_REFUSED] if connection.vendor == "sqlite" else []
    passed, lines = run_deploy_check()
    assert [line for line in lines if "static files are not collected" in line]
    (static / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"core/site.css": "core/site.0123.css"}})
    )
    passed, lines = run_deploy_check()
    assert len(lines) == len(database)
    assert all(any(text in line for line in lines) for text in database)
    assert passed == (not database)


def reachable_postgresql() -> str | None:
    """A PostgreSQL database URL that answers: the tests' own, or the local `test`."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        user = db["USER"] or "postgres"
        return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
    except Exception:
        return None
    return "postgres://postgres@127.0.0.1:5432/test"


def production_command(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "var" / "media").mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "SOIN_ENV": "production",
        "SOIN_SECRET_KEY": secrets.token_urlsafe(50),
        "SOIN_ALLOWED_HOSTS": "soin.example.org",
        "SOIN_SITE_URL": "https://soin.example.org",
        "SOIN_EMAIL_HOST": "smtp.example.org",
        "SOIN_VAR_DIR": str(tmp_path / "var"),
        "SOIN_STATIC_ROOT": str(tmp_path / "static"),
        **env,
    }
    for name in ("SOIN_DEBUG", "SOIN_EMAIL_BACKEND", "SOIN_TASKS_BACKEND", "SOIN_ERASURE_JOURNAL"):
        environment.pop(name, None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_deploy_check_refuses_sqlite_in_production(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'soin.sqlite3'}"
    done = production_command(tmp_path, "deploy_check", DATABASE_URL=sqlite)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert [line for line in lines if SQLITE_REFUSED in line], done.stderr


@pytest.mark.django_db
def test_deploy_check_passes_the_example_production_environment(tmp_path: Path) -> None:
    url = reachable_postgresql()
    if url is None:
        pytest.skip("no PostgreSQL answers at 127.0.0.1:5432")
    done = production_command(tmp_path, "collectstatic", "--noinput", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    done = production_command(tmp_path, "deploy_check", DATABASE_URL=url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passes all" in done.stdout


# -- The example environment file -------------------------------------------------------------

READS = re.compile(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']((?:SOIN_|DATABASE_)\w+)""")
ASSIGNED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.M)


def test_the_example_environment_file_lists_every_variable_the_settings_and_gunicorn_read() -> None:
    read = {
        name
        for path in (ROOT / "config" / "settings.py", ROOT / "deploy" / "gunicorn.conf.py")
        for name in READS.findall(path.read_text(encoding="utf-8"))
    }
    assert {"SOIN_SECRET_KEY", "DATABASE_URL", "SOIN_EMAIL_USE_TLS", "SOIN_ALLOWED_HOSTS"} <= read
    example = (ROOT / "deploy" / "soin.env.example").read_text(encoding="utf-8")
    listed = set(ASSIGNED.findall(example))
    assert sorted(read - listed) == [], "add these to deploy/soin.env.example"
    assert sorted(listed - read) == [], "deploy/soin.env.example names what nothing reads"


def test_every_variable_of_the_example_environment_file_is_explained_by_a_comment() -> None:
    example = (ROOT / "deploy" / "soin.env.example").read_text(encoding="utf-8")
    for block in example.split("\n\n"):
        lines = block.strip().splitlines()
        names = [line for line in lines if ASSIGNED.match(line)]
        comments = [line for line in lines if line.startswith("#") and not ASSIGNED.match(line)]
        assert not names or comments, f"no comment for {names}"


def test_a_worker_loads_every_view_as_it_starts_and_leaves_them_out_of_full_collections() -> None:
    """What a worker loads lives as long as it does: frozen, so that the garbage collector's
    full passes do not walk it again in the middle of a request."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, json, sys, config.wsgi; print(json.dumps([gc.get_freeze_count(), "
            "len(gc.get_objects()), 'soin.ideas.views.staff' in sys.modules]))",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, tracked, views_loaded = json.loads(shown.stdout.strip().splitlines()[-1])
    assert views_loaded
    assert frozen > 50_000 and tracked < frozen // 100
