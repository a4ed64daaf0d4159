"""Back up the installation: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soin.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive (database, uploaded files and a manifest of rows per table) "
        "into --directory (default var/backups). PostgreSQL needs pg_dump."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--directory", type=Path, default=Path(settings.VAR_DIR) / "backups")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_create(directory=options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
