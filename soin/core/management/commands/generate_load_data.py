"""Fill a database of its own with generated data at the size of one region or of the
national network (see soin.core.loaddata):

    python manage.py generate_load_data --scale region|national [--seed N]
    python manage.py generate_load_data --rows 500   (one partnership, about 500 rows a list)

Bulk inserts, a transaction per partnership; prints its progress and the rows it made."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from soin.core.loaddata import Scale, generate_all


class Command(BaseCommand):
    help = "Generate data at the size of one region or of the national network."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=["region", "national"], default="region")
        parser.add_argument(
            "--rows", type=int, help="instead of a scale: one partnership of about N rows a list"
        )
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--first-year",
            type=int,
            default=None,
            help="the first year of the data (default: the years end with this one)",
        )

    def handle(
        self,
        *args: Any,
        scale: str,
        rows: int | None,
        seed: int,
        first_year: int | None,
        **options: Any,
    ) -> None:
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        try:
            totals = generate_all(
                Scale.rows(rows) if rows else Scale.named(scale),
                seed=seed,
                first_year=first_year,
                progress=lambda message: self.stdout.write(message),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for label, count in sorted(totals.items()):
            self.stdout.write(f"{label:32} {count:>10,}".replace(",", " "))
        self.stdout.write(
            f"{sum(totals.values()):,} rows in {time.monotonic() - started:.0f} s".replace(",", " ")
        )
