"""Long lists a page at a time by keyset: the next page starts after the last row shown,
found through the list's own order (an index), so page 500 costs what page 1 costs; an
offset would make the database count past every row before it.

A page's links carry the key of the row they start from (``after`` or ``before``), encoded
so that it is opaque and safe in an address; a key that cannot be read gives the first page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

PER_PAGE = 50


@dataclass
class KeysetPage:
    rows: list[Any]
    total: int
    next_key: str
    previous_key: str
    # Beside other lists on the same page, each has its own parameters (``<prefix>after``).
    prefix: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_key)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_key)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def links(self, query: Any) -> dict[str, str]:
        """The query strings of the first, previous and next page, keeping the list's other
        parameters (its filters) from ``query`` (``request.GET``)."""
        after, before = f"{self.prefix}after", f"{self.prefix}before"
        kept = [(k, v) for k, v in query.items() if k not in (after, before)]
        links = {"first": urlencode(kept)}
        if self.previous_key:
            links["previous"] = urlencode([*kept, (before, self.previous_key)])
        if self.next_key:
            links["next"] = urlencode([*kept, (after, self.next_key)])
        return links


def _fields(order: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in order]


def _encode(row: Any, fields: list[tuple[str, bool]]) -> str:
    values = [str(getattr(row, name)) for name, _desc in fields]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(key: str, model: Any, fields: list[tuple[str, bool]]) -> list[Any] | None:
    try:
        raw = json.loads(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)))
        if not isinstance(raw, list) or len(raw) != len(fields):
            return None
        values = [
            model._meta.get_field("id" if name == "pk" else name).to_python(value)
            for (name, _desc), value in zip(fields, raw, strict=True)
        ]
    except (ValueError, TypeError, ValidationError, binascii.Error, UnicodeDecodeError):
        return None
    # A key made by hand may hold what no column holds; the database would refuse it.
    if any(
        (isinstance(v, int) and not -(2**63) <= v < 2**63) or (isinstance(v, str) and "\x00" in v)
        for v in values
    ):
        return None
    return values


def _beyond(fields: list[tuple[str, bool]], values: list[Any], forward: bool) -> Q:
    """The rows after ``values`` in the order (or, not ``forward``, before them)."""
    condition = Q()
    for i, (name, descending) in enumerate(fields):
        same = {f: v for (f, _d), v in zip(fields[:i], values[:i], strict=True)}
        lookup = "lt" if descending == forward else "gt"
        condition |= Q(**same, **{f"{name}__{lookup}": values[i]})
    return condition


def keyset_page(
    queryset: QuerySet[Any],
    *,
    order: Sequence[str],
    after: str = "",
    before: str = "",
    per_page: int = PER_PAGE,
    prefix: str = "",
) -> KeysetPage:
    """One page of ``queryset`` in ``order`` (fields that are never empty, the last one
    unique, e.g. ``("-received_on", "-pk")``), starting after the row of ``after`` or ending
    before the row of ``before`` (read from ``<prefix>after`` and ``<prefix>before`` by the
    caller; the links use the same names); three queries (the count, the page and what it
    prefetches) whatever the page."""
    fields = _fields(order)
    total = queryset.count()
    model = queryset.model
    values = _decode(before, model, fields) if before else None
    if values is not None:
        backwards = [name.lstrip("-") if name.startswith("-") else f"-{name}" for name in order]
        rows = list(
            queryset.filter(_beyond(fields, values, False)).order_by(*backwards)[: per_page + 1]
        )
        more = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows=rows,
            total=total,
            next_key=_encode(rows[-1], fields) if rows else "",
            previous_key=_encode(rows[0], fields) if more else "",
            prefix=prefix,
        )
    values = _decode(after, model, fields) if after else None
    chosen = queryset.filter(_beyond(fields, values, True)) if values is not None else queryset
    rows = list(chosen.order_by(*order)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows=rows,
        total=total,
        next_key=_encode(rows[-1], fields) if more else "",
        previous_key=_encode(rows[0], fields) if values is not None and rows else "",
        prefix=prefix,
    )
