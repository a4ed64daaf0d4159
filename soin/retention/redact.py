"""Removing a person's details from text that is kept: a record's free text, a timeline's
note, the copies of a record in the audit log. Used by every app's ``<entity>_anonymise``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

# What stands where a person's detail was.
MARK = "[…]"
# The address an anonymised record keeps where an address is required: unique per row, never
# deliverable (the .invalid top-level domain is reserved, RFC 2606).
ERASED_DOMAIN = "erased.invalid"


def erased_address(pk: int) -> str:
    """Return the stand-in address of row ``pk``."""
    return f"erased-{pk}@{ERASED_DOMAIN}"


def words_of(*values: str) -> list[str]:
    """Return the details worth looking for in other text: each value trimmed, empty ones and
    duplicates dropped, longest first so a full name is replaced before a part of it."""
    seen: dict[str, str] = {}
    for value in values:
        value = (value or "").strip()
        if len(value) >= 3 and value.lower() not in seen:
            seen[value.lower()] = value
    return sorted(seen.values(), key=len, reverse=True)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w for w in words if w]
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def redact(text: str, words: Iterable[str]) -> str:
    """Return ``text`` with every occurrence of ``words`` (any case) replaced by ``MARK``."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return text
    return pattern.sub(MARK, text)


def redact_json(value: Any, words: Iterable[str]) -> Any:
    """Return a copy of a JSON value with ``words`` removed from every string in it."""
    pattern = _pattern(words)
    if pattern is None:
        return value

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return pattern.sub(MARK, v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value)


def mentions(text: str, words: Iterable[str]) -> bool:
    """Return whether ``text`` holds any of ``words`` (any case)."""
    pattern = _pattern(words)
    return bool(pattern and text and pattern.search(text))


def json_mentions(value: Any, words: Iterable[str]) -> bool:
    """Return whether any string in a JSON value holds any of ``words``."""
    if value is None:
        return False
    return mentions(json.dumps(value, ensure_ascii=False), words)


def redact_rows(queryset: Any, fields: Iterable[str], words: Iterable[str]) -> int:
    """Remove ``words`` from the text ``fields`` of every row of ``queryset``; return how many
    rows changed. Rows are written with ``update`` so no timestamp or signal is touched."""
    words = list(words)
    fields = list(fields)
    changed = 0
    if not words:
        return 0
    for row in queryset.only("pk", *fields):
        values = {}
        for name in fields:
            old = getattr(row, name)
            new = redact_json(old, words) if not isinstance(old, str) else redact(old, words)
            if new != old:
                values[name] = new
        if values:
            type(row).objects.filter(pk=row.pk).update(**values)
            changed += 1
    return changed


def redact_audit(instance: Any, words: Iterable[str]) -> int:
    """Remove ``words`` from the audit log's copies of ``instance`` (its description and the
    record before and after each change); return how many entries changed."""
    from soin.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        model=instance._meta.label_lower, object_pk=str(instance.pk)
    )
    return redact_rows(entries, ["object_repr", "before", "after"], words)
