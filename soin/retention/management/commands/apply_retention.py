"""Anonymise what every partnership has kept past its retention time (for cron), or queue the
nightly run for the task worker (--schedule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from soin.retention.services import retention_apply_all
from soin.retention.tasks import retention_schedule


class Command(BaseCommand):
    help = (
        "Anonymise closed ideas' carriers, past events' registrants and unsubscribed "
        "subscribers whose retention time has passed, in every partnership. With --schedule, "
        "queue the nightly run (03:00 Europe/Stockholm) for the task worker instead, unless "
        "it is queued already."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly task instead of running now (does nothing if queued).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            when = retention_schedule()
            if options["verbosity"]:
                self.stdout.write(
                    f"Retention queued for {when.isoformat()}"
                    if when
                    else "Retention is queued already"
                )
            return
        results = retention_apply_all()
        if options["verbosity"]:
            if not results:
                self.stdout.write("Nothing has passed its retention time.")
            for slug, counts in results.items():
                summary = ", ".join(f"{kind} {n}" for kind, n in counts.items())
                self.stdout.write(f"{slug}: {summary}")
