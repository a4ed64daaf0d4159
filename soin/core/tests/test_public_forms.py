"""Every public form: a person is told that something was received only when it was stored,
and a submission sent twice — one after the other, or at the same moment — is stored once.

The forms are found, not listed: every page an anonymous visitor may open by the access rules
is read, and each ``<form method="post">`` on it is filled in as a person would
(``forms_walker``) and sent again with the same stamp. A new public form inherits the checks as
soon as its page has a rule.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from soin.core.ratelimit import SCOPES
from soin.core.testing import ANON, build_world, post_form
from soin.core.tests.access_rules import ALL_RULES, FILES, page_reader
from soin.core.tests.forms_walker import Form, forms_on, local_path

# Tables a replay may still write to: the session, and the count against the hourly limits.
NOT_COUNTED = {"django_session", "core_ratelimithit"}

# The forms that store what a person sends: each must store the first sending.
STORING = {
    "public:idea_submit",
    "public:activity_detail",
    "public:newsletter_subscribe",
    "public:newsletter_friend",
    "public:grant_apply",
    "public:data_request",
}


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in NOT_COUNTED or table not in existing or model._meta.proxy:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before.get(t, 0) for t in after if after[t] > before.get(t, 0)}


@pytest.fixture
def no_waiting(settings: Any) -> None:
    # The limits and the wait a person needs to write are not under test here.
    settings.SOIN_IDEA_FORM_MIN_SECONDS = 0
    settings.SOIN_RATE_LIMITS = dict.fromkeys(SCOPES, 10_000)


def public_forms(world: Any) -> Iterator[tuple[Client, Form]]:
    """Each POST form on the pages an anonymous visitor may open, once per view and fields,
    with a visitor who has just opened its page."""
    seen = set()
    for rule in ALL_RULES:
        if page_reader(rule) != ANON:
            continue
        path = reverse(rule.name, kwargs=rule.kwargs(world))
        if FILES.search(path):
            continue
        client = Client()
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in forms_on(page.content.decode(), f"http://testserver{path}"):
            if form.key in seen or local_path(form.action) is None or form.key[0] == "set_language":
                continue
            seen.add(form.key)
            # Each form with a visitor of its own, who opened its page.
            visitor = Client()
            fresh = visitor.get(path).content.decode()
            [again] = [f for f in forms_on(fresh, form.page) if f.key == form.key][:1] or [form]
            yield visitor, again


def filled(form: Form, world: Any) -> dict[str, list[Any]]:
    """The form filled in as a person would: the walker's plausible values, and for the forms
    that check more than shape, values that pass (a new reader, a real organisation number,
    a budget that adds up)."""
    data: dict[str, list[Any]] = dict(form.baseline())
    view = form.key[0]
    if view == "public:newsletter_subscribe":
        data |= {"email": ["ny.lasare@example.org"], "name": ["Ny Läsare"]}
    elif view == "public:grant_apply":
        from soin.grants.tests.helpers import municipality

        data |= {
            "org_number": ["802455-6576"],
            "municipality": [str(municipality(world.partnership, "Hallsberg").pk)],
            "amount_applied": ["800"],
            "co_financing": ["200"],
            "budget-0-item": ["Lokalhyra"],
            "budget-0-amount": ["1000"],
        }
        for line in (1, 2, 3):
            data |= {f"budget-{line}-item": [""], f"budget-{line}-amount": [""]}
    return data


def send(client: Client, form: Form, world: Any) -> Any:
    path = local_path(form.action)
    assert path is not None
    body, content_type = form.body(filled(form, world))
    return client.generic("POST", path, body, content_type=content_type)


def test_every_public_form_sent_twice_in_a_row_stores_once(world, no_waiting) -> None:  # type: ignore[no-untyped-def]
    stored, failures = set(), []
    for visitor, form in public_forms(world):
        where = f"{form.key[0]} (from {form.page})"
        before = row_counts()
        first = send(visitor, form, world)
        after_first = row_counts()
        second = send(visitor, form, world)
        after_second = row_counts()
        if first.status_code >= 500 or second.status_code >= 500:
            failures.append(f"{where}: HTTP {first.status_code}, then {second.status_code}")
        if grown(before, after_first):
            stored.add(form.key[0])
        if extra := grown(after_first, after_second):
            failures.append(f"{where}: the same submission again added {extra}")
    assert not failures, "\n".join(failures)
    assert stored >= STORING, f"not stored by the first sending: {STORING - stored}"


@pytest.mark.django_db(transaction=True)
def test_every_public_form_sent_at_the_same_moment_stores_once(  # type: ignore[no-untyped-def]
    reference_data, no_waiting
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite's test database lives in this process's memory and lets "
            "one writer in at a time, so requests cannot meet inside their transactions"
        )
    world = build_world()
    copies = 6
    stored, failures = set(), []
    for visitor, form in public_forms(world):
        where = f"{form.key[0]} (from {form.page})"
        path = local_path(form.action)
        assert path is not None
        body, content_type = form.body(filled(form, world))
        before = row_counts()
        codes, errors = post_at_once(visitor.cookies, path, body, content_type, copies)
        failures += [f"{where}: {error}" for error in errors]
        after = row_counts()
        if any(code >= 500 for code in codes):
            failures.append(f"{where}: answers {sorted(codes)}")
        added = grown(before, after)
        if added:
            stored.add(form.key[0])
        if more := {t: n for t, n in added.items() if n > 1 and t not in MANY_PER_SUBMISSION}:
            failures.append(f"{where}: {copies} copies at once added {more}")
    assert not failures, "\n".join(failures)
    assert stored >= STORING, f"not stored by any copy: {STORING - stored}"


def post_at_once(
    cookies: SimpleCookie, path: str, body: bytes, content_type: str, copies: int
) -> tuple[list[int], list[str]]:
    """Send ``copies`` of one request from one browser (its cookies) at the same moment, each
    on a thread and a database connection of its own; return the answers' codes and errors."""
    start = threading.Barrier(copies)
    codes: list[int] = []
    errors: list[str] = []

    def post() -> None:
        client = Client()
        client.cookies = SimpleCookie(cookies.output(header="", sep=";"))
        try:
            start.wait(timeout=30)
            response = client.generic("POST", path, body, content_type=content_type)
            codes.append(response.status_code)
        except Exception as error:  # reported with the form's name
            codes.append(599)
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes, errors


