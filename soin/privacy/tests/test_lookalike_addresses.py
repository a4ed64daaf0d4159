"""A person's own data is found by the canonical form of their address only: an address that
merely looks like theirs (a dotless i, an accent, a full-width letter) gets nothing, while the
same address typed another way (case, the domain's IDNA form, a decomposed accent) does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from soin.core.testing import post_form
from soin.privacy import selectors
from soin.privacy.models import AccessRequest
from soin.privacy.tests.helpers import person_everywhere

pytestmark = pytest.mark.django_db

VICTIM = "anna@kiruna.se"
DOTLESS_I = "\u0131"


def ask(world, email: str):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        url = reverse("public:data_request", kwargs={"partnership": world.partnership.slug})
    return post_form(Client(), url, {"email": email, "homepage": ""})


def test_my_data_for_a_lookalike_domain_mails_nothing_and_opens_nothing(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    person_everywhere(world, VICTIM)
    attacker = f"anna@k{DOTLESS_I}runa.se"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ask(world, attacker)
    assert response.status_code == 302
    # No link is mailed to the look-alike address, and no request for it exists.
    assert callbacks == []
    assert not AccessRequest.objects.filter(email=attacker).exists()
    data = selectors.person_data(partnership=world.partnership, email=attacker)
    assert not any(data.values()), {k: v for k, v in data.items() if v}


@pytest.mark.parametrize(
    "lookalike",
    [
        f"anna@k{DOTLESS_I}runa.se",
        "anna@k\u00edruna.se",  # kíruna.se
        "anna@KIRUNA.SE".replace("I", "\u0130", 1),  # a dotted capital I in the domain
        f"{DOTLESS_I}da@kiruna.se",
        "\u0130da@kiruna.se",
        "\uff41nna@kiruna.se",  # a full-width a
    ],
)
def test_no_lookalike_address_finds_anyones_data(world, lookalike: str) -> None:  # type: ignore[no-untyped-def]
    person_everywhere(world, VICTIM)
    person_everywhere(world, "ida@kiruna.se", grant=False)
    data = selectors.person_data(partnership=world.partnership, email=lookalike)
    assert not any(data.values()), {k: v for k, v in data.items() if v}
    assert not selectors.holds_data(partnership=world.partnership, email=lookalike)


@pytest.mark.parametrize(
    ("stored", "asked"),
    [
        (VICTIM, "Anna@Kiruna.SE"),
        (VICTIM, " anna@kiruna.se "),
        ("anna@xn--malm-8qa.se", "anna@MALM\u00d6.se"),
        ("anna@malm\u00f6.se", "anna@xn--malm-8qa.se"),
        ("anna@malm\u00f6.se", "anna@malmo\u0308.se"),
    ],
)
def test_the_same_address_typed_another_way_gets_its_link(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks, stored: str, asked: str
) -> None:
    person_everywhere(world, stored)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ask(world, asked)
    assert response.status_code == 302
    assert len(callbacks) == 1
    data = selectors.person_data(partnership=world.partnership, email=asked)
    for kind in ("ideas", "registrations", "newsletter", "grants", "partner_contacts"):
        assert len(data[kind]) == 1, kind
