"""Compute the vectors of meaning that are missing or stale (a new installation, another model,
texts changed while the worker was down), with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.meaning import engine, tasks
from soin.meaning.services import KINDS, neighbours_after, vectors_update


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
        done: dict[str, list[int]] = {kind: [] for kind in KINDS}
        for kind in [options["kind"]] if options["kind"] else list(KINDS):
            started = time.monotonic()
            done[kind] = vectors_update(kind=kind, progress=self._progress(kind))
            seconds = time.monotonic() - started
            self.stdout.write(f"{kind}: {len(done[kind])} vectors computed in {seconds:.1f} s.")
        started = time.monotonic()
        count = neighbours_after(
            ideas=done["idea"], entries=done["entry"], progress=self._progress("nearest")
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"Nearest ideas and entries found for {count} ideas in {seconds:.1f} s.")

    def _progress(self, kind: str) -> Any:
        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            line = f"{kind}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if sys.stdout.isatty():
                self.stdout.write("\r" + line, ending="" if done < total else "\n")
            elif done == total or done % max(1, total // 10) == 0:
                self.stdout.write(line)

        return progress
