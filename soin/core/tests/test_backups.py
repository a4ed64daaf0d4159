"""Backups: what is backed up comes back, on the database the suite runs on (SQLite and
PostgreSQL in CI), uploaded files included; a restore that would not match is refused."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from soin.core import backups
from soin.core.aggregates import SOURCES
from soin.core.testing import build_world
from soin.ideas.models import Idea
from soin.reports.models import KeyFigure


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_database_and_the_uploaded_files(reference_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    stored = default_storage.save("attachments/plan.txt", ContentFile(b"the plan"))
    before = backups.table_counts()
    out = io.StringIO()
    call_command("backup", "--directory", str(tmp_path), stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.is_file() and archive.parent == tmp_path
    manifest = backups.read_manifest(archive)
    assert manifest["tables"] == before and manifest["tables"]["ideas_idea"] >= 2
    assert "ideas.0001_initial" in manifest["migrations"]

    # Things go wrong after the backup: an idea renamed, a key figure removed, another idea changed,
    # a file lost.
    title = world.idea.title
    Idea.objects.filter(pk=world.idea.pk).update(title="Skrivet över")
    KeyFigure.objects.filter(pk=world.key_figure.pk).delete()
    Idea.objects.filter(pk=world.referred_idea.pk).update(title="Efter säkerhetskopian")
    default_storage.delete(stored)

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert not Idea.objects.filter(title=title).exists()

    from soin.core.models import AggregateStamp

    stamps = dict(AggregateStamp.objects.values_list("source", "token"))
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "as the manifest says" in out.getvalue()
    # The backup's stamps are not the ones figures were counted under since: all are new.
    restored_stamps = dict(AggregateStamp.objects.values_list("source", "token"))
    assert all(restored_stamps[f"{s}:shared"] != stamps.get(f"{s}:shared") for s in SOURCES)
    assert backups.table_counts() == before
    assert Idea.objects.get(pk=world.idea.pk).title == title
    assert KeyFigure.objects.filter(pk=world.key_figure.pk).exists()
    assert not Idea.objects.filter(title="Efter säkerhetskopian").exists()
    with default_storage.open(stored) as restored:
        assert restored.read() == b"the plan"


@pytest.mark.django_db(transaction=True)
def test_an_archive_for_another_database_or_a_newer_version_is_refused(
    reference_data, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    archive = backups.backup_create(directory=tmp_path)
    manifest = backups.read_manifest(archive)

    def rewritten(name: str, **changes: object) -> Path:
        target = tmp_path / name
        with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
            for member in source.getmembers():
                data = source.extractfile(member) if member.isfile() else None
                if member.name == backups.MANIFEST:
                    body = json.dumps({**manifest, **changes}).encode()
                    member.size = len(body)
                    data = io.BytesIO(body)
                copy.addfile(member, data)
        return target

    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    with pytest.raises(backups.BackupError, match="this installation runs"):
        backups.backup_restore(archive_path=rewritten("other.tar.gz", engine=other))
    newer = rewritten("newer.tar.gz", migrations=[*manifest["migrations"], "ideas.9999_later"])
    with pytest.raises(backups.BackupError, match=r"ideas\.9999_later"):
        backups.backup_restore(archive_path=newer)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
    # Nothing was touched by the refusals.
    assert backups.table_counts() == manifest["tables"]
