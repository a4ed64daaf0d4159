"""Queue the weekly mail to advisors about ideas that have not moved. Run it once a week
(for example from cron: ``0 7 * * 1 python manage.py send_idea_digest``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.ideas.tasks import send_stale_digest
from soin.regions.models import Partnership


class Command(BaseCommand):
    help = "Queue, for each partnership (or one), the digest of open ideas that have not moved."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership", help="Only this partnership (its short name).")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Ideas that have not moved for this many days (default: each partnership's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        partnerships = Partnership.objects.all()
        if options["partnership"]:
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"No partnership is called {options['partnership']!r}.")
        for partnership in partnerships:
            days = options["days"] or partnership.idea_stale_days
            send_stale_digest.enqueue(partnership_id=partnership.pk, days=days)
            self.stdout.write(f"Queued the digest for {partnership.slug}.")
