from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from soin.api.exchange import MAX_PAGES, import_innovations, read_innovations
from soin.knowledge.services import exchange_source_get, exchange_source_update


class Command(BaseCommand):
    help = (
        "Take in another installation's published knowledge-bank entries: from a folder "
        "written by export_open_data (or its innovations.json) or from its API "
        "(https://…/api/v1). Entries are matched by their stable identifier, so importing "
        "the same data again changes nothing; an entry changed at its origin is updated. "
        "The first reading adds the source. New and changed entries wait in review unless "
        "the source is set to publish directly; only entries of the source's own origin are "
        "taken in unless it is trusted as a relay. The national coordinator makes both choices "
        "in the back office (Exchange with other installations, /staff/national/exchange/); "
        "the flags below make the same choices, remembered for the source."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A folder, a JSON file, or an API address.")
        parser.add_argument(
            "--timeout", type=float, default=30, help="Seconds to wait for an API (30)."
        )
        parser.add_argument(
            "--max-pages",
            type=int,
            default=MAX_PAGES,
            help=f"Read at most this many pages of an API ({MAX_PAGES}, also the most allowed).",
        )
        publish = parser.add_mutually_exclusive_group()
        publish.add_argument(
            "--publish-directly",
            action="store_true",
            help="From now on, publish this source's new and changed entries at once.",
        )
        publish.add_argument(
            "--review",
            action="store_true",
            help="From now on, let this source's new and changed entries wait in review "
            "(the default).",
        )
        relay = parser.add_mutually_exclusive_group()
        relay.add_argument(
            "--trust-as-relay",
            action="store_true",
            help="From now on, take in the entries this source passes on from other "
            "installations (the national bank, for example).",
        )
        relay.add_argument(
            "--no-relay",
            action="store_true",
            help="From now on, take in only this source's own entries (the default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            reading = read_innovations(
                options["source"], timeout=options["timeout"], max_pages=options["max_pages"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except OSError as error:
            raise CommandError(f"{options['source']}: {error}") from error
        source = exchange_source_update(
            source=exchange_source_get(origin=reading.origin),
            publish_directly=True
            if options["publish_directly"]
            else False
            if options["review"]
            else None,
            trusted_as_relay=True
            if options["trust_as_relay"]
            else False
            if options["no_relay"]
            else None,
            read=True,
        )
        outcome = import_innovations(
            reading.records,
            reading.origin,
            source=source,
            timeout=options["timeout"],
            from_files=reading.from_files,
        )
        counts = outcome.counts
        for note in reading.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"{len(reading.records)} entries from {reading.origin}: {counts['created']} new, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['refused']} refused, {counts['mismatched']} of another origin; "
            f"{counts['images_missing']} images could not be fetched; "
            + ("published directly" if source.publish_directly else "waiting in review")
        )
        if outcome.mismatched:
            self.stdout.write(
                f"{counts['mismatched']} entries skipped, their origin is not "
                f"{reading.origin}"
                + (" nor another installation" if source.trusted_as_relay else "")
                + ": "
                + ", ".join(outcome.mismatched)
            )
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} entries could not be imported.")
