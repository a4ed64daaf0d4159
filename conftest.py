"""Fixtures every test can use."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Hashing strength is not under test; the suite logs people in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None):  # type: ignore[no-untyped-def]
    from soin.core.testing import build_world

    return build_world()
