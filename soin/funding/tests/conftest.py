from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from soin.core.testing import login


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The services' messages and the pages are checked in English, the source language."""
    with translation.override("en"):
        yield


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    if user is not None:
        login(client, user)
    return client


@pytest.fixture
def as_role(world):  # type: ignore[no-untyped-def]
    return lambda role: client_for(world.users[role])
