"""Create the demo: the Örebro partnership (slug ``orebro``) with its 2017 year.

Safe to run again: only what is missing is created.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from soin.core import demo


class Command(BaseCommand):
    help = (
        "Create the demo data: the Örebro partnership (slug 'orebro') with the 30 partners of "
        "2017, its groups, agreements and invented demo users. Idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            report = demo.seed_all()
        for key, value in report.items():
            self.stdout.write(f"{key}: {value}")
        if not options["quiet_logins"]:
            self.stdout.write(demo.logins_text())
