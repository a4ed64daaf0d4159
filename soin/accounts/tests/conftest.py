"""What the login tests share: a few people, an English-speaking browser, the steps."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.accounts.models import Role, User
from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL, make_partnership, make_user

PASSWORD = "ett-långt-lösen-42"


@pytest.fixture
def people(reference_data):  # type: ignore[no-untyped-def]
    """A partnership with a coordinator and an advisor, and a national coordinator: all the
    login needs."""
    partnership = make_partnership(slug="orebro", region_code="18")
    coordinator = make_user("coordinator@example.org", Role.Kind.COORDINATOR, partnership)
    advisor = make_user("advisor@example.org", Role.Kind.ADVISOR, partnership)
    national = make_user("national@example.org", Role.Kind.NATIONAL_COORDINATOR)
    return SimpleNamespace(
        partnership=partnership,
        users={COORDINATOR: coordinator, ADVISOR: advisor, NATIONAL: national},
    )


def Client() -> DjangoClient:
    """A browser that chose English with the language switch."""
    client = DjangoClient()
    client.cookies["django_language"] = "en"
    return client


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def password_step(client: DjangoClient, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("staff:login"), {"username": email, "password": password}, **extra)


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def a_while_later(user: User) -> None:
    """The throttle after a wrong code has run out (django-otp waits 1, 2, 4… seconds)."""
    earlier = timezone.now() - datetime.timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=earlier)
