"""Compute the vectors of meaning that are missing or stale (a new installation, another model,
texts changed while the worker was down), with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.meaning import engine, tasks
from soin.meaning.services import KINDS, vectors_update


class Command(BaseCommand):
    help = "Compute the missing or stale vectors of ideas and knowledge-bank entries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=sorted(KINDS), help="Only ideas or only entries.")
        parser.add_argument(
            "--queue", action="store_true", help="Leave the work to the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            if engine.enabled():
                tasks.embed_missing.enqueue()
                self.stdout.write("The task worker will compute the missing vectors.")
            return
        status = engine.model_status()
        if not status.ok:
            raise CommandError(
                f"The embedding model cannot be used ({status.problem}): {status.path}"
            )
        for kind in [options["kind"]] if options["kind"] else list(KINDS):
            started = time.monotonic()

            def progress(done: int, total: int, kind: str = kind) -> None:
                width = 30
                filled = width * done // total if total else width
                line = f"{kind}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                if sys.stdout.isatty():
                    self.stdout.write("\r" + line, ending="")
                elif done == total or done % max(1, total // 10) == 0:
                    self.stdout.write(line)

            count = vectors_update(kind=kind, progress=progress)
            if sys.stdout.isatty():
                self.stdout.write("")
            seconds = time.monotonic() - started
            self.stdout.write(f"{kind}: {count} vectors computed in {seconds:.1f} s.")
