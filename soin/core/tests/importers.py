"""Every importer, run with one hostile value in its text: the hostile-input harness walks
this list (``test_hostile_input.py::test_every_importer_stores_hostile_text_cleaned_or_refuses_it``)
and a meta-test fails for a module that reads files or fetches addresses without a place here.

An importer is a function ``(world, value, tmp_path) -> None`` that puts ``value`` (text, or
bytes that are not UTF-8) into every free-text column of what it imports and runs the import
the way its users do (the command line, the service a staff page calls). Refusing is fine
(``ValidationError``, ``CommandError``); a server error, a half-done import or a stored
character that documents cannot hold is not.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command

from soin.core.testing import COORDINATOR
from soin.core.tests.hostile_source import hostile_source

Value = str | bytes
Importer = Callable[[Any, Value, Path], None]


def _csv(rows: list[list[Value]]) -> bytes:
    """A CSV file of ``rows``, bytes written as they are (a file that is not UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    marker = "\ue000BYTES\ue000"
    raw: list[bytes] = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, bytes):
                raw.append(cell)
                cells.append(marker)
            else:
                cells.append(cell)
        writer.writerow(cells)
    data = out.getvalue().encode("utf-8")
    for piece in raw:
        data = data.replace(marker.encode("utf-8"), piece, 1)
    return data


def import_ideas_csv(world: Any, value: Value, tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_bytes(
        _csv(
            [
                ["Idé", "Beskrivning", "Idébärare", "Namn", "Organisation"],
                [value, value, "Förening", value, value],
            ]
        )
    )
    call_command(
        "import_ideas",
        str(path),
        "--partnership",
        world.partnership.slug,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def import_subscribers_csv(world: Any, value: Value, tmp_path: Path) -> None:
    from soin.newsletter import services

    services.subscribers_import(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        content=_csv([["email", "name"], ["hostile@example.org", value]]),
        filename="list.csv",
        consent_note="Samtycke vid mässan",
    )


def _open_data_record(world: Any, value: str, url: str) -> dict[str, Any]:
    from soin.api import records
    from soin.knowledge import selectors
    from soin.knowledge.models import Entry

    record = records.innovation_record(selectors.with_details(Entry.objects).get(pk=world.entry.pk))
    texts = ("title_sv", "title_en", "summary_sv", "summary_en", "story_sv", "story_en")
    record.update({name: value for name in texts})
    record.update(
        id=str(uuid.uuid4()),
        url=url,
        origin="",
        images=[],
        carrier=value,
        organisations=[value],
        links=[{"url": "https://example.org/", "label_sv": value, "label_en": value}],
        challenges=[{"key": "hostile", "name_sv": value, "name_en": value}],
    )
    return record


def import_open_data_file(world: Any, value: Value, tmp_path: Path) -> None:
    text = value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value
    path = tmp_path / "innovations.json"
    record = _open_data_record(world, text, "https://other.example/sv/x/bank/y/")
    path.write_bytes(json.dumps([record]).encode("utf-8", "surrogatepass"))
    call_command("import_open_data", str(path), "--publish-directly", stdout=io.StringIO())


def import_open_data_api(world: Any, value: Value, tmp_path: Path) -> None:
    from django.conf import settings

    text = value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value
    with hostile_source() as source:
        source.page([_open_data_record(world, text, source.url("/sv/x/bank/y/"))])
        before = settings.SOIN_EXCHANGE_ALLOWED_SOURCES
        settings.SOIN_EXCHANGE_ALLOWED_SOURCES = [source.origin]
        try:
            call_command("import_open_data", source.api, "--publish-directly", stdout=io.StringIO())
        finally:
            settings.SOIN_EXCHANGE_ALLOWED_SOURCES = before


IMPORTERS: dict[str, Importer] = {
    "ideas (CSV, import_ideas)": import_ideas_csv,
    "newsletter subscribers (CSV)": import_subscribers_csv,
    "open data (files, import_open_data)": import_open_data_file,
    "open data (another installation's API, import_open_data)": import_open_data_api,
}

# The modules that read files or fetch addresses, and the importers above that run them.
READERS = {
    "soin/ideas/importer.py": ["ideas (CSV, import_ideas)"],
    "soin/newsletter/services.py": ["newsletter subscribers (CSV)"],
    "soin/api/exchange.py": [
        "open data (files, import_open_data)",
        "open data (another installation's API, import_open_data)",
    ],
    "soin/core/fetch.py": ["open data (another installation's API, import_open_data)"],
}
# Modules that read or fetch, but nothing anyone else wrote into the database.
NOT_IMPORTERS = {
    "soin/meaning/evaluation.py": "the evaluation set shipped in soin/meaning/data",
    "soin/meaning/search_evaluation.py": "the search evaluation set shipped in soin/meaning/data",
    "soin/core/benchmarks.py": "the benchmarks' own servers, on loopback",
    "soin/core/paging.py": "a page key from the address, tried with the query parameters",
    "soin/core/deploy.py": "the static files' manifest collectstatic wrote",
    "soin/regions/reference.py": "Sweden's regions and municipalities, from regions/data",
    "soin/reports/charts.py": "the seats of the schematic maps, from regions/data",
    "soin/core/backups.py": "a backup this installation wrote, restored by its operator",
    "soin/retention/erasure.py": "the erasure journal this installation wrote",
}
