"""Object-level access: no one reaches another partnership's or another organisation's records.

The access harness (``test_access.py``) asks every address with the world's own records. Here
every rule that addresses a record is asked again with the same kind of record of the other
partnership put into this partnership's address (``/staff/orebro/ideas/<an idea of
Värmland>/``): whatever the role, the answer is 403 or 404 (or the login page for an
anonymous visitor to the back office), and a POST changes nothing in the database.

The substitution is derived from the rule itself: its kwargs function is run against the world
with each record it reads replaced by the record of the same name in
``soin.core.testing.abroad`` (and each private link by the other partnership's), so a new
rule gets its variant without a line here. Meta-tests fail when a rule reads a record that has
no counterpart abroad, and when a model the back office fetches by its address is addressed by
no rule.

The second half does the same within one partnership for partner contacts: a contact of
another organisation (Coompanion) asks for the pages of the world's contact's organisation
(Hällefors kommun).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from soin.accounts.models import Role, User
from soin.core.testing import CONTACT, ROLES, World, abroad, login, make_user
from soin.core.tests.access_rules import ALL_RULES, DENIED, OK, RULES, Rule
from soin.core.tests.test_access import outcome
from soin.regions.models import Partnership


@pytest.fixture
def world(module_world, db):  # type: ignore[no-untyped-def]
    """The module's one world (see ``module_world``): what a test changes is rolled back."""
    return module_world


# Names of the world that are not records of the first partnership.
NOT_RECORDS = frozenset({"partnership", "other_partnership", "users", "extra"})
# Records of the national bank of financial proxies: the same under every partnership's
# address (checked below to hold no partnership's record).
NATIONAL = frozenset({"impact_proxy", "impact_proposal"})


# --- Which rules address a record: found by running their kwargs on a probe -----------------


class _Probe:
    """Stands for whatever a rule reads from the world; remembers the world's names read."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> _Probe:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Probe(f"{self._path}.{name}")

    def __getitem__(self, key: Any) -> _Probe:
        return _Probe(f"{self._path}[{key}]")

    def __str__(self) -> str:
        return self._path

    def __format__(self, spec: str) -> str:
        return self._path


class _ProbeWorld:
    def __init__(self) -> None:
        self.read: list[str] = []

    def __getattr__(self, name: str) -> _Probe:
        self.read.append(name)
        return _Probe(name)


def reads_a_record(rule: Rule) -> bool:
    """Whether the rule's address is this partnership's and names one of its records."""
    world = _ProbeWorld()
    try:
        kwargs = rule.kwargs(world)  # type: ignore[arg-type]
    except Exception:
        # A helper that needs a real record (a private link): judged by what it read.
        kwargs = None
    if kwargs is not None and str(kwargs.get("partnership")) != "partnership.slug":
        return False
    return "partnership" in world.read and bool(set(world.read) - NOT_RECORDS - NATIONAL)


def posts_a_record(rule: Rule) -> bool:
    """Whether the rule's POST sends one of this partnership's records (by its id)."""
    if rule.method != "POST" or not callable(rule.data):
        return False
    world = _ProbeWorld()
    try:
        rule.data(world)  # type: ignore[arg-type]
        kwargs = rule.kwargs(_ProbeWorld())  # type: ignore[arg-type]
    except Exception:
        return False
    return str(kwargs.get("partnership")) == "partnership.slug" and bool(
        set(world.read) - NOT_RECORDS - NATIONAL
    )


@dataclass(frozen=True)
class Address:
    """One URL pattern and method, with every rule for it that names a record."""

    name: str
    method: str
    rules: tuple[Rule, ...]

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]"


def addresses(rules: list[Rule]) -> list[Address]:
    grouped: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        if reads_a_record(rule) or posts_a_record(rule):
            grouped.setdefault((rule.name, rule.method), []).append(rule)
    return [Address(name, method, tuple(r)) for (name, method), r in grouped.items()]


ADDRESSES = addresses(RULES)


# --- The other partnership's records in this partnership's addresses --------------------------


def is_record(name: str, value: Any) -> bool:
    """Whether ``value`` (the world's ``name``) is a record or private link of one partnership."""
    if name in NOT_RECORDS:
        return False
    if isinstance(value, str):
        return name.endswith("_token")
    if not isinstance(value, models.Model) or isinstance(value, (Partnership, User)):
        return False
    return hasattr(value, "PARTNERSHIP_PATH") or isinstance(value, Role)


class Trespass:
    """The world with each record a rule reads replaced by the other partnership's."""

    def __init__(self, world: World, records: dict[str, Any], only: str = "") -> None:
        self._world = world
        self._records = records
        self._only = only
        self.swapped: dict[str, tuple[Any, Any]] = {}
        self.missing: list[str] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._world, name)
        if not is_record(name, value) or (self._only and name != self._only):
            return value
        if name not in self._records:
            self.missing.append(name)
            raise LookupError(f"no record abroad for world.{name}")
        self.swapped[name] = (value, self._records[name])
        return self._records[name]


