"""Writing the open data as files, and reading another installation's open data (its files
or its API) into this one's knowledge bank."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from soin.api import records
from soin.core.cleaning import clean_text
from soin.core.exports import table_csv
from soin.core.fetch import FetchRefused, Limits, fetch
from soin.core.uploads import IMAGES, MAX_UPLOAD_BYTES, sniff
from soin.knowledge import selectors
from soin.knowledge.models import Entry, ExchangeSource
from soin.knowledge.services import (
    ImportedImage,
    OriginMismatch,
    entry_import,
    entry_import_needed,
)

# What one reading of another installation may cost, whatever it says about itself.
PER_PAGE = 100
MAX_PAGES = 100  # 10 000 entries
MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = MAX_UPLOAD_BYTES
DEADLINE = 60  # seconds for one page or one image, from the first byte asked to the last read
MAX_REDIRECTS = 3

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


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _is_image(content_type: str) -> bool:
    return content_type.startswith("image/")


def _limits(max_bytes: int, timeout: float) -> Limits:
    return Limits(
        max_bytes=max_bytes,
        connect_timeout=timeout,
        read_timeout=timeout,
        deadline=max(timeout, DEADLINE),
        max_redirects=MAX_REDIRECTS,
    )


def normal_origin(address: str) -> str:
    """Return ``address`` as an origin to compare: the scheme and host in lower case, no
    default port, no trailing slash, no ``/api/v1``."""
    parts = urllib.parse.urlsplit(address.strip())
    if not parts.scheme or not parts.netloc:
        return address.strip().rstrip("/")
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host + (f":{port}" if port and port != default else "")
    path = parts.path.rstrip("/").removesuffix("/api/v1").rstrip("/")
    return f"{parts.scheme.lower()}://{netloc}{path}"


@dataclass
class Reading:
    """What was read from a source: its records, its origin, and anything to tell."""

    records: list[Any]
    origin: str
    notes: list[str] = field(default_factory=list)
    from_files: bool = False


def _from_api(base: str, timeout: float, max_pages: int) -> Reading:
    reading = Reading(records=[], origin=normal_origin(base))
    page, pages = 1, 1
    while page <= pages:
        if page > max_pages:
            reading.notes.append(
                _("Stopped after %(max)s pages; the source says it has %(pages)s.")
                % {"max": max_pages, "pages": pages}
            )
            break
        query = urllib.parse.urlencode({"page": page, "per_page": PER_PAGE, "sort": "newest"})
        url = f"{base.rstrip('/')}/innovations?{query}"
        try:
            fetched = fetch(url, limits=_limits(MAX_PAGE_BYTES, timeout), accept=_is_json)
            data = json.loads(fetched.body)
        except FetchRefused as error:
            raise ValidationError(str(error)) from error
        except (UnicodeDecodeError, ValueError) as error:
            raise ValidationError(_("%(url)s is not JSON.") % {"url": url}) from error
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("results"), list)
            or not isinstance(data.get("pages"), int)
        ):
            raise ValidationError(_("%(url)s is not a page of innovations.") % {"url": url})
        reading.records.extend(data["results"])
        pages = data["pages"]
        page += 1
    return reading


def read_innovations(source: str, timeout: float = 30, max_pages: int = MAX_PAGES) -> Reading:
    """Return the innovation records of ``source`` (a folder written by export_open_data, its
    innovations.json, or the address of another installation's API, …/api/v1) and the name of
    the origin to record; at most ``max_pages`` pages of an API (never more than MAX_PAGES)."""
    if source.startswith(("http://", "https://")):
        return _from_api(source, timeout, min(max_pages, MAX_PAGES))
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
    return Reading(
        records=data,
        origin=normal_origin(f"{parts.scheme}://{parts.netloc}") if parts.netloc else str(path),
        from_files=True,
    )


def fetch_image(url: str, timeout: float) -> tuple[bytes, str, str] | None:
    """Return (content, content type, ending) of the PNG or JPEG image at ``url``, checked by
    its content and size; None for anything else or when it cannot be fetched."""
    try:
        data = fetch(url, limits=_limits(MAX_IMAGE_BYTES, timeout), accept=_is_image).body
    except FetchRefused:
        return None
    kind = sniff(data[:16], data)
    if kind is None or kind[1] not in IMAGES:
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


@dataclass
class Outcome:
    """What an import did: counts per outcome and the identifiers of the records refused
    because they claimed an origin other than their source's."""

    counts: dict[str, int]
    mismatched: list[str] = field(default_factory=list)


def claimed_origin(record: dict[str, Any], origin: str, *, by_address: bool = False) -> str:
    """Return the origin ``record`` says it has: its own ``origin`` (an entry passed on), or
    else the source's (an entry of the source's own). For files (``by_address``), whose
    source is only named by its records, the installation of the record's own address."""
    claimed = normal_origin(str(record.get("origin") or ""))
    if not claimed and by_address:
        parts = urllib.parse.urlsplit(str(record.get("url") or ""))
        if parts.scheme and parts.netloc:
            claimed = normal_origin(f"{parts.scheme}://{parts.netloc}")
    return claimed or origin


def import_innovations(
    records_: list[Any],
    origin: str,
    source: ExchangeSource | None = None,
    timeout: float = 30,
    *,
    from_files: bool = False,
) -> Outcome:
    """Import every record (each in its own transaction) with its images, fetched from the
    addresses the record gives; return how many entries were created, updated, unchanged,
    refused and refused for their origin, and how many images could not be fetched.

    Only records of the source's own origin are taken in (any origin but this installation's
    from a source trusted as a relay); a record may never change an entry of another origin
    or one of this installation's own. New and changed entries wait in review unless the
    source publishes directly."""
    counts = {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "refused": 0,
        "mismatched": 0,
        "images_missing": 0,
    }
    outcome = Outcome(counts=counts)
    own = normal_origin(settings.SITE_URL)
    relay = bool(source and source.trusted_as_relay)
    for record in records_:
        if not isinstance(record, dict):
            counts["refused"] += 1
            continue
        claimed = claimed_origin(record, origin, by_address=from_files)
        uid = clean_text(str(record.get("id") or ""))[:100]
        if claimed == own:
            # Our own entry coming back (from a relay such as the national bank): ours is
            # the original, and no record changes it.
            if _is_uuid(uid) and Entry.objects.filter(uid=uid, origin="").exists():
                counts["unchanged"] += 1
            else:
                counts["mismatched"] += 1
                outcome.mismatched.append(uid)
            continue
        if claimed != origin and not relay:
            counts["mismatched"] += 1
            outcome.mismatched.append(uid)
            continue
        images = _images(record, timeout, counts) if entry_import_needed(record, claimed) else []
        try:
            _entry, result = entry_import(
                record=record,
                origin=claimed,
                images=images,
                publish=bool(source and source.publish_directly),
            )
        except OriginMismatch:
            counts["mismatched"] += 1
            outcome.mismatched.append(uid)
        except ValidationError:
            counts["refused"] += 1
        else:
            counts[result] += 1
    return outcome


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
