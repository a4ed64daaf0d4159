"""Repeat the erasures of the journal (SOIN_ERASURE_JOURNAL) after a restore of an older
backup."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.retention.erasure import erasure_replay


class Command(BaseCommand):
    help = (
        "Erase again everyone the erasure journal names whose data a restore brought back. "
        "--since ISO limits it to the journal's lines after that time (e.g. the backup's "
        "creation); without it the whole journal is replayed (erasing twice does no harm)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", help="An ISO 8601 time, e.g. 2026-11-30T02:00:00+00:00")

    def handle(self, *args: Any, **options: Any) -> None:
        since = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        if options["since"]:
            try:
                since = datetime.datetime.fromisoformat(options["since"])
            except ValueError as error:
                raise CommandError(f"--since is not an ISO 8601 time: {error}") from error
        count = erasure_replay(since=since)
        self.stdout.write(f"{count} erasure(s) repeated")