def trespass(rule: Rule, world: World, only: str = "") -> tuple[dict[str, Any] | None, Trespass]:
    """The rule's address with the other partnership's records in it (only the one named
    ``only`` if given), or None where the address is not this partnership's or names none."""
    t = Trespass(world, abroad(world), only)
    try:
        kwargs = rule.kwargs(t)  # type: ignore[arg-type]
    except LookupError:
        if t.missing:
            return None, t
        raise
    if kwargs.get("partnership") != world.partnership.slug or not t.swapped:
        return None, t
    return kwargs, t


def refused(expected: str) -> str:
    """What a role gets for a record that is not this partnership's: never the page."""
    return DENIED if expected == OK else expected


# The columns that change when a person merely logs in.
HOUSEKEEPING = {"accounts.user": {"last_login"}}
# Counters that every public POST adds to, whatever it asks for (the rate limit).
COUNTERS = {"core.ratelimithit"}


def fingerprint() -> dict[str, str]:
    """A digest of every row of the project's tables and the task queue."""
    digests = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in COUNTERS or not (
            model.__module__.startswith("soin.") or label.startswith("django_tasks")
        ):
            continue
        skip = HOUSEKEEPING.get(label, set())
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        rows = model._default_manager.order_by("pk").values_list(*columns)
        digests[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in after if before.get(label) != after[label])


def ask(user: User | None, rule: Rule, url: str, data: Any) -> Any:
    client = Client()
    if user is not None:
        login(client, user)
    if rule.method == "POST":
        return client.post(url, data)
    return client.get(url)


def data_of(rule: Rule, world: World) -> Any:
    return rule.data(world) if callable(rule.data) else rule.data


@dataclass
class Attempt:
    """One request of another partnership's record through this partnership's address."""

    rule: Rule
    url: str
    data: Any
    # Whether the record is in the address (so the page is refused) or only in the POST's
    # data (a page of one's own record sent another partnership's: refused or not, it changes
    # nothing).
    in_address: bool


def attempts(rule: Rule, world: World) -> Iterator[Attempt]:
    """Every record of the address replaced at once, then each alone (this partnership's
    idea with the other's file), then, for a POST, the records in its data."""
    kwargs, t = trespass(rule, world)
    assert not t.missing, f"{rule.id}: nothing in abroad() for world.{t.missing}"
    if kwargs is not None:
        data = data_of(rule, world)
        yield Attempt(rule, reverse(rule.name, kwargs=kwargs), data, True)
        if len(t.swapped) > 1:
            for name in t.swapped:
                one, _ = trespass(rule, world, only=name)
                if one is not None:
                    yield Attempt(rule, reverse(rule.name, kwargs=one), data, True)
    if rule.method == "POST" and callable(rule.data):
        posted = Trespass(world, abroad(world))
        data = rule.data(posted)  # type: ignore[arg-type]
        if posted.swapped:
            yield Attempt(rule, reverse(rule.name, kwargs=rule.kwargs(world)), data, False)