# Tables to which one submission adds more than one row (a grant's budget lines, an idea's
# timeline and the tasks it queues): their growth is compared with one sending's.
MANY_PER_SUBMISSION = {
    "grants_budgetline",
    "django_tasks_database_dbtaskresult",
    "audit_auditentry",
}


# --- What each public page says when nothing was stored -----------------------------------

NOTHING_RECEIVED = [
    ("public:idea_thanks", {}, "Ingen idé har kommit fram", "Tack för din idé"),
    ("public:grant_thanks", {}, "Ingen ansökan har kommit fram", "Tack för er ansökan"),
    ("public:newsletter_sent", {}, "Ingen anmälan till nyhetsbrevet", "Titta i din e-post"),
    ("public:data_request_sent", {}, "Ingen begäran", "Titta i din e-post"),
    ("public:registration_sent", {"pk": True}, "Ingen anmälan till", "Titta i din e-post"),
]


@pytest.mark.parametrize(
    ("name", "extra", "said", "not_said"), NOTHING_RECEIVED, ids=[n for n, *_ in NOTHING_RECEIVED]
)
def test_a_thank_you_page_without_a_stored_submission_does_not_thank(  # type: ignore[no-untyped-def]
    world, name, extra, said, not_said
) -> None:
    kwargs = {"partnership": world.partnership.slug}
    if extra:
        kwargs["pk"] = world.activity.pk
    page = Client().get(reverse(name, kwargs=kwargs)).content.decode()
    assert said in page
    assert not_said.lower() not in page.lower()


STAMPED = [
    "public:activity_detail",
    "public:newsletter_subscribe",
    "public:newsletter_friend",
    "public:grant_apply",
    "public:data_request",
]


@pytest.mark.parametrize("name", STAMPED)
def test_an_empty_form_sent_at_once_comes_back_with_errors(world, name) -> None:  # type: ignore[no-untyped-def]
    kwargs: dict[str, Any] = {"partnership": world.partnership.slug}
    if name == "public:activity_detail":
        kwargs["pk"] = world.activity.pk
    client = Client()
    url = reverse(name, kwargs=kwargs)
    before = row_counts()
    response = post_form(client, url, {}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == []
    assert re.search(r'role="alert"|class="errorlist', page)
    assert not grown(before, row_counts())


@pytest.mark.parametrize("name", STAMPED)
def test_a_form_sent_without_its_stamp_is_shown_again_and_stores_nothing(world, name) -> None:  # type: ignore[no-untyped-def]
    kwargs: dict[str, Any] = {"partnership": world.partnership.slug}
    if name == "public:activity_detail":
        kwargs["pk"] = world.activity.pk
    client = Client()
    url = reverse(name, kwargs=kwargs)
    [form] = [f for f in forms_on(client.get(url).content.decode(), f"http://testserver{url}")]
    data = form.baseline()
    data["started"] = ["forged"]
    before = row_counts()
    body, content_type = form.body(data)  # type: ignore[arg-type]
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code == 400
    assert "Kontrollera det du skrev och skicka det igen" in response.content.decode()
    assert not grown(before, row_counts())


def test_a_replay_leads_its_own_visit_to_the_first_receipt_and_others_to_a_message(world) -> None:  # type: ignore[no-untyped-def]
    from soin.grants.models import Grant
    from soin.grants.tests.helpers import application_post

    url = reverse("public:grant_apply", kwargs={"partnership": world.partnership.slug})
    client = Client()
    page = client.get(url).content.decode()
    stamp = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = application_post(world.partnership, language="sv", started=stamp)
    assert client.post(url, data).status_code == 302
    grant = Grant.objects.get(title="Bymöten om framtiden")
    # The same visit again (a double click, the back button): the first application's receipt.
    again = client.post(url, data, follow=True)
    assert grant.number in again.content.decode()
    # The same stamp from another visit: the form, with what was typed and a clear message.
    other = Client().post(url, data)
    text = other.content.decode()
    assert other.status_code == 409
    assert "Formuläret hade redan skickats" in text and 'value="Bymöten om framtiden"' in text
    assert Grant.objects.filter(title="Bymöten om framtiden").count() == 1
