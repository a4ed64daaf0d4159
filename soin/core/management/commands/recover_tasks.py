"""Queue again the tasks a killed worker left running (run before the worker starts)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from soin.core.worker import recover_stale_tasks


class Command(BaseCommand):
    help = (
        "Put tasks RUNNING for longer than --stale-seconds (default SOIN_TASK_STALE_SECONDS) "
        "back to READY: their worker died. Run it before starting the worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--stale-seconds", type=int, default=settings.SOIN_TASK_STALE_SECONDS, dest="stale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = recover_stale_tasks(stale_after=datetime.timedelta(seconds=options["stale"]))
        if options["verbosity"]:
            self.stdout.write(f"{len(ids)} task(s) queued again")
            for pk in ids:
                self.stdout.write(f"  {pk}")
