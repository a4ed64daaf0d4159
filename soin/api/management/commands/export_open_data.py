from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from soin.api.exchange import export


class Command(BaseCommand):
    help = (
        "Write the open data (the knowledge bank's published entries, public activities, "
        "partners, statistics) to a folder as JSON and CSV, with a README describing every field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="The folder to write to.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = export(Path(options["output"]))
        self.stdout.write(
            ", ".join(f"{n} {name}" for name, n in counts.items()) + f" → {options['output']}"
        )
