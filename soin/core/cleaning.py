"""The one rule for the characters stored text may hold.

Text reaches the database by many paths (forms, CSV and XLSX imports, another installation's
open data, management commands). Whatever the path, a stored text must be writable into every
document the project makes of it: Atom feeds and sitemaps (XML 1.0), iCalendar, DOCX (XML
inside) and PDF. So every text column is cleaned by ``clean_text`` when its row is saved (the
``pre_save`` receiver below, connected for every model of the project), and each writer cleans
again what it writes (``soin.core.text.xml_safe``), for rows written around ``save()``
(``update()``, ``bulk_create``, rows stored before this rule).

What the rule takes out, and why:

- C0 control characters other than tab, line feed and carriage return, and DEL: XML 1.0 cannot
  hold them (python-docx and Django's feed writer raise on them), no person types them, and
  they show as nothing or as a box;
- C1 control characters (U+0080 to U+009F): XML allows them but discourages them; in text
  they almost always are Windows-1252 bytes read as Latin-1. NEL (U+0085) is a line break in
  Unicode and becomes one;
- lone surrogates (U+D800 to U+DFFF), which no UTF-8 text can hold;
- the noncharacters U+FFFE and U+FFFF, which XML 1.0 cannot hold.

Bidirectional formatting characters (embeddings, overrides, isolates) are kept: they are text a
person may mean, in Arabic or Persian names for example. An embedding or isolate left open at
the end of a line is closed there, so that the value cannot turn around the text that follows
it on a page or in a document.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

NEL = "\x85"
# What XML 1.0 and the documents cannot hold, and what no person types (see above).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The part of it a form refuses with a page saying why (soin/core/unreadable.py) rather than
# storing the text without it: what a person pasted by mistake and should see was not kept.
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What UNSTORABLE finds, and bidirectional openers, as a pattern both databases' regular
# expressions read (PostgreSQL holds neither NUL nor surrogates, so neither is looked for
# there): for finding the rows stored before the rule.
STORED_UNSTORABLE = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2068]"

# Bidirectional formatting: openers and what closes them.
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
PDF, PDI = "\u202c", "\u2069"
BIDI_FOUND = re.compile("[\u202a-\u202e\u2066-\u2069]")
PARAGRAPH_ENDS = frozenset("\n\r\x1c\x1d\x1e\u2029")


def _open_at_end(line: str) -> list[str]:
    """The embeddings and isolates ``line`` leaves open, innermost last (UAX #9's matching:
    a PDF closes the innermost embedding inside the current isolate, a PDI the innermost
    isolate and every embedding inside it)."""
    stack: list[str] = []
    for char in line:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == PDF and stack and stack[-1] in EMBEDDINGS:
            stack.pop()
        elif char == PDI and any(c in ISOLATES for c in stack):
            while stack.pop() not in ISOLATES:
                pass
    return stack


def _balance(text: str, max_length: int | None) -> str:
    if not BIDI_FOUND.search(text):
        return text
    lines = re.split("([\n\r\x1c\x1d\x1e\u2029])", text)
    closed = []
    for line in lines:
        if line in PARAGRAPH_ENDS:
            closed.append(line)
            continue
        stack = _open_at_end(line)
        closers = "".join(PDI if c in ISOLATES else PDF for c in reversed(stack))
        closed.append(line + closers)
    balanced = "".join(closed)
    if max_length is None or len(balanced) <= max_length:
        return balanced
    # No room to close them: the openers left open go instead.
    return "".join(
        "".join(c for c in line if c not in EMBEDDINGS and c not in ISOLATES)
        if _open_at_end(line)
        else line
        for line in lines
    )


def clean_text(value: str, max_length: int | None = None) -> str:
    """Return ``value`` with the characters no stored text may hold taken out (a NEL made a
    line feed) and its open bidirectional embeddings closed at the end of each line; never
    longer than ``max_length`` when ``value`` was not."""
    if UNSTORABLE.search(value):
        value = UNSTORABLE.sub(lambda m: "\n" if m.group() == NEL else "", value)
    return _balance(value, max_length)


@cache
def _text_fields(model: Any) -> tuple[tuple[str, int | None], ...]:
    from django.db import models

    return tuple(
        (field.attname, getattr(field, "max_length", None))
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    )


def clean_instance(instance: Any) -> None:
    """Clean every text field of ``instance`` in place."""
    model: Any = type(instance)
    for attname, max_length in _text_fields(model):
        value = getattr(instance, attname)
        if isinstance(value, str):
            cleaned = clean_text(value, max_length)
            if cleaned != value:
                setattr(instance, attname, cleaned)


def _before_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if sender.__module__.startswith("soin."):
        clean_instance(instance)


def connect() -> None:
    """Clean the text fields of every model of the project before each save."""
    from django.db.models.signals import pre_save

    pre_save.connect(_before_save, dispatch_uid="soin.core.cleaning")
