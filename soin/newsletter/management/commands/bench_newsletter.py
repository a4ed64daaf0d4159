"""Benchmark the newsletter's sender against a bare smtplib loop, in one run, against the same
local SMTP server (aiosmtpd in its own process, discarding what it gets).

    python manage.py bench_newsletter [--count N]   (BENCH_SCALE=national: 200 000)

Writes var/bench/newsletter.json: both rates and their ratio. The database is the one settings
name (DATABASE_URL); run it on a database of its own."""

from __future__ import annotations

import json
import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise CommandError("The SMTP server did not start.")


class Command(BaseCommand):
    help = "Measure the newsletter sender's rate against a bare smtplib loop."

    def add_arguments(self, parser: Any) -> None:
        national = os.environ.get("BENCH_SCALE") == "national"
        parser.add_argument("--count", type=int, default=200_000 if national else 20_000)
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "bench"))

    def handle(self, *args: Any, count: int, output: str, **options: Any) -> None:
        from django.core.management import call_command

        from soin.newsletter import rendering, services
        from soin.newsletter.models import Dispatch, Subscriber
        from soin.regions.models import Region
        from soin.regions.services import partnership_create

        call_command("migrate", verbosity=0)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            settings.EMAIL_USE_TLS = False
            slug = f"bench{int(time.time())}"
            partnership = partnership_create(
                actor=None,
                slug=slug,
                name_sv="Partnerskapet (mätning)",
                name_en="The partnership (benchmark)",
                region=Region.objects.get(code="18"),
            )
            now = timezone.now()
            self.stdout.write(f"Creating {count} subscribers…")
            batch = []
            for i in range(count):
                batch.append(
                    Subscriber(
                        partnership=partnership,
                        email=f"p{i:07d}@example.org",
                        language="sv" if i % 10 else "en",
                        state=Subscriber.State.ACTIVE,
                        consent_at=now,
                        confirmed_at=now,
                        nonce=f"{i:032d}",
                    )
                )
                if len(batch) == 10_000:
                    Subscriber.objects.bulk_create(batch)
                    batch = []
            Subscriber.objects.bulk_create(batch)
            issue = services.issue_create(
                partnership=partnership,
                actor=None,
                year=2018,
                title_sv="Nyhetsbrev 2018:1",
                title_en="Newsletter 2018:1",
                intro_sv="Intresset för sociala innovationer är stort. " * 20,
                intro_en="Interest in social innovation is great. " * 20,
            )
            for n in range(6):
                services.section_add(
                    issue=issue,
                    actor=None,
                    heading_sv=f"Avsnitt {n}",
                    text_sv="Partnerskapet fångar löpande upp idéer. " * 15,
                )

            # The baseline: the same rendered message, one connection, a bare loop.
            message = rendering.personalise(
                rendering.render(issue, "sv"),
                to="p0000000@example.org",
                unsubscribe_url=f"{settings.SITE_URL}/newsletter/unsubscribe/1-x/",
                subscription_url=f"{settings.SITE_URL}/sv/{slug}/newsletter/subscription/1-x/",
            ).message()
            raw = message.as_bytes(linesep="\r\n")
            self.stdout.write(f"Baseline: smtplib, {count} messages…")
            started = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                for i in range(count):
                    smtp.sendmail("no-reply@example.org", [f"p{i:07d}@example.org"], raw)
            baseline_seconds = time.perf_counter() - started

            # The platform: the send as staff start it, through the queue and the worker.
            self.stdout.write(f"Platform: queue and worker, {count} subscribers…")
            started = time.perf_counter()
            dispatch = services.issue_send(issue=issue, actor=None)
            connection.close()
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
            platform_seconds = time.perf_counter() - started
            dispatch.refresh_from_db()
            if dispatch.state != Dispatch.State.DONE:
                raise CommandError(f"The send did not finish: {dispatch.state}")
            sent = dispatch.deliveries.filter(state="sent").count()
        finally:
            server.terminate()
            server.wait(timeout=10)
        result = {
            "measured_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "debug": settings.DEBUG,
            "recipients": count,
            "sent": sent,
            "message_bytes": len(raw),
            "baseline_smtplib": {
                "seconds": round(baseline_seconds, 2),
                "per_second": round(count / baseline_seconds, 1),
            },
            "platform_queue_and_worker": {
                "seconds": round(platform_seconds, 2),
                "per_second": round(count / platform_seconds, 1),
            },
            "ratio_platform_to_baseline": round(baseline_seconds / platform_seconds, 3),
            "goal": ">= 0.5",
        }
        Path(output).mkdir(parents=True, exist_ok=True)
        path = Path(output) / "newsletter.json"
        path.write_text(json.dumps(result, indent=2))
        self.stdout.write(json.dumps(result, indent=2))
        self.stdout.write(f"Written to {path}")
