"""Unicode equivalence, the hostile-input kind that belongs to e-mail addresses: every place
that finds a person by their address finds the same address typed another way (case, the
domain's IDNA form, a decomposed accent) and never an address that only looks like it (a
dotless i, a dotted capital I, an accent, a full-width letter).

``LOOKUPS`` is the registry of address look-ups: each names the models whose canonical
column (``soin.core.emails.CanonicalEmailField``) it reads, and a test fails when a model
gets such a column without a look-up here. Each look-up is tried with every case below, on
the database the tests run on (SQLite and PostgreSQL fold letters differently, which is why
addresses are never compared with ``__iexact``). A scan of the source refuses such
comparisons."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from soin.core.emails import canonical_email, canonical_fields
from soin.core.testing import COORDINATOR, World

pytestmark = pytest.mark.django_db

DOTLESS_I = "\u0131"
DOTTED_CAPITAL_I = "\u0130"

# The addresses the partnership holds, each in every kind of record.
STORED = ("anna@kiruna.se", "ida@kiruna.se", "anna@xn--malm-8qa.se")

# (asked, the stored address it is): the same address typed another way.
EQUIVALENTS = [
    ("Anna@Kiruna.SE", "anna@kiruna.se"),
    (" anna@kiruna.se ", "anna@kiruna.se"),
    ("IDA@KIRUNA.SE", "ida@kiruna.se"),
    ("anna@MALM\u00d6.se", "anna@xn--malm-8qa.se"),
    ("anna@malm\u00f6.se", "anna@xn--malm-8qa.se"),
    ("anna@malmo\u0308.se", "anna@xn--malm-8qa.se"),  # NFD: o and a combining diaeresis
]

# Addresses that look like a stored one and are another mailbox.
LOOKALIKES = [
    f"anna@k{DOTLESS_I}runa.se",
    f"anna@K{DOTLESS_I}RUNA.SE",
    "anna@k\u00edruna.se",  # kíruna.se
    f"{DOTLESS_I}da@kiruna.se",
    f"{DOTTED_CAPITAL_I}da@kiruna.se",
    f"{DOTTED_CAPITAL_I}DA@KIRUNA.SE",
    "\uff41nna@kiruna.se",  # a full-width a
    "anna@\uff4biruna.se".replace("\uff4b", "k\u0307"),  # a k with a dot above
    "anna@malmo.se",
    "anna@malm\u00f6.se.evil.example",
]


@dataclass(frozen=True)
class Lookup:
    """A place that finds a person by their address: ``found(world, asked)`` says whether
    it found (or treated as known) one of the stored addresses' records."""

    name: str
    models: frozenset[str]
    found: Callable[[World, str], bool]


class _Undo(Exception):
    pass


def probe(world: World, lookup: Lookup, asked: str) -> bool:
    """Ask ``lookup`` about ``asked`` and undo whatever the asking wrote."""
    result = False
    try:
        with transaction.atomic():
            try:
                result = lookup.found(world, asked)
            except ValidationError:
                # Refused as no address at all: nothing was found by it either.
                result = False
            raise _Undo
    except _Undo:
        pass
    return result


def _my_data(world: World, asked: str) -> bool:
    from soin.privacy import selectors

    return selectors.holds_data(partnership=world.partnership, email=asked)


def _my_data_request(world: World, asked: str) -> bool:
    from soin.privacy.models import AccessRequest
    from soin.privacy.services import data_request_submit

    before = AccessRequest.objects.count()
    data_request_submit(partnership=world.partnership, email=asked)
    return AccessRequest.objects.count() > before


def _erasure(world: World, asked: str) -> bool:
    from soin.retention.erasure import person_find

    found = person_find(partnership=world.partnership, email=asked)
    return not found.empty


def _login(world: World, asked: str) -> bool:
    from soin.accounts.models import User

    try:
        User.objects.get_by_natural_key(asked)
    except User.DoesNotExist:
        return False
    return True


def _invitation(world: World, asked: str) -> bool:
    from soin.accounts.models import User
    from soin.accounts.services import person_invite

    before = User.objects.count()
    person_invite(
        actor=world.users[COORDINATOR],
        partnership=world.other_partnership,
        email=asked,
        full_name="Ny Person",
        kind="advisor",
    )
    return User.objects.count() == before


def _otp_reset(world: World, asked: str) -> bool:
    try:
        call_command("otp_reset", asked, stdout=io.StringIO())
    except CommandError:
        return False
    return True


