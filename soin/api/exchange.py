"""Writing the open data as files, and reading another installation's open data (its files
or its API) into this one's knowledge bank."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from soin.api import records
from soin.core.exports import table_csv
from soin.core.uploads import MAX_UPLOAD_BYTES, sniff
from soin.knowledge import selectors
from soin.knowledge.services import ImportedImage, entry_import, entry_import_needed

# The README written beside the files; its fields are filled in by export().
README = (Path(__file__).parent / "open_data_readme.md").read_text(encoding="utf-8")


def export(output: Path) -> dict[str, int]:
    """Write every open data table to ``output`` as JSON and CSV with a README; return the
    number of records in each."""
    from django.utils import timezone

    output.mkdir(parents=True, exist_ok=True)
    innovations = [
        records.innovation_record(e)
        for e in selectors.with_details(selectors.published_entries()).order_by("uid")
    ]
    activities = [records.activity_record(a) for a in records.public_activities()]
    partners = [records.partner_record(o) for o in records.partners()]
    tables = {
        "innovations": (innovations, records.INNOVATION_COLUMNS, records.innovation_row),
        "activities": (activities, records.ACTIVITY_COLUMNS, records.activity_row),
        "partners": (partners, records.PARTNER_COLUMNS, records.partner_row),
    }
    for name, (rows, columns, flatten) in tables.items():
        _write_json(output / f"{name}.json", rows)
        (output / f"{name}.csv").write_bytes(table_csv(columns, [flatten(r) for r in rows]))
    _write_json(output / "statistics.json", records.statistics())
    (output / "README.md").write_text(
        README.format(
            site=settings.SITE_URL,
            written=timezone.now().date().isoformat(),
            licence=records.LICENCE_NAME,
            licence_url=records.LICENCE_URL,
        ),
        encoding="utf-8",
    )
    return {name: len(rows) for name, (rows, _c, _f) in tables.items()}


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _from_api(base: str, timeout: float) -> Iterator[dict[str, Any]]:
    page, pages = 1, 1
    while page <= pages:
        query = urllib.parse.urlencode({"page": page, "per_page": 100, "sort": "newest"})
        with urllib.request.urlopen(
            f"{base.rstrip('/')}/innovations?{query}", timeout=timeout
        ) as r:
            data = json.load(r)
        yield from data["results"]
        pages = data["pages"]
        page += 1


def read_innovations(source: str, timeout: float = 30) -> tuple[list[dict[str, Any]], str]:
    """Return the innovation records of ``source`` (a folder written by export_open_data, its
    innovations.json, or the address of another installation's API, …/api/v1) and the name of
    the origin to record."""
    if source.startswith(("http://", "https://")):
        return list(_from_api(source, timeout)), source.rstrip("/").removesuffix("/api/v1")
    path = Path(source)
    if path.is_dir():
        path = path / "innovations.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path}: {error}") from error
    if not isinstance(data, list):
        raise ValidationError(f"{path}: not a list of innovations")
    origin = next((str(r.get("url", "")) for r in data if isinstance(r, dict)), "")
    parts = urllib.parse.urlsplit(origin)
    return data, f"{parts.scheme}://{parts.netloc}" if parts.netloc else str(path)


def fetch_image(url: str, timeout: float) -> tuple[bytes, str, str] | None:
    """Return (content, content type, ending) of the PNG or JPEG image at ``url``, checked by
    its content and size; None for anything else or when it cannot be fetched."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read(MAX_UPLOAD_BYTES + 1)
    except (OSError, ValueError):
        return None
    kind = sniff(data[:16], data)
    if len(data) > MAX_UPLOAD_BYTES or kind is None or not kind[0].startswith("image/"):
        return None
    return data, kind[0], kind[1]


def _images(record: dict[str, Any], timeout: float, counts: dict[str, int]) -> list[ImportedImage]:
    images = []
    for item in record.get("images") or []:
        if not isinstance(item, dict):
            continue
        fetched = fetch_image(str(item.get("url") or ""), timeout)
        if fetched is None:
            counts["images_missing"] += 1
            continue
        images.append(
            ImportedImage(*fetched, str(item.get("alt_sv") or ""), str(item.get("alt_en") or ""))
        )
    return images


def import_innovations(
    records_: list[dict[str, Any]], origin: str, timeout: float = 30
) -> dict[str, int]:
    """Import every record (each in its own transaction) with its images, fetched from the
    addresses the record gives; return how many entries were created, updated, unchanged and
    refused, and how many images could not be fetched."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0, "images_missing": 0}
    for record in records_:
        if not isinstance(record, dict):
            counts["refused"] += 1
            continue
        images = _images(record, timeout, counts) if entry_import_needed(record) else []
        try:
            _entry, outcome = entry_import(
                record=record, origin=str(record.get("origin") or origin), images=images
            )
        except ValidationError:
            counts["refused"] += 1
        else:
            counts[outcome] += 1
    return counts
