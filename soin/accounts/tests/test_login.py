from __future__ import annotations

from django.test import Client
from django.urls import reverse

from soin.core.testing import COORDINATOR


def test_staff_log_in_with_their_email_address(world) -> None:  # type: ignore[no-untyped-def]
    user = world.users[COORDINATOR]
    user.set_password("ett-långt-lösen-42")
    user.save()
    client = Client()
    response = client.post(
        reverse("staff:login"), {"username": "Coordinator@Example.org", "password": "fel"}
    )
    assert "E-postadressen eller lösenordet är fel." in response.content.decode()
    response = client.post(
        reverse("staff:login"),
        {"username": "Coordinator@Example.org", "password": "ett-långt-lösen-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/staff/orebro/"
    assert "Översikt" in response.content.decode()