def _subscribe(world: World, asked: str) -> bool:
    from soin.newsletter.models import Subscriber
    from soin.newsletter.services import subscriber_subscribe

    before = Subscriber.objects.count()
    subscriber_subscribe(
        partnership=world.partnership, email=asked, consent_text="Samtycke", source="test"
    )
    return Subscriber.objects.count() == before


def _subscriber_import(world: World, asked: str) -> bool:
    from soin.newsletter.services import subscribers_import

    counts = subscribers_import(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        content=f"email\n{asked}\n".encode(),
        filename="lista.csv",
        consent_note="Gamla listan",
    )
    return counts.get("added", 0) == 0


def _bounce(world: World, asked: str) -> bool:
    from soin.newsletter.services import subscriber_bounce

    return (
        subscriber_bounce(partnership=world.partnership, email=asked, permanent=False) is not None
    )


def _friend_tip(world: World, asked: str) -> bool:
    from soin.newsletter.models import FriendTip
    from soin.newsletter.services import friend_tip

    before = FriendTip.objects.count()
    friend_tip(partnership=world.partnership, email=asked, sender_name="Vän", language="sv")
    # A subscriber already subscribes: no invitation is made.
    return FriendTip.objects.count() == before


def _registration(world: World, asked: str) -> bool:
    from soin.activities.services import AlreadyRegistered, registration_create

    try:
        registration_create(
            activity=world.activity, name="Någon", email=asked, consent_text="Samtycke"
        )
    except AlreadyRegistered:
        return True
    return False


def _carrier(world: World, asked: str) -> bool:
    from soin.ideas.models import Idea

    return Idea.objects.filter(
        partnership=world.partnership, carrier_email_canonical=canonical_email(asked)
    ).exists()


LOOKUPS: tuple[Lookup, ...] = (
    Lookup(
        "my data: what is held",
        frozenset(
            {
                "ideas.Idea",
                "activities.Registration",
                "newsletter.Subscriber",
                "grants.Grant",
                "partners.ContactPerson",
                "accounts.User",
            }
        ),
        _my_data,
    ),
    Lookup("my data: the request", frozenset({"privacy.AccessRequest"}), _my_data_request),
    Lookup(
        "erasure",
        frozenset(
            {
                "ideas.Idea",
                "activities.Registration",
                "newsletter.Subscriber",
                "newsletter.Delivery",
                "grants.Grant",
                "partners.ContactPerson",
            }
        ),
        _erasure,
    ),
    Lookup("login", frozenset({"accounts.User"}), _login),
    Lookup("invitation", frozenset({"accounts.User"}), _invitation),
    Lookup("otp_reset command", frozenset({"accounts.User"}), _otp_reset),
    Lookup("newsletter sign-up", frozenset({"newsletter.Subscriber"}), _subscribe),
    Lookup("newsletter import", frozenset({"newsletter.Subscriber"}), _subscriber_import),
    Lookup("newsletter bounce", frozenset({"newsletter.Subscriber"}), _bounce),
    Lookup("tip a friend", frozenset({"newsletter.Subscriber"}), _friend_tip),
    Lookup("already registered", frozenset({"activities.Registration"}), _registration),
    Lookup("carrier", frozenset({"ideas.Idea"}), _carrier),
)


def store(world: World) -> None:
    """Make each of ``STORED`` a carrier, registrant, subscriber, applicant, contact person
    and staff member of the partnership, with a sent newsletter delivered to it."""
    from soin.accounts.services import person_invite
    from soin.newsletter.models import Delivery, Dispatch, Subscriber
    from soin.privacy.tests.helpers import person_everywhere

    dispatch = Dispatch.objects.get(issue=world.sent_issue)
    for n, address in enumerate(STORED):
        person_everywhere(world, address, grant=n == 0)
        person_invite(
            actor=world.users[COORDINATOR],
            partnership=world.partnership,
            email=address,
            full_name=f"Person {n}",
            kind="advisor",
        )
        subscriber = Subscriber.objects.get(
            partnership=world.partnership, email_canonical=canonical_email(address)
        )
        Subscriber.objects.filter(pk=subscriber.pk).update(state="active")
        Delivery.objects.create(
            dispatch=dispatch,
            subscriber=subscriber,
            email=address,
            language="sv",
            state="sent",
        )