@pytest.mark.parametrize("address", ADDRESSES, ids=lambda a: a.id)
def test_another_partnerships_record_in_this_partnerships_address(
    address: Address, world: World
) -> None:
    failures: list[str] = []
    asked: set[str] = set()
    for attempt in (a for rule in address.rules for a in attempts(rule, world)):
        rule, url, data = attempt.rule, attempt.url, attempt.data
        key = f"{url} {data!r}"
        if key in asked:
            continue
        asked.add(key)
        before = fingerprint() if rule.method == "POST" else {}
        for role in ROLES:
            response = ask(world.users[role], rule, url, data)
            got, expected = outcome(response, rule.method), refused(rule.expect[role])
            if attempt.in_address and got != expected:
                failures.append(
                    f"{role} {rule.method} {url} ({rule.id}): expected {expected}, got {got} "
                    f"(HTTP {response.status_code})"
                )
            if response.status_code >= 500:
                failures.append(f"{role} {rule.method} {url} {data} ({rule.id}): {got}")
            if rule.method == "POST" and (diff := changed(before, fingerprint())):
                failures.append(f"{role} {rule.method} {url} {data} ({rule.id}) changed {diff}")
    assert asked, f"{address.id}: no rule put another partnership's record in the address"
    assert not failures, "\n".join(failures)


# --- Meta-tests: the substitution covers every record and every model --------------------------


def test_every_record_a_rule_addresses_has_a_counterpart_in_the_other_partnership(
    world: World,
) -> None:
    problems = [
        f"world.{name} is a partnership's record: take it out of NATIONAL"
        for name in NATIONAL
        if is_record(name, getattr(world, name))
    ]
    for rule in ALL_RULES:
        kwargs, t = trespass(rule, world)
        if not reads_a_record(rule):
            # The probe at collection must have found every rule that names a record.
            if kwargs is not None:
                problems.append(f"{rule.id}: names a record but was not recognised")
            continue
        if t.missing:
            problems.append(f"{rule.id}: add world.{t.missing} to abroad() (or extend_abroad)")
            continue
        for name, (mine, theirs) in t.swapped.items():
            if isinstance(mine, str):
                if theirs == mine:
                    problems.append(f"abroad()[{name!r}] is the world's own link")
                continue
            if type(theirs) is not type(mine):
                problems.append(f"abroad()[{name!r}] is a {type(theirs).__name__}")
            elif partnership_of(theirs) != world.other_partnership.pk:
                problems.append(f"abroad()[{name!r}] is not the other partnership's")
    assert not problems, "\n".join(sorted(set(problems)))


def partnership_of(record: models.Model) -> int | None:
    if isinstance(record, Role):
        return record.partnership_id
    path = type(record).PARTNERSHIP_PATH  # type: ignore[attr-defined]
    return (
        type(record)
        ._default_manager.filter(pk=record.pk)
        .values_list(f"{path}__pk" if path != "partnership" else "partnership_id", flat=True)
        .get()
    )


