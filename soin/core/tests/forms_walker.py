"""Find every form of the site and fill it in: the pages come from the access rules, the forms
from the pages' HTML, so a new form is tried as soon as its page has a rule.

``forms_on`` parses the ``<form method="post">`` elements of a page; ``Form.baseline`` gives
each field a value the form should accept (the current one, a valid option, a plausible text);
``Form.body`` encodes a submission, also with raw bytes that are not UTF-8.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.urls import Resolver404, resolve

Value = str | bytes

TEXT_TYPES = {"text", "search", ""}
# Typed inputs: the browser checks them, the server must too.
TYPED_TYPES = {"email", "url", "number", "date", "time", "datetime-local", "tel", "password"}
NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, typed, hidden, select, radio, checkbox, honeypot
    input_type: str = ""
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    required: bool = False
    multiple: bool = False
    checked: bool = False
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def free_text(self) -> bool:
        return self.kind in ("text", "textarea")


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """Forms sent to the same view with the same fields are one form: the logout button
        and the language switch on every page, the same form on each record's page."""
        path = local_path(self.action) or self.action
        try:
            view = resolve(urlsplit(path).path).view_name
        except Resolver404:
            view = path
        return (view, tuple(sorted({f.name for f in self.fields})))

    def names(self, *kinds: str) -> list[str]:
        return sorted({f.name for f in self.fields if f.kind in kinds and f.name})

    def baseline(self) -> dict[str, list[str]]:
        """A value for each field that a person filling in the form in good faith might send."""
        data: dict[str, list[str]] = {}
        radios: dict[str, list[Field]] = {}
        for f in self.fields:
            if not f.name or f.kind == "honeypot":
                continue
            if f.kind == "radio":
                radios.setdefault(f.name, []).append(f)
            elif f.kind == "checkbox":
                if f.checked or f.required:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = f.selected or [o for o in f.options if o][:1] or f.options[:1]
                data[f.name] = chosen if f.multiple else chosen[:1]
            elif f.kind == "hidden":
                data.setdefault(f.name, []).append(f.value)
            else:
                data[f.name] = [f.value or plausible(f)]
        for name, group in radios.items():
            checked = [f.value for f in group if f.checked]
            data[name] = checked or [group[0].value]
        return data

    def body(self, data: dict[str, list[Value]]) -> tuple[bytes, str]:
        """Encode ``data`` as the browser would (each str as UTF-8, bytes as they are)."""
        if self.multipart:
            return multipart(data)
        pairs = [
            f"{quote(name)}={quote(value)}" for name, values in data.items() for value in values
        ]
        return "&".join(pairs).encode("ascii"), "application/x-www-form-urlencoded"


BOUNDARY = "HostileBoundary7MA4YWxkTrZu0gW"


def quote(value: Value) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


def multipart(data: dict[str, list[Value]]) -> tuple[bytes, str]:
    lines: list[bytes] = []
    for name, values in data.items():
        for value in values:
            raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
            lines += [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{name}"'.encode(),
                b"",
                raw,
            ]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={BOUNDARY}"


def plausible(f: Field) -> str:
    """A value the field should accept."""
    today = datetime.date.today()
    if f.input_type == "email":
        return "kim.andersson@example.org"
    if f.input_type == "url":
        return "https://example.org/"
    if f.input_type == "number":
        return f.attrs.get("min") or "1"
    if f.input_type == "date":
        return (today + datetime.timedelta(days=30)).isoformat()
    if f.input_type == "time":
        return "10:00"
    if f.input_type == "datetime-local":
        return f"{today + datetime.timedelta(days=30)}T10:00"
    if f.input_type == "tel":
        return "019-12 34 56"
    if f.input_type == "password":
        return "Lingonris-i-Kilsbergen-42"
    return "Ett samtal om grannskap" if f.required else ""


class FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: str | None = None
        self.option_selected = False
        self.textarea: Field | None = None
        # The depth of elements hidden from people (a honeypot's container).
        self.hidden_stack: list[bool] = []

    @property
    def hidden_from_people(self) -> bool:
        return any(self.hidden_stack)

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag not in VOID:
            self.hidden_stack.append(attrs.get("aria-hidden") == "true")
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                action = urljoin(self.page, attrs.get("action") or self.page)
                self.form = Form(
                    page=self.page,
                    action=action,
                    multipart=attrs.get("enctype", "") == "multipart/form-data",
                )
            return
        if self.form is None:
            return
        name = attrs.get("name", "")
        required = "required" in attrs
        if tag == "input":
            kind_of = attrs.get("type", "text").lower()
            if kind_of in NOT_SUBMITTED or not name:
                return
            if self.hidden_from_people:
                kind = "honeypot"
            elif kind_of == "hidden":
                kind = "hidden"
            elif kind_of in ("checkbox", "radio"):
                kind = kind_of
            elif kind_of in TYPED_TYPES:
                kind = "typed"
            else:
                kind = "text"
            self.form.fields.append(
                Field(
                    name=name,
                    kind=kind,
                    input_type=kind_of,
                    value=attrs.get("value", "on" if kind_of == "checkbox" else ""),
                    required=required,
                    checked="checked" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "textarea" and name:
            self.textarea = Field(
                name=name,
                kind="honeypot" if self.hidden_from_people else "textarea",
                input_type="textarea",
                required=required,
                attrs=attrs,
            )
            self.form.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = Field(
                name=name,
                kind="honeypot" if self.hidden_from_people else "select",
                input_type="select",
                required=required,
                multiple="multiple" in attrs,
                attrs=attrs,
            )
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = attrs.get("value")
            self.option_selected = "selected" in attrs
            if self.option is not None:
                self.select.options.append(self.option)
                if self.option_selected:
                    self.select.selected.append(self.option)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data
        elif self.select is not None and self.option is None and self.lasttag == "option":
            # An option without a value attribute submits its text.
            self.option = data.strip()
            self.select.options.append(self.option)
            if self.option_selected:
                self.select.selected.append(self.option)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.hidden_stack:
            self.hidden_stack.pop()
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def forms_on(html: str, page: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    parser.close()
    return parser.forms


def local_path(url: str) -> str | None:
    """The path and query of an address on this site, None for an address elsewhere."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Tables that a refused submission may still write to, and why.
VOLATILE_TABLES = {
    # Logging in and messages keep their state in the session.
    "django_session",
    # Rate limits count every attempt, a refused one too.
    "core_ratelimithit",
    # A friend tip clears the year-old tips first, whatever becomes of the new one.
    "newsletter_friendtip",
    # A public form's spent stamp, written with what the form stores: a friend tip answers
    # with a page of its own, not a redirect, and keeps nothing else the walker can see.
    "core_submissiontoken",
    # A refused login with a well-formed address (one of the Unicode equivalence kind) is a
    # failure that counts towards that address's lockout (django-axes).
    "axes_accessattempt",
}


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows: two equal fingerprints mean nothing was written."""
    digests = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in VOLATILE_TABLES or table not in existing or model._meta.proxy:
                continue
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.local_concrete_fields
            )
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(
                f"SELECT {columns} FROM {connection.ops.quote_name(table)} ORDER BY {pk}"
            )
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


class WriteRecorder:
    """Note the tables a request writes to (the session aside): a request that wrote nothing
    changed nothing, without comparing every table."""

    WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.I)

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = self.WRITE.match(sql)
        if match and match.group(1) not in VOLATILE_TABLES:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
