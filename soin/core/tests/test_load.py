"""A load test of the public idea form and of event registration, on PostgreSQL.

The application runs under gunicorn (three worker processes) against the test database;
twenty simulated visitors (locust, ``load_users.py``) send ideas and registrations on the
loopback interface, each from an address of its own behind one trusted proxy, for at most
2 000 requests or 60 seconds. Every answer is recorded, then checked against the database:
no errors, every accepted submission stored exactly once, no refused one stored, never more
registrations with a seat than the event has seats (the others are on the waiting list).
The figures are written to var/test-figures/load.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from soin.activities.models import Activity, Registration
from soin.core.smtp import free_port
from soin.core.testing import build_world
from soin.ideas.models import Idea

USERS, REQUESTS, SECONDS = 20, 2000, 60
SEATS = 25


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"gunicorn ended: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/sv/orebro/idea/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer: {log.read_text()[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_the_idea_form_and_registration_under_load_lose_nothing_and_double_nothing(
    reference_data: None, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the load test needs PostgreSQL: several server processes write at once, and "
            "SQLite's test database lives in this process's memory"
        )
    world = build_world()
    Activity.objects.filter(pk=world.activity.pk).update(capacity=SEATS)
    ideas_before = Idea.objects.count()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SOIN_SECRET_KEY": django_settings.SECRET_KEY,
        "SOIN_DEBUG": "false",
        "SOIN_VAR_DIR": str(tmp_path / "var"),
        "SOIN_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Each visitor's address comes in X-Forwarded-For, as from one proxy in front; the
        # limits per address stay as deployed. Only the wait a person needs to write an idea
        # is left out: simulated visitors send at once.
        "SOIN_TRUSTED_PROXIES": "1",
        "SOIN_IDEA_FORM_MIN_SECONDS": "0",
    }
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--error-logfile",
            str(log),
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    out = tmp_path / "outcomes.json"
    try:
        wait_until_up(base, server, log)
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "soin.core.tests.load_users",
                "--host",
                base,
                "--activity",
                str(world.activity.pk),
                "--out",
                str(out),
                "--users",
                str(USERS),
                "--requests",
                str(REQUESTS),
                "--seconds",
                str(SECONDS),
            ],
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            timeout=SECONDS + 120,
        )
        assert locust.returncode == 0, locust.stderr.decode()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
    outcomes: dict[str, Any] = json.loads(out.read_text())
    ideas, registrations = outcomes["ideas"], outcomes["registrations"]

    stored_ideas = list(
        Idea.objects.filter(title__startswith="Lasttest ").values_list("title", flat=True)
    )
    stored_registrations = list(
        Registration.objects.filter(activity=world.activity, email__startswith="r-").values_list(
            "email", flat=True
        )
    )
    seated = Registration.objects.filter(
        activity=world.activity,
        state__in=[Registration.State.CONFIRMED, Registration.State.OFFERED],
    ).count()
    waiting = Registration.objects.filter(
        activity=world.activity, state=Registration.State.WAITING
    ).count()
    figures = {
        "users": outcomes["users"],
        "requests": outcomes["sent"],
        "seconds": outcomes["seconds"],
        "requests_per_second": round(outcomes["sent"] / outcomes["seconds"], 1),
        "errors": len(outcomes["errors"]) + outcomes["failures"],
        "ideas": {
            "accepted": len(ideas["accepted"]),
            "refused": len(ideas["refused"]),
            "stored": len(stored_ideas),
        },
        "registrations": {
            "accepted": len(registrations["accepted"]),
            "refused": len(registrations["refused"]),
            "stored": len(stored_registrations),
            "seats": SEATS,
            "with_a_seat": seated,
            "on_the_waiting_list": waiting,
        },
        "lost": len(set(ideas["accepted"]) - set(stored_ideas))
        + len(set(registrations["accepted"]) - set(stored_registrations)),
    }
    folder = Path(django_settings.VAR_DIR) / "test-figures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "load.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print("\nload test:", json.dumps(figures))

    assert outcomes["sent"] <= REQUESTS
    assert outcomes["unfinished"] == 0, "a visitor was stopped in the middle of a submission"
    assert outcomes["errors"] == [] and outcomes["failures"] == 0, outcomes["errors"][:5]
    assert ideas["accepted"] and registrations["accepted"]
    # Every accepted submission stored exactly once; none that was refused.
    assert sorted(stored_ideas) == sorted(ideas["accepted"])
    assert sorted(stored_registrations) == sorted(registrations["accepted"])
    assert not set(stored_ideas) & set(ideas["refused"])
    assert Idea.objects.count() == ideas_before + len(ideas["accepted"])
    # Never more seats given than the event has; everyone else waits in line.
    assert seated <= SEATS
    assert (
        seated + waiting
        == Registration.objects.filter(activity=world.activity)
        .exclude(state=Registration.State.CANCELLED)
        .count()
    )
    if len(registrations["accepted"]) + 1 > SEATS:
        assert seated == SEATS and waiting == len(registrations["accepted"]) + 1 - SEATS
