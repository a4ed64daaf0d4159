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
from soin.knowledge import selectors
from soin.knowledge.services import entry_import

README = """# Open data from {site}

Written {written} by `python manage.py export_open_data`. The same data as the API at
{site}/api/v1/ (documented at {site}/api/v1/docs).

Licence: {licence} ({licence_url}). No personal data: no contact person, registrant or
subscriber; an idea carrier is named only where they agreed to it; ideas only as counts.

Each table is given twice: as JSON (a list of records, UTF-8) and as CSV (UTF-8 with a byte-order mark, separated by
semicolons as Swedish spreadsheets expect, a header row, lists joined by " | "; a cell that
would start a spreadsheet formula, with = + - or @, begins with an apostrophe).

## innovations.json, innovations.csv — the knowledge bank's published entries

| field | meaning |
|---|---|
| id | stable identifier (UUID), the same in every installation that holds the entry |
| url | the entry's public page |
| partnership | the partnership that published it: slug, name_sv, name_en, region (CSV: its slug) |
| region | code (länskod), name_sv, name_en (CSV: the code) |
| municipality | code (kommunkod) and name, or empty |
| kind | idea (an idea the partnership worked with) or existing (an existing solution found in a research circle) |
| title_sv, title_en | the title in Swedish and English |
| summary_sv, summary_en | a few sentences about what it is and does |
| story_sv, story_en | how it came about, who took part, what it led to |
| solution_type | social_enterprise, service, education, working_method, association, product, event, other |
| challenges | societal challenges: key, name_sv, name_en (CSV: the keys) |
| new_for | whom it is new for: target_group, locality, municipality, region, country, europe |
| evidence_level | none, experience, documented, evaluated, independent |
| can_spread | yes, no, unknown |
| organisations | the organisations involved |
| carrier | the idea carrier, only where they agreed to be named |
| links | url, label_sv, label_en (CSV: the addresses) |
| images | url, alt_sv, alt_en (JSON only) |
| published_at | first published (UTC, ISO 8601) |
| updated_at | last changed where it was written (UTC, ISO 8601) |
| origin | empty when written here; else the installation it came from |

## activities.json, activities.csv — public activities

| field | meaning |
|---|---|
| id | identifier, stable within this installation |
| url, ical | the event's page and its iCalendar file |
| partnership | the partnership's slug |
| kind | plenary, working_committee, coordination, experience_seminar, learning_seminar, research_circle, outreach_stop, fair |
| title_sv, title_en, description_sv, description_en | texts (descriptions in JSON only) |
| starts_at, ends_at | UTC, ISO 8601 |
| place, address | where |
| municipality | code and name, or empty |
| hosts | the organisations that arrange it |
| cancelled | true when cancelled |
| registration_open, registration_deadline | whether it takes registrations, and until when |

## partners.json, partners.csv — the partners today

| field | meaning |
|---|---|
| id | identifier, stable within this installation |
| url | the partner's public page |
| partnership | the partnership's slug |
| name | the organisation's name |
| kind | municipality, region, county_board, university, coordination_association, employment_service, study_association, foundation, association, cooperative_development, sports_federation, folk_high_school, business |
| sector | public, civil_society, business |
| municipality | code and name, or empty |
| website | its website |
| partner_since | the first day of its first membership |
| coordinator | whether it coordinates the partnership |

## statistics.json — figures per partnership (counts only)

partnership, region; partners (total, by_sector); ideas (total, by_year, by_challenge,
by_channel); innovations (published, by_challenge); activities (by_year_and_kind); newsletter
(subscribers: those who receive it now).
"""


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


def import_innovations(records_: list[dict[str, Any]], origin: str) -> dict[str, int]:
    """Import every record (each in its own transaction); return how many were created,
    updated, unchanged and refused."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
    for record in records_:
        if not isinstance(record, dict):
            counts["refused"] += 1
            continue
        try:
            _entry, outcome = entry_import(
                record=record, origin=str(record.get("origin") or origin)
            )
        except ValidationError:
            counts["refused"] += 1
        else:
            counts[outcome] += 1
    return counts
