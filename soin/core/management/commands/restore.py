"""Restore the installation from a backup archive made by ``manage.py backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of a backup archive, then "
        "check every table's rows against the archive's manifest. Needs --yes. PostgreSQL "
        "needs pg_restore."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the present data is to be replaced by the backup's.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "A restore replaces everything in the database and the uploaded files: "
                "run it again with --yes to confirm."
            )
        try:
            manifest = backup_restore(archive_path=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: {len(manifest['tables'])} tables, "
            f"{rows} rows, as the manifest says. Erasures made since then, repeated: "
            f"{manifest.get('erasures_replayed', 0)}."
        )
