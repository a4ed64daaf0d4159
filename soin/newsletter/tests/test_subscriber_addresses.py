"""One subscriber per partnership and address, found by the address's canonical form
(soin.core.emails): the sign-up form, the import and an erasure's suppression treat the same
address typed another way as one, and an address that only looks like it as another."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from soin.core.testing import COORDINATOR, World, post_form
from soin.newsletter import services
from soin.newsletter.models import Subscriber, Suppression

pytestmark = pytest.mark.django_db


def sign_up(world: World, email: str):  # type: ignore[no-untyped-def]
    url = reverse("public:newsletter_subscribe", kwargs={"partnership": world.partnership.slug})
    data = {"email": email, "name": "Lisa", "language": "sv", "consent": "on"}
    return post_form(Client(), url, data)


def import_one(world: World, email: str) -> dict[str, int]:
    return services.subscribers_import(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        content=f"email\n{email}\n".encode(),
        filename="lista.csv",
        consent_note="Den gamla listan",
    )


def test_signing_up_again_with_the_address_typed_another_way_adds_no_subscriber(
    world: World,
) -> None:
    assert sign_up(world, "lisa@xn--malm-8qa.se").status_code == 302
    before = Subscriber.objects.count()
    for typed in ("Lisa@MALM\u00d6.se", "lisa@malmo\u0308.se", "LISA@XN--MALM-8QA.SE"):
        assert sign_up(world, typed).status_code == 302
    assert Subscriber.objects.count() == before
    # The address as first typed is kept: mail goes there.
    assert Subscriber.objects.filter(email="lisa@xn--malm-8qa.se").count() == 1


def test_a_lookalike_address_is_another_subscriber(world: World) -> None:
    assert sign_up(world, "lisa@kiruna.se").status_code == 302
    before = Subscriber.objects.count()
    assert sign_up(world, "lisa@k\u0131runa.se").status_code == 302
    assert Subscriber.objects.count() == before + 1
    original = Subscriber.objects.get(email_canonical="lisa@kiruna.se")
    assert original.consent_text and original.state == Subscriber.State.PENDING


def test_an_erased_address_typed_another_way_is_not_imported_again(world: World) -> None:
    assert sign_up(world, "lisa@malm\u00f6.se").status_code == 302
    subscriber = Subscriber.objects.get(email="lisa@malm\u00f6.se")
    services.subscriber_erase(subscriber=subscriber, actor=None)
    counts = import_one(world, "LISA@xn--malm-8qa.se")
    assert (counts["added"], counts["erased"]) == (0, 1)
    # A look-alike address is not the erased one.
    assert import_one(world, "lisa@malmo.se")["added"] == 1


def test_an_address_erased_before_canonical_forms_is_still_kept_out(world: World) -> None:
    # Such a suppression holds the hash of the address in lower case, and only the hash.
    legacy = hmac.new(settings.SECRET_KEY.encode(), b"lisa@example.org", hashlib.sha256).hexdigest()
    Suppression.objects.create(partnership=world.partnership, email_hash=legacy)
    counts = import_one(world, "Lisa@Example.org")
    assert (counts["added"], counts["erased"]) == (0, 1)
