"""Reading ideas from a spreadsheet (CSV or XLSX) into a partnership: every row is checked
before anything is written, and then all rows are imported in one transaction.

The columns are documented in docs/ideas-import.md.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from soin.ideas import services
from soin.ideas.models import Challenge, Idea
from soin.partners.models import Organisation
from soin.regions.models import Municipality, Partnership

HEADERS = {
    "title": ("title", "idé", "ide", "idea"),
    "description": ("description", "beskrivning"),
    "carrier_category": ("carrier_category", "idébärare", "carrier"),
    "challenges": (
        "challenges",
        "relation till samhällsutmaning",
        "samhällsutmaning",
        "samhällsutmaningar",
    ),
    "handling": ("handling", "hur hanteras idén", "hantering"),
    "received_on": ("received_on", "datum", "date"),
    "municipality": ("municipality", "kommun"),
    "carrier_name": ("carrier_name", "namn", "name"),
    "carrier_email": ("carrier_email", "e-post", "email"),
    "carrier_phone": ("carrier_phone", "telefon", "phone"),
    "carrier_organisation": ("carrier_organisation", "organisation"),
}

CATEGORY_WORDS = {
    Idea.CarrierCategory.PRIVATE: ("privatperson", "private"),
    Idea.CarrierCategory.ASSOCIATION: ("förening", "association"),
    Idea.CarrierCategory.COMPANY: ("företag", "company", "business"),
    Idea.CarrierCategory.PUBLIC: ("offentlig", "kommun", "myndighet", "public"),
    Idea.CarrierCategory.SEVERAL: ("flera", "several"),
}


def _normal(text: str) -> str:
    return re.sub(r"[\s\-–—]+", " ", text.replace("-\n", "")).strip().lower()


@dataclass
class Row:
    number: int
    fields: dict[str, Any]
    challenges: list[Challenge]
    handling: str
    received_on: datetime.date
    errors: list[str] = field(default_factory=list)


def read_table(path: Path) -> list[dict[str, str]]:
    """Return the data rows of a CSV (comma or semicolon) or XLSX file as dicts by header."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        assert sheet is not None
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = path.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
        values = list(csv.reader(io.StringIO(text), dialect))
    if not values:
        return []
    headers = [h.strip().lower() for h in values[0]]
    return [dict(zip(headers, row, strict=False)) for row in values[1:]]


def _column(raw: dict[str, str], name: str) -> str:
    for header in HEADERS[name]:
        if header in raw:
            return (raw[header] or "").strip()
    return ""


def _category(text: str) -> str | None:
    words = _normal(text)
    if not words:
        return None
    if "," in text or " och " in words:
        return Idea.CarrierCategory.SEVERAL
    for category, stems in CATEGORY_WORDS.items():
        if any(words.startswith(stem) or stem in words.split() for stem in stems):
            return category
    return None