def models_fetched_by_address() -> dict[type[models.Model], str]:
    """The models a page fetches by the address it was given: those returned by a selector
    that takes the partnership and a key (``*_get_for``, ``public_*_get``, ``*_by_token``)."""
    by_name = {m.__name__: m for m in apps.get_models() if m.__module__.startswith("soin.")}
    found: dict[type[models.Model], str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("soin."):
            continue
        try:
            module = import_module(f"{config.name}.selectors")
        except ModuleNotFoundError:
            continue
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue
            if not (fname.endswith("_get_for") or fname.endswith("_by_token")) and not (
                fname.startswith("public_") and fname.endswith("_get")
            ):
                continue
            params = inspect.signature(fn).parameters
            model = by_name.get(str(inspect.signature(fn).return_annotation))
            if model is not None and ("partnership" in params or "analysis" in params):
                found[model] = f"{module.__name__}.{fname}"
    return found


def test_every_model_fetched_by_address_is_asked_for_from_another_partnership(
    world: World,
) -> None:
    addressed = set()
    for address in ADDRESSES:
        for rule in address.rules:
            kwargs, t = trespass(rule, world)
            if kwargs is not None:
                addressed |= {type(mine) for mine, _ in t.swapped.values()}
    fetched = models_fetched_by_address()
    assert len(fetched) >= 20, fetched
    missing = sorted(f"{m._meta.label} ({fn})" for m, fn in fetched.items() if m not in addressed)
    assert not missing, f"No rule addresses a record of: {missing}"


# The national bank of financial proxies: the same records under every partnership's address.
NATIONAL_ADDRESSES = {
    "staff:impact_proxy",
    "staff:impact_proxy_move",
    "staff:impact_proxy_new_version",
}
RECORD_ARGUMENTS = {"pk", "slug", "token", "uid", "year", "item", "attachment", "registration"}


def staff_patterns(
    patterns: list[Any], namespace: str = "", outer: frozenset[str] = frozenset()
) -> Iterator[tuple[str, set[str]]]:
    """Each back-office URL name with the arguments of its whole route."""
    for entry in patterns:
        arguments = outer | set(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns != "admin":
                yield from staff_patterns(entry.url_patterns, ns, frozenset(arguments))
        elif isinstance(entry, URLPattern) and namespace == "staff":
            yield f"staff:{entry.name}", set(arguments)


def test_every_staff_address_of_a_record_is_asked_for_with_another_partnerships() -> None:
    asked = {a.name for a in ADDRESSES} | NATIONAL_ADDRESSES
    missing = sorted(
        name
        for name, arguments in staff_patterns(get_resolver().url_patterns)
        if arguments & RECORD_ARGUMENTS and "partnership" in arguments and name not in asked
    )
    assert not missing, f"Addresses of records with no rule naming one: {missing}"


# --- Partner contacts: one organisation's contact and another organisation's pages ------------

# Pages of a record open to the world's partner contact (of Hällefors kommun) because the record
# is their organisation's: the contact of another organisation of the same partnership
# (Coompanion) is refused them.
OWN_ORGANISATION = {
    "staff:partner_edit[own]",
    "staff:contact_add[own]",
    "staff:contact_edit[own]",
    "staff:contact_delete[own]",
    "staff:agreement_detail[own]",
    "staff:agreement_docx[own]",
    "staff:agreement_pdf[own]",
    "staff:idea_detail[referred to the contact's organisation]",
    "staff:idea_document[referred]",
    "staff:idea_outcome",
    "staff:funding_project_edit[own organisation's]",
    "staff:funding_project_result_add[own organisation's]",
    "staff:funding_project_meeting_link[own organisation's]",
    "staff:plan_followup_create",
    "staff:plan_followup_create[report]",
}
# Pages every partner contact of the partnership may open.
SHARED = {
    "staff:partner_detail",
    "staff:activity_detail",
    "staff:activity_ics",
    "staff:funding_call_detail",
    "staff:funding_application_detail",
    "staff:funding_project_detail",
    "staff:plan_detail",
    "staff:plan_detail[draft]",
    "staff:plan_item",
    "staff:plan_meeting",
    "staff:plan_meeting_file",
    "staff:plan_meeting_file[docx]",
}


def contact_rules() -> list[Rule]:
    """The back-office rules that let the world's partner contact reach a record."""
    return [
        r
        for r in RULES
        if r.name.startswith("staff:") and r.expect[CONTACT] == OK and reads_a_record(r)
    ]


def contact_of_another_organisation(world: World) -> User:
    return make_user(
        "kontakt-b@example.org", Role.Kind.PARTNER_CONTACT, world.partnership, world.other_org
    )


def test_every_record_page_open_to_a_partner_contact_says_whose_it_is() -> None:
    ids = {r.id for r in contact_rules()}
    unknown = sorted(ids - OWN_ORGANISATION - SHARED)
    assert not unknown, f"Add to OWN_ORGANISATION or SHARED: {unknown}"
    assert not (OWN_ORGANISATION | SHARED) - ids, (OWN_ORGANISATION | SHARED) - ids


def test_a_contact_of_another_organisation_reaches_none_of_this_ones_records(
    world: World,
) -> None:
    b = contact_of_another_organisation(world)
    failures = []
    rules = [r for r in contact_rules() if r.id in OWN_ORGANISATION]
    assert len(rules) == len(OWN_ORGANISATION)
    for rule in rules:
        url = reverse(rule.name, kwargs=rule.kwargs(world))
        before = fingerprint() if rule.method == "POST" else {}
        response = ask(b, rule, url, data_of(rule, world))
        if (got := outcome(response, rule.method)) != DENIED:
            failures.append(f"{rule.method} {url} ({rule.id}): got {got}")
        if rule.method == "POST" and (diff := changed(before, fingerprint())):
            failures.append(f"{rule.method} {url} ({rule.id}) changed {diff}")
    assert not failures, "\n".join(failures)


def test_a_contact_of_another_organisation_opens_the_shared_pages(world: World) -> None:
    b = contact_of_another_organisation(world)
    rules = [r for r in contact_rules() if r.id in SHARED]
    assert len(rules) == len(SHARED)
    for rule in rules:
        url = reverse(rule.name, kwargs=rule.kwargs(world))
        assert outcome(ask(b, rule, url, data_of(rule, world)), rule.method) == OK, url


def staff_page(user: User | None, url: str) -> str:
    assert user is not None
    client = Client()
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_lists_show_a_partner_contact_only_their_organisations_ideas_and_agreements(
    world: World,
) -> None:
    from soin.ideas import services as idea_services

    a, b = world.users[CONTACT], contact_of_another_organisation(world)
    channelled = idea_services.idea_channel(
        partnership=world.partnership,
        actor=a,
        organisation=world.own_org,
        title="Bygdens matkasse",
        description="Mat från gårdarna till den som behöver.",
        carrier_category="association",
    )
    slug = world.partnership.slug
    ideas = [
        reverse("staff:idea_detail", kwargs={"partnership": slug, "pk": i.pk})
        for i in (world.referred_idea, channelled)
    ]
    agreement = reverse(
        "staff:agreement_detail", kwargs={"partnership": slug, "pk": world.own_agreement.pk}
    )
    mine = staff_page(a, reverse("staff:idea_list", kwargs={"partnership": slug}))
    theirs = staff_page(b, reverse("staff:idea_list", kwargs={"partnership": slug}))
    assert all(f'"{url}"' in mine for url in ideas)
    assert not any(url in theirs for url in ideas)
    assert agreement in staff_page(a, reverse("staff:agreement_list", kwargs={"partnership": slug}))
    assert agreement not in staff_page(
        b, reverse("staff:agreement_list", kwargs={"partnership": slug})
    )
    client = Client()
    login(client, b)
    assert client.get(ideas[1]).status_code == 404


def test_a_contact_person_not_shown_publicly_is_seen_only_by_their_organisations_contact(
    world: World,
) -> None:
    from soin.partners import services as partner_services

    partner_services.contact_create(
        organisation=world.own_org,
        actor=None,
        name="Inte Offentlig",
        email="inte-offentlig@example.org",
        is_public=False,
    )
    url = reverse(
        "staff:partner_detail",
        kwargs={"partnership": world.partnership.slug, "pk": world.own_org.pk},
    )
    assert "inte-offentlig@example.org" in staff_page(world.users[CONTACT], url)
    assert "Inte Offentlig" not in staff_page(contact_of_another_organisation(world), url)
