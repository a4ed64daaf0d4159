"""Hostile input on every form, every filter and every API parameter: markup and script, SQL
fragments, control and bidirectional characters, emoji, 100 000 characters, bytes that are not
UTF-8. Each gets a clear error or is stored and shown escaped: never a server error, never a
refused submission that wrote anything.

The forms are found, not listed: every page that an access rule lets the coordinator (or, for
public pages, anyone) open is rendered, and each ``<form method="post">`` on it is filled in
with hostile values (see ``forms_walker``). A new form is tried as soon as its page has a rule.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from soin.core import testing
from soin.core.emails import canonical_email
from soin.core.testing import COORDINATOR
from soin.core.tests.access_rules import ALL_RULES, FILES, Rule, page_reader
from soin.core.tests.forms_walker import (
    Form,
    Value,
    WriteRecorder,
    changed_tables,
    fingerprint,
    forms_on,
    local_path,
    quote,
)
from soin.core.tests.importers import IMPORTERS, NOT_IMPORTERS, READERS
from soin.core.tests.test_email_lookups import LOOKUPS

# One of each kind of hostile input; every one is tried on every form, filter and parameter.
HOSTILE: dict[str, Value] = {
    "script": "<script>alert(1)</script>",
    "attribute breakout": '"><img src=x onerror=alert(1)>',
    "javascript url": "javascript:alert(1)",
    "foreign url": "https://evil.example/",
    "sql drop": "'; DROP TABLE ideas_idea; --",
    "sql or": "' OR 1=1 --",
    "nul": "Före\x00efter",
    "c0 controls": "".join(chr(c) for c in range(1, 32)) + "\x7f",
    "c1 controls": "a\x80b\x85c\x9fd",
    "bidi override": "\u202eexe.txt\u202c \u200f\u200e\u2067x\u2069",
    "zero width": "a\u200db\u200cc\u2060d\ufeffe",
    "combining": "Z\u0337\u0322\u034ea\u0338l\u0334g\u0335o\u0301\u0301\u0301",
    "emoji": "👩\u200d👩\u200d👧\u200d👦 🇸🇪 🏳️\u200d🌈 👍🏽",
    "astral and noncharacters": "𝕾𝖔𝖎𝖓 \U0010fffd \ufffe\uffff",
    "long": "Långt " * 16_667,  # 100 002 characters
    "header injection": "kim@example.org\r\nBcc: alla@example.org",
    "newline in a line": "Rubrik\r\nX-Injected: ja",
    "number overflow": "99999999999999999999",
    "negative": "-1",
    "invalid date": "2025-02-30",
    "format string": "%(name)s %s {0} {{ request }}",
    "latin-1 bytes": b"\xd6rebro l\xe4n",
    "overlong utf-8": b"\xc0\xaf\xe0\x80\xafetc",
    "bom": b"\xef\xbb\xbfBOM f\xc3\xb6rst",
    "encoded surrogate": b"\xed\xa0\x80",
    # Unicode equivalence: an address that only looks like another (a dotless i), and one
    # written with a decomposed accent and capitals (the same address as anna@malmö.se).
    # Every look-up of an address is tried with these and more in test_email_lookups.
    "lookalike address": "anna@k\u0131runa.se",
    "decomposed address": "Anna@MALMO\u0308.se",
}
assert len(HOSTILE["long"]) >= 100_000  # type: ignore[arg-type]

# What a hostile import source (another installation's server) tries, by the test that tries it.
HOSTILE_SOURCE = [
    "test_a_source_on_loopback_is_refused_unless_it_is_listed",
    "test_a_redirect_to_a_private_address_is_refused",
    "test_a_redirect_to_another_scheme_is_refused",
    "test_redirects_are_followed_a_few_times_only",
    "test_the_address_checked_is_the_one_connected_to",
    "test_an_image_on_loopback_is_not_fetched_unless_its_host_is_listed",
    "test_an_image_that_is_html_is_not_stored",
    "test_a_record_claiming_another_installations_origin_is_skipped_and_reported",
    "test_a_record_may_not_change_an_entry_of_another_origin",
    "test_a_record_claiming_the_identifier_of_a_local_entry_is_skipped",
    "test_a_file_of_records_is_checked_record_by_record",
    "test_an_import_stops_at_the_most_pages_whatever_the_source_says",
    "test_a_huge_answer_is_read_no_further_than_the_limit",
    "test_a_slow_answer_times_out",
    "test_an_answer_trickling_in_stops_at_the_deadline",
    "test_a_page_of_the_wrong_type_or_shape_is_refused",
    "test_control_characters_in_a_title_are_not_stored_and_the_feeds_still_answer",
]

GENERATED = st.one_of(
    st.sampled_from(list(HOSTILE.values())),
    st.text(max_size=80),
    st.text(
        alphabet=st.characters(categories=["Cc", "Cf", "Mn", "So", "Zl", "Zp", "Co"]),
        max_size=40,
    ),
    st.binary(min_size=1, max_size=24),
)

# Generated values on top of the explicit example of every kind above.
PROPERTY = settings(
    max_examples=3,
    # A failure is reported as found: shrinking it would cost hundreds of requests.
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# What a refused submission shows: a form's error summary, a field's error, an error message.
ERROR_SHOWN = re.compile(r'role="alert"|class="errorlist|message-error')
# Markup that must never come back unescaped.
RAW = re.compile(
    r"<script>alert\(|<img src=x onerror=|(?:href|src|action)\s*=\s*[\"']?\s*javascript:",
    re.IGNORECASE,
)

TALLY: Counter[str] = Counter()
FIGURES = Path(django_settings.BASE_DIR) / "var" / "test-figures" / "hostile.json"


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if not TALLY:
        return
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(dict(sorted(TALLY.items())), indent=2) + "\n")
    print(f"\nHostile inputs tried: {dict(sorted(TALLY.items()))} (written to {FIGURES})")


def with_examples(test: Any) -> Any:
    for value in HOSTILE.values():
        test = example(value=value)(test)
    return test


# Which app's views answer each URL name, to give each app its own test.
def view_apps(patterns: list[Any], namespace: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = entry.namespace or ""
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found |= view_apps(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "") or ""
            app = module.split(".")[1] if module.startswith("soin.") else "django"
            found[f"{namespace}:{entry.name}" if namespace else entry.name] = app
    return found


APP_OF = view_apps(get_resolver().url_patterns)


def rules_of(app: str) -> list[Rule]:
    return [r for r in ALL_RULES if APP_OF.get(r.name) == app and page_reader(r)]


APPS = sorted({APP_OF[r.name] for r in ALL_RULES if r.name in APP_OF and page_reader(r)})


class Visitor:
    """A browser of one role, whose cookies survive a submission that logs out or switches
    the language."""

    def __init__(self, world: Any, role: str) -> None:
        self.client = Client()
        user = world.users[role]
        if user is not None:
            login = getattr(testing, "login", None)
            if login is not None:
                login(self.client, user)
            else:
                self.client.force_login(user)

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, body: bytes, content_type: str) -> Any:
        cookies = copy.deepcopy(self.client.cookies)
        try:
            return self.client.generic("POST", path, body, content_type=content_type)
        finally:
            self.client.cookies = cookies


def html_of(response: Any) -> str:
    if "text/html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode("utf-8", "replace")


def assert_escaped(html: str, where: str) -> None:
    found = RAW.search(html)
    if found is not None:
        context = html[max(0, found.start() - 80) : found.end() + 80]
        raise AssertionError(f"{where} shows hostile markup unescaped: {context!r}")


def assert_clean_headers(response: Any, where: str) -> None:
    for header, value in response.items():
        assert "\r" not in value and "\n" not in value, f"{where}: header {header} {value!r}"
    location = response.get("Location", "")
    assert not location.lower().lstrip().startswith("javascript:"), f"{where}: {location!r}"
    assert local_path(location) is not None or not location, f"{where} redirects away: {location!r}"


def pages(world: Any, app: str) -> Iterator[tuple[str, Visitor, str, str]]:
    """Each page of ``app`` as its visitor sees it: (role, visitor, path, html)."""
    visitors: dict[str, Visitor] = {}
    for rule in rules_of(app):
        role = page_reader(rule)
        assert role is not None
        path = reverse(rule.name, kwargs=rule.kwargs(world))
        if FILES.search(path):
            continue
        if role not in visitors:
            visitors[role] = Visitor(world, role)
        response = visitors[role].get(path)
        assert response.status_code < 500, f"{role} GET {path}: {response.status_code}"
        html = html_of(response)
        if response.status_code == 200 and html:
            yield role, visitors[role], path, html


class Submission:
    """One hostile submission of a form and what it must lead to."""

    def __init__(self, visitor: Visitor, form: Form, baseline: dict[str, str]) -> None:
        self.visitor = visitor
        self.form = form
        self.baseline = baseline

    def send(self, data: dict[str, list[Value]], hostile: list[str]) -> None:
        path = local_path(self.form.action)
        assert path is not None
        body, content_type = self.form.body(data)
        where = f"POST {path} with {hostile} = {summary(data, hostile)}"
        value = data[hostile[0]][0] if hostile else ""
        self.markup = isinstance(value, str) and bool(re.search(r"<|javascript:", value, re.I))
        TALLY["form submissions"] += 1
        TALLY["form inputs (forms x fields x values)"] += len(hostile)
        with transaction.atomic():
            try:
                self.check(path, body, content_type, where)
            finally:
                transaction.set_rollback(True)

    def check(self, path: str, body: bytes, content_type: str, where: str) -> None:
        self.writes = WriteRecorder()
        with connection.execute_wrapper(self.writes):
            response = self.visitor.post(path, body, content_type)
        status = response.status_code
        assert status < 500, f"{where}: HTTP {status}"
        assert_clean_headers(response, where)
        html = html_of(response)
        assert_escaped(html, where)
        if status in (301, 302, 303):
            target = local_path(response["Location"])
            assert target is not None
            shown = self.visitor.get(target)
            assert shown.status_code < 500, f"{where}, then GET {target}: {shown.status_code}"
            shown_html = html_of(shown)
            if ERROR_SHOWN.search(shown_html):
                self.assert_nothing_written(where)
                return
            assert_escaped(shown_html, f"{where}, then GET {target}")
            if self.markup:
                # The page the form was on shows the record too (an edit form, a list).
                again = self.visitor.get(local_path(self.form.page) or self.form.page)
                assert again.status_code < 500, f"{where}, then GET {self.form.page}"
                assert_escaped(html_of(again), f"{where}, then GET {self.form.page}")
            TALLY["accepted and shown escaped"] += 1
            return
        if status == 200 and not ERROR_SHOWN.search(html):
            # A page answered rather than a form refused (a preview, a search): it must not
            # have written anything either way unless it says so.
            self.assert_nothing_written(where)
            TALLY["answered without an error"] += 1
            return
        if status in (200, 400):
            assert ERROR_SHOWN.search(html) or (status == 400 and html), (
                f"{where}: refused without saying why (HTTP {status})"
            )
        self.assert_nothing_written(where)
        TALLY["refused with an error"] += 1

    def assert_nothing_written(self, where: str) -> None:
        if not self.writes.tables:
            return
        # It wrote: the rows must all be back as they were (a service that refused after
        # writing rolled its transaction back).
        changed = changed_tables(self.baseline, fingerprint())
        assert not changed, f"{where}: refused, but wrote to {changed}"


def summary(data: dict[str, list[Value]], hostile: list[str]) -> str:
    if not hostile:
        return ""
    value = data[hostile[0]][0]
    return repr(value[:60]) + (f"… ({len(value)} characters)" if len(value) > 60 else "")


def fill(form: Form, names: list[str], value: Value) -> dict[str, list[Value]]:
    data: dict[str, list[Value]] = dict(form.baseline())  # type: ignore[arg-type]
    for name in names:
        data[name] = [value]
    return data


def try_form(visitor: Visitor, form: Form, baseline: dict[str, str]) -> None:
    """Every hostile value in the form's free-text fields (the rest filled in as a person
    would), then in its typed, hidden and choice fields (the free text left plausible)."""
    text = form.names("text", "textarea")
    typed = form.names("typed", "hidden", "select", "radio", "checkbox")
    typed = [n for n in typed if n != "csrfmiddlewaretoken"]
    submission = Submission(visitor, form, baseline)

    @PROPERTY
    @given(value=GENERATED)
    @with_examples
    def check(value: Value) -> None:
        if text:
            submission.send(fill(form, text, value), text)
        if typed:
            submission.send(fill(form, typed, value), typed)

    TALLY["forms"] += 1
    TALLY["form fields"] += len(text) + len(typed)
    check()


# A form on the pages of several apps (logging out, the language switch) is tried once.
TRIED_FORMS: set[tuple[str, tuple[str, ...]]] = set()


def forms_of(found_pages: list[tuple[Visitor, str, str]]) -> list[tuple[Visitor, Form]]:
    found = []
    for page_visitor, path, html in found_pages:
        for form in forms_on(html, f"http://testserver{path}"):
            if form.key in TRIED_FORMS or local_path(form.action) is None:
                continue
            TRIED_FORMS.add(form.key)
            found.append((page_visitor, form))
    return found


GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")


def query_names(html: str, path: str) -> set[str]:
    """The query parameters a page reads: the fields of its GET forms and the parameters of
    its links back to itself (paging, sorting)."""
    names = set()
    for form in GET_FORM.finditer(html):
        names |= set(FIELD_NAME.findall(form.group(1)))
    for match in re.finditer(r"href=\"([^\"]*\?[^\"]*)\"", html):
        link = match.group(1).replace("&amp;", "&")
        parts = urlsplit(link)
        if parts.path in ("", path):
            names |= {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
    return names - {"csrfmiddlewaretoken"}


def try_query(page_visitor: Visitor, path: str, names: list[str]) -> None:
    """Every parameter the page reads set to each hostile value at once."""

    @PROPERTY
    @given(value=GENERATED)
    @with_examples
    def check(value: Value) -> None:
        query_get(page_visitor, path, names, value)

    check()


def query_get(page_visitor: Visitor, path: str, names: list[str], value: Value) -> None:
    url = f"{path}?" + "&".join(f"{quote(name)}={quote(value)}" for name in names)
    TALLY["query parameters x values"] += len(names)
    response = page_visitor.get(url)
    where = f"GET {url[:300]}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert_clean_headers(response, where)
    assert_escaped(html_of(response), where)


# Parameters a page may read without offering them in a link or a form.
COMMON_PARAMETERS = ["page", "year", "q"]


@pytest.mark.parametrize("app", APPS)
def test_every_form_and_filter_refuses_or_escapes_hostile_input(app: str, world: Any) -> None:
    """Each form of the app's pages, then each page's query parameters (its filters, search
    and paging; the common ones on every page)."""
    found_pages = [(v, path, html) for _role, v, path, html in pages(world, app)]
    baseline = fingerprint()
    failures = []
    for page_visitor, form in forms_of(found_pages):
        try:
            try_form(page_visitor, form, baseline)
        except Exception as error:  # every form's failure is reported at once
            failures.append(f"{form.action} (from {form.page}): {error}")
    for page_visitor, path, html in found_pages:
        names = sorted(query_names(html, path))
        try:
            if names:
                TALLY["pages with query parameters"] += 1
                try_query(page_visitor, path, sorted({*names, *COMMON_PARAMETERS}))
            else:
                for value in (HOSTILE["number overflow"], HOSTILE["nul"], HOSTILE["latin-1 bytes"]):
                    query_get(page_visitor, path, COMMON_PARAMETERS, value)
        except Exception as error:  # every page's failure is reported at once
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


def api_operations(client: Client) -> list[tuple[str, dict[str, str], list[str]]]:
    """Each GET operation of the OpenAPI document: its path, its query parameters with
    their types, its path parameters."""
    document = client.get("/api/v1/openapi.json").json()
    operations = []
    for path, methods in document["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        query = {
            p["name"]: p.get("schema", {}).get("type", "") for p in parameters if p["in"] == "query"
        }
        in_path = [p["name"] for p in parameters if p["in"] == "path"]
        operations.append((path, query, in_path))
    return operations


def try_operation(
    client: Client, real: str, path: str, query: dict[str, str], in_path: list[str]
) -> None:
    """Every query parameter set to each hostile value at once; the text parameters alone
    (so that a refused number does not hide them); each path parameter."""
    text = [name for name, kind in query.items() if kind in ("string", "array", "")]

    @PROPERTY
    @given(value=GENERATED)
    @with_examples
    def check(value: Value) -> None:
        urls = []
        for names in ([*query], text):
            if names:
                TALLY["API parameters x values"] += len(names)
                urls.append(f"{real}?" + "&".join(f"{quote(n)}={quote(value)}" for n in names))
        for name in in_path:
            TALLY["API parameters x values"] += 1
            urls.append(path.replace("{" + name + "}", quote(value)))
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 400, 404, 422), (
                f"GET {url[:300]}: {response.status_code}"
            )

    check()


def test_every_api_parameter_refuses_hostile_values_cleanly(world: Any) -> None:
    client = Client()
    operations = api_operations(client)
    assert operations
    entry_uid = str(world.entry.uid)
    failures = []
    for path, query, in_path in operations:
        TALLY["API operations"] += 1
        try:
            try_operation(client, path.replace("{uid}", entry_uid), path, query, in_path)
        except Exception as error:  # every operation's failure is reported at once
            failures.append(f"{path}: {error}")
    assert not failures, "\n\n".join(failures)


def test_the_hostile_examples_cover_every_kind() -> None:
    kinds = {
        "markup": ["script", "attribute breakout", "javascript url"],
        "sql": ["sql drop", "sql or"],
        "control": ["nul", "c0 controls", "c1 controls"],
        "bidi": ["bidi override", "zero width", "combining"],
        "emoji": ["emoji", "astral and noncharacters"],
        "size": ["long", "number overflow"],
        "encoding": ["latin-1 bytes", "overlong utf-8", "bom", "encoded surrogate"],
        "headers": ["header injection", "newline in a line"],
        "unicode equivalence": ["lookalike address", "decomposed address"],
    }
    for names in kinds.values():
        assert set(names) <= set(HOSTILE)
    # And a hostile import source: each way another installation's server misbehaves is
    # tried by soin/api/tests/test_hostile_source.py, and every importer takes each value
    # above (test_every_importer_stores_hostile_text_cleaned_or_refuses_it below).
    tried = Path(django_settings.BASE_DIR, "soin/api/tests/test_hostile_source.py").read_text()
    for behaviour in HOSTILE_SOURCE:
        assert f"def {behaviour}(" in tried, behaviour

    lookalike, decomposed = (HOSTILE[n] for n in kinds["unicode equivalence"])
    assert canonical_email(str(lookalike)) != canonical_email("anna@kiruna.se")
    assert canonical_email(str(decomposed)) == canonical_email("anna@malm\u00f6.se")
    assert LOOKUPS, "the look-ups of addresses are tried in test_email_lookups"
    for name in kinds["encoding"]:
        value = HOSTILE[name]
        assert isinstance(value, bytes)
        if name != "bom":
            with pytest.raises(UnicodeDecodeError):
                value.decode("utf-8")


# What the sweeps above found, each kept as the request that failed.


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Före\x00efter", "null character"),
        ("\ufffdrebro", "UTF-8"),
        ("Rad\x0bbrytning", "control character"),
        ("99999999999999999999", "too large"),
        ("-99999999999999999999", "too large"),
    ],
)
def test_unreadable_input_gets_a_clear_page_in_the_visitors_language(
    value: str, reason: str, world: Any
) -> None:
    url = reverse("public:bank", kwargs={"partnership": world.partnership.slug})
    assert url.startswith("/sv/")
    english = url.replace("/sv/", "/en/", 1)
    response = Client().get(english, {"q": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en">' in html and 'role="alert"' in html
    assert reason in html and "Nothing was saved." in html
    swedish = Client().get(url, {"q": value})
    assert swedish.status_code == 400 and '<html lang="sv">' in swedish.content.decode()


@pytest.mark.parametrize(
    "value", ["Tab\tand\nlines\r\n", "9223372036854775807", "émoji 👍🏽", "\u202eltr", "\x85"]
)
def test_ordinary_text_with_tabs_and_big_numbers_gets_through(value: str, world: Any) -> None:
    url = reverse("public:bank", kwargs={"partnership": world.partnership.slug})
    assert Client().get(url, {"q": value}).status_code == 200


def test_raw_bytes_that_are_not_utf8_are_refused_not_stored_as_replacement_characters(
    world: Any,
) -> None:
    client = Client()
    testing_login = getattr(testing, "login", None)
    user = world.users[COORDINATOR]
    (testing_login or (lambda c, u: c.force_login(u)))(client, user)
    url = reverse("staff:challenges", kwargs={"partnership": world.partnership.slug})
    before = fingerprint()
    for body, content_type in (
        (b"name_sv=%D6rebro&name_en=Orebro", "application/x-www-form-urlencoded"),
        Form(page=url, action=url, multipart=True).body(
            {"name_sv": [b"\xd6rebro"], "name_en": ["Orebro"]}
        ),
    ):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 400, content_type
        assert "UTF-8" in response.content.decode()
    assert not changed_tables(before, fingerprint())


# Importers: every one takes every hostile value. ------------------------------------------

# What no stored text may hold (soin/core/cleaning.py), as the databases' regular expressions
# read it; PostgreSQL holds no NUL at all.
UNSTORED = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"


def stored_unstorable() -> list[str]:
    """The text columns of the project's models that hold a character no text may hold."""
    from django.apps import apps
    from django.db import models
    from django.db.models import Q

    pattern = UNSTORED if connection.vendor == "postgresql" else "[\x00" + UNSTORED[1:]
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("soin.") or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        query = Q()
        for name in fields:
            query |= Q(**{f"{name}__regex": pattern})
        if fields and model._base_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_every_importer_stores_hostile_text_cleaned_or_refuses_it(
    name: str, world: Any, tmp_path: Path
) -> None:
    from django.core.exceptions import ValidationError
    from django.core.management.base import CommandError

    importer = IMPORTERS[name]
    feed = reverse("public:national_feed")
    assert not stored_unstorable()
    outcomes: Counter[str] = Counter()
    for kind, value in HOSTILE.items():
        where = f"{name} with {kind}"
        baseline = fingerprint()
        with transaction.atomic():
            try:
                importer(world, value, tmp_path)
            except (ValidationError, CommandError):
                outcomes["refused"] += 1
                changed = changed_tables(baseline, fingerprint())
                assert not changed, f"{where}: refused, but wrote to {changed}"
            else:
                outcomes["stored"] += 1
                assert changed_tables(baseline, fingerprint()), f"{where}: stored nothing"
            found = stored_unstorable()
            assert not found, f"{where}: stored what documents cannot hold in {found}"
            assert Client().get(feed).status_code == 200, where
            transaction.set_rollback(True)
    TALLY[f"importer {name}: hostile values stored cleaned"] += outcomes["stored"]
    TALLY[f"importer {name}: hostile values refused"] += outcomes["refused"]
    assert outcomes["stored"] >= 5, outcomes


def test_every_module_that_reads_files_or_fetches_is_walked_as_an_importer() -> None:
    root = Path(django_settings.BASE_DIR)
    reading = re.compile(
        r"csv\.(reader|DictReader)|load_workbook|json\.loads?\(|urlopen|http\.client|"
        r"\brequests\.|urllib3|socket\.create_connection|getaddrinfo"
    )
    found = {
        str(path.relative_to(root))
        for path in (root / "soin").rglob("*.py")
        if "/tests/" not in str(path)
        and "/migrations/" not in str(path)
        and "/management/commands/" not in str(path)
        and reading.search(path.read_text(encoding="utf-8"))
    }
    unlisted = found - set(READERS) - set(NOT_IMPORTERS)
    assert not unlisted, f"walk these as importers in soin/core/tests/importers.py: {unlisted}"
    for names in READERS.values():
        assert set(names) <= set(IMPORTERS)
