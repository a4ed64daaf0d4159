"""Backups of an installation and their restore: the database and the uploaded files in one
archive, with a manifest that says what it holds so that a restore can be checked.

The archive (``soin-<UTC time>.tar.gz``) holds
  manifest.json   the engine, when it was made, the applied migrations, and the rows per table
  database.sqlite3 (SQLite, made with its online backup API) or database.dump (PostgreSQL,
                   ``pg_dump --format=custom``)
  media/…         the uploaded files, as stored

A restore refuses an archive made for another engine or with migrations this code does not
know, replaces the database and the uploaded files, and then compares every table's rows with
the manifest: a restore that does not give back what was backed up fails loudly.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _media_root() -> Path | None:
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def table_counts() -> dict[str, int]:
    """Rows per table of the database, as the manifest records them."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection arguments and environment for the live database."""
    settings = connection.settings_dict
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is missing: install the PostgreSQL client (postgresql-client)."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def backup_create(*, directory: Path, now: datetime.datetime | None = None) -> Path:
    """Write a backup archive into ``directory`` and return its path."""
    engine = _engine()
    now = now or datetime.datetime.now(datetime.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"soin-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        connection.ensure_connection()
        if engine == "sqlite":
            database = work / "database.sqlite3"
            copy = sqlite3.connect(database)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
        else:
            database = work / "database.dump"
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), *args], env)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": now.isoformat(),
            "migrations": _migrations(),
            "tables": table_counts(),
        }
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            media = _media_root()
            if media is not None and media.is_dir():
                archive.add(media, arcname="media")
        # Only a complete archive carries the final name.
        partial.replace(target)
    return target


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} has no {MANIFEST}: it is not a backup.")
        manifest: dict[str, Any] = json.load(member)
    return manifest


def backup_restore(*, archive_path: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files with the archive's, and check the result
    against its manifest. Returns the manifest."""
    engine = _engine()
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist.")
    try:
        manifest = read_manifest(archive_path)
    except (tarfile.TarError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive_path} is not a readable backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("The backup was made in a format this version does not read.")
    if manifest.get("engine") != engine:
        raise BackupError(
            f"The backup is of a {manifest.get('engine')} database; this installation runs "
            f"{engine}."
        )
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            "The backup comes from a newer version of Soin (migrations unknown here: "
            + ", ".join(unknown[:5])
            + "). Install that version first."
        )
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        connection.ensure_connection()
        if engine == "sqlite":
            source = sqlite3.connect(work / "database.sqlite3")
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(work / "database.dump"),
                ],
                env,
            )
        media = _media_root()
        if media is not None:
            if media.exists():
                shutil.rmtree(media)
            if (work / "media").is_dir():
                shutil.copytree(work / "media", media)
            else:
                media.mkdir(parents=True)
    restored = table_counts()
    differing = sorted(
        table
        for table in set(manifest["tables"]) | set(restored)
        if manifest["tables"].get(table) != restored.get(table)
    )
    if differing:
        raise BackupError(
            "The restored database does not match the backup's manifest in: "
            + ", ".join(differing[:10])
        )
    # Erasures made after the backup are in the journal, not in the restored database: they
    # are repeated now, so a restore never brings an erased person back.
    from soin.retention.erasure import erasure_replay

    manifest["erasures_replayed"] = erasure_replay(
        since=datetime.datetime.fromisoformat(manifest["created"])
    )
    # No figure or list counted before the restore is served after it.
    from soin.core import aggregates

    aggregates.stamps_bump_all()
    return manifest
