"""Exchange between installations: a second installation, with a database of its own, takes in
the first one's entries twice (from the export files and from the API) and ends with each entry
once; an entry changed at its origin is updated, not doubled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from soin.core.testing import PNG
from soin.knowledge import services
from soin.knowledge.models import Entry

ROOT = Path(settings.BASE_DIR)


def second_installation(db_file: Path, *args: str, allowed: str = "") -> str:
    """Run ``manage.py`` of a second installation (its own SQLite database, the sources in
    ``allowed`` on loopback let through) and return what it printed."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "SOIN_ENV": "development",
        "SOIN_EXCHANGE_ALLOWED_SOURCES": allowed,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


COUNT = (
    "import json; from soin.knowledge.models import Entry; "
    "print(json.dumps(sorted([str(e.uid), e.title_sv, e.partnership.region.code, e.origin, "
    "e.state, e.challenges.count(), [(i.alt_en, i.file.read().hex()[:16]) for i in "
    "e.images.all()]] for e in Entry.objects.all())))"
)


@pytest.mark.django_db(transaction=True)
def test_a_second_installation_takes_in_the_first_ones_entries_once(
    world, live_server, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    export = tmp_path / "export"
    call_command("export_open_data", "--output", str(export), stdout=open(os.devnull, "w"))  # noqa: SIM115
    exported = json.loads((export / "innovations.json").read_text())
    assert [r["id"] for r in exported] == [str(world.entry.uid)]
    assert (export / "README.md").read_text().count("| ") > 40

    other = tmp_path / "second.sqlite3"
    second_installation(other, "migrate", "--verbosity", "0")
    first = second_installation(
        other, "import_open_data", str(export), "--publish-directly", allowed=live_server.url
    )
    again = second_installation(
        other, "import_open_data", f"{live_server.url}/api/v1", allowed=live_server.url
    )
    assert "1 new" in first and "1 unchanged" in again
    assert "0 images could not be fetched" in first
    rows = json.loads(second_installation(other, "shell", "-c", COUNT).splitlines()[-1])
    assert rows == [
        [
            str(world.entry.uid),
            "Läxhjälp i idrottsföreningen",
            "18",
            live_server.url,
            "published",
            1,
            [["Children at a table", PNG.hex()[:16]]],
        ]
    ]

    # Changed at its origin: taken back, edited and published again.
    entry = services.entry_move(entry=world.entry, actor=None, move="unpublish", note="Ny text")
    services.entry_update(entry=entry, actor=None, title_sv="Läxhjälp före träningen")
    entry = services.entry_move(entry=entry, actor=None, move="submit")
    services.entry_move(entry=entry, actor=None, move="publish", seen_version=entry.version)
    updated = second_installation(
        other, "import_open_data", f"{live_server.url}/api/v1", allowed=live_server.url
    )
    assert "1 updated" in updated
    rows = json.loads(second_installation(other, "shell", "-c", COUNT).splitlines()[-1])
    assert [r[1] for r in rows] == ["Läxhjälp före träningen"]
    # Its image is taken in again, not doubled.
    assert rows[0][6] == [["Children at a table", PNG.hex()[:16]]]
    # And the first installation, receiving its own entry back, keeps its own.
    call_command("import_open_data", str(export), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Entry.objects.filter(uid=world.entry.uid).get().origin == ""


def test_import_refuses_a_file_that_is_not_open_data(tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    bad = tmp_path / "innovations.json"
    bad.write_text('{"not": "a list"}')
    with pytest.raises(CommandError, match="not a list"):
        call_command("import_open_data", str(bad))
    bad.write_text('[{"id": "x"}]')
    with pytest.raises(CommandError, match="1 entries could not be imported"):
        call_command("import_open_data", str(bad), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Entry.objects.count() == 0
