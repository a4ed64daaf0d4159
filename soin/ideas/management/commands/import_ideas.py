"""Import ideas from a CSV or XLSX file: every row is checked first, then all are imported in
one transaction, or none. See soin/ideas/importer.py for the columns."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.accounts.models import Role, User
from soin.core.emails import canonical_email
from soin.ideas import importer
from soin.ideas.models import Idea
from soin.regions.models import Partnership


class Command(BaseCommand):
    help = (
        "Import ideas from a CSV or XLSX file into a partnership, all or nothing. Columns "
        "(header row): title/Idé (required), description/Beskrivning, carrier_category/"
        "Idébärare, challenges/Relation till samhällsutmaning, handling/Hur hanteras idén, "
        "received_on/Datum, municipality/Kommun, carrier_name, carrier_email, carrier_phone, "
        "carrier_organisation."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .csv (comma or semicolon) or .xlsx file.")
        parser.add_argument("--partnership", required=True, help="The partnership's short name.")
        parser.add_argument(
            "--as",
            dest="actor",
            help="E-mail of the coordinator or advisor the import is made as "
            "(default: the partnership's first coordinator).",
        )
        parser.add_argument(
            "--channel",
            default=Idea.Channel.OUTREACH,
            choices=[c for c in Idea.Channel.values if c != Idea.Channel.WEB],
            help="Where the ideas were met (default: outreach).",
        )
        parser.add_argument(
            "--received-on",
            default=None,
            help="Date for rows without one, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership is called {options['partnership']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("The file must be .csv or .xlsx.")
        actor = self._actor(partnership, options["actor"])
        try:
            default_day = (
                datetime.date.fromisoformat(options["received_on"])
                if options["received_on"]
                else datetime.date.today()
            )
        except ValueError as error:
            raise CommandError("--received-on must be YYYY-MM-DD.") from error
        try:
            table = importer.read_table(path)
        except Exception as error:
            raise CommandError(f"{path} could not be read: {error}") from error
        rows = importer.parse(partnership=partnership, table=table, received_on=default_day)
        bad = [row for row in rows if row.errors]
        if bad:
            for row in bad:
                self.stderr.write(f"Row {row.number}: {'; '.join(row.errors)}")
            raise CommandError(f"{len(bad)} of {len(rows)} rows have errors; nothing was imported.")
        if not rows:
            raise CommandError("The file has no rows to import.")
        total = len(rows)

        def progress(done: int) -> None:
            width = 30
            filled = width * done // total
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if sys.stdout.isatty():
                self.stdout.write("\r" + line, ending="")
            elif done == total or done % max(1, total // 10) == 0:
                self.stdout.write(line)

        ideas = importer.import_rows(
            partnership=partnership,
            rows=rows,
            actor=actor,
            channel=options["channel"],
            progress=progress,
        )
        if sys.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(
            f"Imported {len(ideas)} ideas into {partnership.slug}: "
            f"{ideas[0].number} to {ideas[-1].number}."
        )

    def _actor(self, partnership: Partnership, email: str | None) -> User:
        roles = Role.objects.filter(
            partnership=partnership,
            kind__in=[Role.Kind.COORDINATOR, Role.Kind.ADVISOR],
            user__is_active=True,
        ).select_related("user")
        if email:
            role = roles.filter(user__email_canonical=canonical_email(email)).first()
            if role is None:
                raise CommandError(
                    f"{email} is not a coordinator or advisor of {partnership.slug}."
                )
            return role.user
        role = roles.filter(kind=Role.Kind.COORDINATOR).order_by("pk").first()
        if role is None:
            raise CommandError(f"{partnership.slug} has no coordinator; name one with --as.")
        return role.user