@pytest.mark.parametrize("lookup", LOOKUPS, ids=lambda lookup: lookup.name)
def test_every_address_lookup_meets_equivalents_and_refuses_lookalikes(
    world: World, lookup: Lookup
) -> None:
    store(world)
    wrong = []
    for asked, _stored in EQUIVALENTS:
        if not probe(world, lookup, asked):
            wrong.append(f"{asked!r} is a stored address and was not found")
    for asked in LOOKALIKES:
        if probe(world, lookup, asked):
            wrong.append(f"{asked!r} only looks like a stored address and was found")
    assert not wrong, f"{lookup.name} on {settings.DATABASES['default']['ENGINE']}: " + (
        "; ".join(wrong)
    )


def canonical_models() -> list[type[Any]]:
    return [m for m in apps.get_models() if canonical_fields(m)]


def test_every_model_with_a_canonical_address_has_a_registered_lookup() -> None:
    labels = {m._meta.label for m in canonical_models()}
    assert {"accounts.User", "newsletter.Subscriber"} <= labels
    covered = set().union(*(lookup.models for lookup in LOOKUPS))
    assert labels - covered == set(), "Register a look-up in LOOKUPS for these models"


@pytest.mark.parametrize("model", canonical_models(), ids=lambda m: m._meta.label)
def test_every_canonical_column_is_filled_by_the_writers(world: World, model: Any) -> None:
    store(world)
    for field in canonical_fields(model):
        rows = list(model._default_manager.values_list(field.source, field.name))
        assert rows, f"the test world has no {model._meta.label}"
        wrong = [(a, c) for a, c in rows if c != canonical_email(a)]
        assert not wrong, f"{model._meta.label}.{field.name} does not follow {field.source}"


def assert_canonical_columns_follow() -> int:
    """Check every row of every model with a canonical column; return how many were read."""
    read = 0
    for model in canonical_models():
        for field in canonical_fields(model):
            rows = list(model._default_manager.values_list(field.source, field.name))
            read += len(rows)
            wrong = [(a, c) for a, c in rows if c != canonical_email(a)][:3]
            assert not wrong, f"{model._meta.label}.{field.name}: {wrong}"
    return read


def test_the_generator_of_national_data_fills_the_canonical_columns(reference_data: None) -> None:
    from soin.core.loaddata import Scale, generate_all

    generate_all(Scale.rows(2, partnerships=1))
    assert assert_canonical_columns_follow() > 10


def test_the_demo_fills_the_canonical_columns(reference_data: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    assert assert_canonical_columns_follow() > 10


# The scan --------------------------------------------------------------------------------------

# Comparing an address without regard to case, by the database or by Python.
ADDRESS_FOLDING = re.compile(
    r"\w*mail\w*__i(?:exact|startswith|endswith)\b"
    r"|\w*mail\w*[\"'\])]*(?:\.strip\(\))?\.(?:lower|upper|casefold)\(\)"
)
# Where a fold is no comparison of addresses, and why.
ALLOWED = {
    # The hash of an erased address made before addresses had a canonical form: recognised
    # only to keep more mail from being sent.
    "soin/newsletter/services.py": "email.strip().lower().encode()",
}
SOURCE = Path(settings.BASE_DIR) / "soin"


def folding_in(text: str) -> list[str]:
    """Return the places in ``text`` that fold an address's case to compare it."""
    return [m.group(0) for m in ADDRESS_FOLDING.finditer(text)]


@pytest.mark.parametrize(
    ("sample", "folds"),
    [
        ("User.objects.get(email__iexact=username)", True),
        ("Role.objects.filter(user__email__iexact=email)", True),
        ("Idea.objects.filter(carrier_email__iexact=address)", True),
        ("Grant.objects.filter(contact_email__istartswith=x)", True),
        ("email = email.strip().lower()", True),
        ("seen.add(contact.email.lower())", True),
        ('data["contact_email"].lower()', True),
        ('str(data["contact_email"]).lower()', True),
        ("call.watcher.email.casefold()", True),
        ("User.objects.get(email_canonical=canonical_email(username))", False),
        ("Organisation.objects.filter(name__iexact=name)", False),
        ("qs.filter(email__icontains=query)", False),
    ],
)
def test_the_scan_finds_an_address_compared_without_case(sample: str, folds: bool) -> None:
    assert bool(folding_in(sample)) is folds


def test_no_address_is_compared_without_regard_to_case() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).as_posix()
        if "/migrations/" in relative or "/tests/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        for hit in folding_in(text):
            if ALLOWED.get(relative) and ALLOWED[relative] in text and hit in ALLOWED[relative]:
                continue
            found.append(f"{relative}: {hit}")
    assert len(list(SOURCE.rglob("*.py"))) > 100  # the scan read the source
    assert not found, (
        "Compare addresses on their canonical column (soin.core.emails), not without "
        f"regard to case: {found}"
    )
