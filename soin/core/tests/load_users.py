"""The simulated visitors of the load test (``test_load.py``), run with locust in a process
of their own (locust patches the standard library with gevent as it is imported, which the
test process must not have).

    python -m soin.core.tests.load_users --host http://127.0.0.1:PORT --activity 12 --out x.json

Half the visitors send ideas through the public form, half register for the event; each
from an address of its own (X-Forwarded-For, behind one trusted proxy), each submission with
a unique marker. Every answer is recorded: accepted (the thanks page, the registration
sent), refused (the form shown again, too many from one address) or an error (a 5xx, a
connection that failed). The run is bounded in users, requests and time.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import uuid
from typing import Any

import gevent
from locust import HttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

FIELD = r'name="{}" value="([^"]*)"'
OUTCOMES: dict[str, Any] = {
    "ideas": {"accepted": [], "refused": []},
    "registrations": {"accepted": [], "refused": []},
    "errors": [],
    "requests": 0,
}
LIMITS: dict[str, Any] = {"requests": 2000, "stopping": False}


def _field(page: str, name: str) -> str:
    found = re.search(FIELD.format(name), page)
    return found.group(1) if found else ""


def _failed(response: Any) -> bool:
    return bool(response.status_code == 0 or response.status_code >= 500)


class Visitor(HttpUser):
    abstract = True
    wait_time = constant(0)
    number = 0

    def on_start(self) -> None:
        Visitor.number += 1
        self.address = f"10.{Visitor.number // 250}.{Visitor.number % 250}.{1 + Visitor.number}"

    def claim(self, count: int) -> None:
        """Take ``count`` requests from the budget, or stop this visitor (between two
        submissions, never in the middle of one: every answer is recorded)."""
        if LIMITS["stopping"] or OUTCOMES["requests"] + count > LIMITS["requests"]:
            raise StopUser
        OUTCOMES["requests"] += count

    def send(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"X-Forwarded-For": self.address}
        with self.client.request(
            method, path, headers=headers, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if _failed(response):
                OUTCOMES["errors"].append(
                    {"path": path, "status": response.status_code, "error": str(response.error)}
                )
                response.failure(f"{response.status_code}")
            else:
                response.success()
            return response


class IdeaCarrier(Visitor):
    fixed_count = 10

    @task
    def send_an_idea(self) -> None:
        self.claim(2)
        form = self.send("GET", "/sv/orebro/idea/", name="idea form")
        if _failed(form):
            return
        page = form.text
        marker = f"Lasttest {uuid.uuid4().hex}"
        answer = self.send(
            "POST",
            "/sv/orebro/idea/",
            name="idea sent",
            data={
                "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
                "title": marker,
                "description": "En idé skickad under lasttestet.",
                "carrier_category": "private",
                "carrier_name": "Lasttest Person",
                "carrier_email": "last@example.org",
                "consent": "on",
                "homepage": "",
                "started": _field(page, "started"),
                "consent_shown": _field(page, "consent_shown"),
            },
        )
        if _failed(answer):
            return
        accepted = answer.status_code == 302 and answer.headers.get("Location", "").endswith(
            "/idea/thanks/"
        )
        OUTCOMES["ideas"]["accepted" if accepted else "refused"].append(marker)


class Registrant(Visitor):
    fixed_count = 10
    activity = 0

    @task
    def register(self) -> None:
        self.claim(2)
        path = f"/sv/orebro/activities/{Registrant.activity}/"
        form = self.send("GET", path, name="event page")
        if _failed(form):
            return
        marker = f"r-{uuid.uuid4().hex}@example.org"
        answer = self.send(
            "POST",
            path,
            name="registration sent",
            data={
                "csrfmiddlewaretoken": _field(form.text, "csrfmiddlewaretoken"),
                "name": "Lasttest Deltagare",
                "email": marker,
                "organisation": "",
                "dietary_needs": "",
                "accessibility_needs": "",
                "consent": "on",
                "homepage": "",
                "started": _field(form.text, "started"),
            },
        )
        if _failed(answer):
            return
        accepted = answer.status_code == 302 and answer.headers.get("Location", "").endswith(
            f"/activities/{Registrant.activity}/registered/"
        )
        OUTCOMES["registrations"]["accepted" if accepted else "refused"].append(marker)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--activity", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    LIMITS["requests"] = args.requests
    Registrant.activity = args.activity
    IdeaCarrier.fixed_count = args.users // 2
    Registrant.fixed_count = args.users - args.users // 2

    environment = Environment(user_classes=[IdeaCarrier, Registrant], events=events, host=args.host)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=args.users)
    while time.monotonic() - started < args.seconds:
        gevent.sleep(0.2)
        # Every visitor stops when the budget of requests is spent.
        if time.monotonic() - started > 2 and runner.user_count == 0:
            break
    # Time is up: the visitors finish the submission they are in and stop.
    LIMITS["stopping"] = True
    grace = time.monotonic() + 60
    while runner.user_count > 0 and time.monotonic() < grace:
        gevent.sleep(0.1)
    OUTCOMES["unfinished"] = runner.user_count
    runner.quit()
    elapsed = time.monotonic() - started
    total = environment.stats.total
    OUTCOMES["sent"] = total.num_requests
    OUTCOMES["failures"] = total.num_failures
    OUTCOMES["seconds"] = round(elapsed, 2)
    OUTCOMES["users"] = args.users
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(OUTCOMES, f)


if __name__ == "__main__":
    main()