def parse(
    *, partnership: Partnership, table: list[dict[str, str]], received_on: datetime.date
) -> list[Row]:
    """Check every row and return them, each with its errors (empty when the row is good)."""
    municipalities = {
        m.name.lower(): m for m in Municipality.objects.filter(region=partnership.region)
    }
    challenges = list(Challenge.objects.filter(partnership__isnull=True)) + list(
        Challenge.objects.filter(partnership=partnership)
    )
    rows = []
    for index, raw in enumerate(table, start=2):  # row 1 is the header
        if not any((v or "").strip() for v in raw.values()):
            continue
        errors: list[str] = []
        title = _column(raw, "title")
        if not title:
            errors.append("the idea's name (title / Idé) is empty")
        category = _category(_column(raw, "carrier_category"))
        if category is None:
            errors.append(f"unknown carrier {_column(raw, 'carrier_category')!r}")
        cell = _normal(_column(raw, "challenges"))
        found = [
            c
            for c in challenges
            if _normal(c.name_sv) in cell or _normal(c.name_en) in cell or c.key == cell
        ]
        if cell and not found:
            errors.append(f"no societal challenge matches {_column(raw, 'challenges')!r}")
        day = received_on
        if _column(raw, "received_on"):
            try:
                day = datetime.date.fromisoformat(_column(raw, "received_on")[:10])
            except ValueError:
                errors.append(f"the date {_column(raw, 'received_on')!r} is not YYYY-MM-DD")
        municipality = None
        if _column(raw, "municipality"):
            municipality = municipalities.get(_column(raw, "municipality").lower())
            if municipality is None:
                errors.append(
                    f"{_column(raw, 'municipality')!r} is not a municipality in "
                    f"{partnership.region.name_sv}"
                )
        if day > datetime.date.today():
            errors.append(f"the date {day} is in the future")
        for name, limit in (
            ("carrier_name", 200),
            ("carrier_organisation", 200),
            ("carrier_phone", 40),
        ):
            if len(_column(raw, name)) > limit:
                errors.append(f"{name} is longer than {limit} characters")
        email = _column(raw, "carrier_email")
        if email:
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"{email!r} is not an e-mail address")
        rows.append(
            Row(
                number=index,
                fields={
                    "title": title[:200],
                    "description": _column(raw, "description") or title,
                    "carrier_category": category,
                    "municipality": municipality,
                    "carrier_name": _column(raw, "carrier_name"),
                    "carrier_email": email,
                    "carrier_phone": _column(raw, "carrier_phone"),
                    "carrier_organisation": _column(raw, "carrier_organisation"),
                },
                challenges=found,
                handling=_column(raw, "handling"),
                received_on=day,
                errors=errors,
            )
        )
    return rows


def _partner_named(text: str, organisations: list[Organisation]) -> Organisation | None:
    names = {o.name.lower(): o for o in organisations}
    words = _normal(text)
    for name, org in names.items():
        if name in words:
            return org
    # Spelling slips in hand-made tables ("Cocompanion").
    close = difflib.get_close_matches(words, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


def _handle(idea: Idea, text: str, actor: Any, organisations: list[Organisation]) -> None:
    words = _normal(text)
    if not words:
        return
    # Past years' ideas: nobody is mailed about steps taken long ago.
    idea = services.idea_move(idea=idea, actor=actor, move="take", note=text, notify=False)
    if "ansökan" in words or "application" in words:
        idea = services.idea_move(idea=idea, actor=actor, move="develop", notify=False)
        services.idea_record_outcome(
            idea=idea, actor=actor, outcome=Idea.Outcome.FUNDING_APPLICATION
        )
    elif "större grupp" in words or "extended" in words:
        services.idea_escalate(idea=idea, actor=actor, note=text)
    elif "idébär" in words or "idégivar" in words or "carrier" in words:
        services.idea_move(idea=idea, actor=actor, move="refined", note=text, notify=False)
    elif "slussen" in words:
        services.idea_record_outcome(
            idea=idea, actor=actor, outcome=Idea.Outcome.OUTSIDE_BODY, note=text
        )
    else:
        partner = _partner_named(text, organisations)
        if partner is not None:
            services.idea_move(
                idea=idea, actor=actor, move="refer", referred_to=partner, notify=False
            )


@transaction.atomic
def import_rows(
    *,
    partnership: Partnership,
    rows: Iterable[Row],
    actor: Any,
    channel: str,
    progress: Callable[[int], None] = lambda done: None,
) -> list[Idea]:
    """Import rows that passed ``parse`` without errors, all in one transaction."""
    organisations = list(partnership.organisations.all())
    ideas = []
    for done, row in enumerate(rows, start=1):
        if row.errors:
            raise ValidationError(f"row {row.number}: {'; '.join(row.errors)}")
        idea = services.idea_register(
            partnership=partnership,
            actor=actor,
            channel=channel,
            received_on=row.received_on,
            **row.fields,
        )
        if row.challenges:
            services.idea_document(idea=idea, actor=actor, challenges=row.challenges)
        _handle(idea, row.handling, actor, organisations)
        ideas.append(idea)
        progress(done)
    return ideas
