from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from soin.knowledge import search
from soin.knowledge.models import Entry, SearchWord


class Command(BaseCommand):
    help = (
        "Rebuild the knowledge bank's search index from the entries' texts: PostgreSQL's "
        "stored vectors or SQLite's FTS5 tables, and the vocabulary of the published entries "
        "(after a restore, a bulk load, a move between databases, or a change of how words "
        "are read). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        entries = Entry.objects.select_related("municipality").prefetch_related(
            "challenges", "organisations"
        )
        ids = list(entries.order_by("pk").values_list("pk", flat=True))
        # The words no published entry uses any more go; the others come back below.
        SearchWord.objects.all().delete()
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                for entry in entries.filter(pk__in=ids[start : start + 500]):
                    search.index(entry)
                    done += 1
            self.stdout.write(f"{done} of {len(ids)} entries indexed")
        if not ids:
            self.stdout.write("0 entries indexed")
