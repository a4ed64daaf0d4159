"""The login finds an account by the canonical form of its address (soin.core.emails): the
same address typed another way logs in and shares the account's count of failures; an
address that only looks like it (a dotless i, an accent) is another address."""

from __future__ import annotations

import pytest
from django.utils import translation

from soin.accounts.models import Role, User
from soin.accounts.tests.conftest import Client, password_step, with_password
from soin.accounts.tests.test_lockout import HOME, logged_in
from soin.core.testing import make_user

KIRUNA = "anna@kiruna.se"
MALMO = "jon@xn--malm-8qa.se"


@pytest.fixture
def accounts(people):  # type: ignore[no-untyped-def]
    return [
        with_password(make_user(address, Role.Kind.ADVISOR, people.partnership))
        for address in (KIRUNA, MALMO)
    ]


@pytest.mark.parametrize(
    "typed",
    ["Anna@Kiruna.SE", " anna@KIRUNA.se", "jon@MALM\u00d6.se", "jon@malmo\u0308.se"],
)
def test_the_same_address_typed_another_way_logs_in(accounts, typed: str) -> None:  # type: ignore[no-untyped-def]
    assert logged_in(password_step(Client(), typed))


@pytest.mark.parametrize(
    "lookalike",
    [
        "anna@k\u0131runa.se",
        "anna@K\u0131RUNA.SE",
        "anna@k\u00edruna.se",
        "ann\u0430@kiruna.se",  # a Cyrillic a
        "jon@malmo.se",
    ],
)
def test_an_address_that_only_looks_alike_does_not_log_in(accounts, lookalike: str) -> None:  # type: ignore[no-untyped-def]
    response = password_step(Client(), lookalike)
    # The form comes back (the address is wrong, or not an address the form accepts).
    assert response.status_code == 200 and not logged_in(response)
    assert (
        'aria-invalid="true"' in response.content.decode() or "wrong" in response.content.decode()
    )


def test_failures_typed_in_different_ways_count_for_one_account(accounts) -> None:  # type: ignore[no-untyped-def]
    # Five failures, each spelling the domain differently: one account, so one count.
    for typed in ("jon@malm\u00f6.se", "jon@MALM\u00d6.se", "jon@malmo\u0308.se", MALMO):
        assert password_step(Client(), typed, "fel-lösen", REMOTE_ADDR=HOME).status_code == 200
    response = password_step(Client(), "Jon@Malm\u00f6.SE", "fel-lösen", REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert password_step(Client(), MALMO, REMOTE_ADDR=HOME).status_code == 429


def test_failures_of_a_lookalike_address_do_not_lock_out_the_account(accounts) -> None:  # type: ignore[no-untyped-def]
    for _i in range(5):
        password_step(Client(), "anna@k\u0131runa.se", "fel-lösen", REMOTE_ADDR=HOME)
    assert logged_in(password_step(Client(), KIRUNA, REMOTE_ADDR=HOME))


def test_one_account_per_address_however_it_is_typed(accounts) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="Anna@KIRUNA.se", full_name="Dubblett")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="jon@malm\u00f6.se", full_name="Dubblett")
    # A look-alike is another address, and another account.
    User.objects.create_user(email="anna@k\u0131runa.se", full_name="Annan")


def test_a_form_that_edits_an_address_is_told_of_the_account_that_has_it(accounts) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    other = User(email="Jon@MALM\u00d6.SE", full_name="Dubblett")
    with pytest.raises(ValidationError) as refused:
        other.full_clean(exclude=["password"])
    with translation.override("en"):
        assert "already exists" in str(refused.value.message_dict["email"])
    # The account itself may keep its address, typed another way.
    accounts[1].email = "JON@malm\u00f6.se"
    accounts[1].full_clean(exclude=["password"])
