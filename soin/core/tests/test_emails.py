"""The canonical form of an e-mail address: look-alikes stay apart, true equivalents meet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soin.core.emails import canonical_email

KELVIN = "\u212a"
DOTLESS_I = "\u0131"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Anna@Kiruna.SE", "anna@kiruna.se"),
        ("  anna@kiruna.se ", "anna@kiruna.se"),
        ("anna@Malmö.se", "anna@xn--malm-8qa.se"),
        ("anna@MALMÖ.SE", "anna@malmö.se"),
        # An accent typed as a letter and a combining mark (NFD) is the same address.
        ("anna@malmo\u0308.se", "anna@malmö.se"),
        ("jo\u0308rgen@x.se", "jörgen@x.se"),
        # The domain as DNS resolves it: UTS #46 maps these to the same host.
        (f"anna@{KELVIN}iruna.se", "anna@kiruna.se"),
        ("anna@ｋｉｒｕｎａ.se", "anna@kiruna.se"),
        ("anna@kiruna.se.", "anna@kiruna.se"),
        # The Kelvin sign is canonically equivalent to K (a singleton decomposition, so NFC
        # turns it into K, as RFC 6532 asks of every address); a full-width letter is not.
        (f"{KELVIN}arin@kiruna.se", "karin@kiruna.se"),
    ],
)
def test_true_equivalents_have_one_canonical_form(one: str, other: str) -> None:
    assert canonical_email(one) == canonical_email(other)


@pytest.mark.parametrize(
    ("lookalike", "address"),
    [
        (f"anna@k{DOTLESS_I}runa.se", "anna@kiruna.se"),
        (f"{DOTLESS_I}da@kiruna.se", "ida@kiruna.se"),
        (f"{DOTLESS_I}da@kiruna.se", "IDA@kiruna.se"),
        ("İda@kiruna.se", "ida@kiruna.se"),
        ("ａnna@kiruna.se", "anna@kiruna.se"),
        ("anna@kíruna.se", "anna@kiruna.se"),
        ("anna@kirunä.se", "anna@kiruna.se"),
        ("anna@kiruna.se", "anna@kiruna.sé"),
        ("ánna@kiruna.se", "anna@kiruna.se"),
    ],
)
def test_lookalikes_keep_apart(lookalike: str, address: str) -> None:
    assert canonical_email(lookalike) != canonical_email(address)


def test_an_empty_address_is_empty() -> None:
    assert canonical_email("") == canonical_email(None) == canonical_email("   ") == ""


@given(st.text(max_size=80))
def test_the_canonical_form_is_stable(text: str) -> None:
    once = canonical_email(text)
    assert canonical_email(once) == once


@given(st.emails())
def test_an_ascii_address_folds_to_its_lower_case(address: str) -> None:
    local = address.rpartition("@")[0]
    assert canonical_email(address.upper()) == canonical_email(address)
    assert canonical_email(address).startswith(local.lower() + "@")
