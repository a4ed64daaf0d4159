from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from soin.api.exchange import import_innovations, read_innovations


class Command(BaseCommand):
    help = (
        "Take in another installation's published knowledge-bank entries: from a folder "
        "written by export_open_data (or its innovations.json) or from its API "
        "(https://…/api/v1). Entries are matched by their stable identifier, so importing "
        "the same data again changes nothing; an entry changed at its origin is updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A folder, a JSON file, or an API address.")
        parser.add_argument(
            "--timeout", type=float, default=30, help="Seconds to wait for an API (30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found, origin = read_innovations(options["source"], timeout=options["timeout"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except OSError as error:
            raise CommandError(f"{options['source']}: {error}") from error
        counts = import_innovations(found, origin, timeout=options["timeout"])
        self.stdout.write(
            f"{len(found)} entries from {origin}: {counts['created']} new, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['refused']} refused; {counts['images_missing']} images could not be fetched"
        )
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} entries could not be imported.")
