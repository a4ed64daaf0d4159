"""A login ends after two hours without activity, and ten hours after it began; logging out
ends the second factor's verification too."""

from __future__ import annotations

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from soin.accounts.middleware import LOGIN_AT, SEEN_AT
from soin.accounts.tests.conftest import Client, password_step, with_password
from soin.core.testing import COORDINATOR, authenticator_app, login

DASHBOARD = "/staff/orebro/"


def shift(client, **seconds_back: int) -> None:  # type: ignore[no-untyped-def]
    """Let time pass: move the session's moments back by so many seconds."""
    session = client.session
    for key, back in (("login", LOGIN_AT), ("seen", SEEN_AT)):
        if key in seconds_back:
            session[back] = session[back] - seconds_back[key]
    session.save()


def test_a_login_idle_longer_than_two_hours_ends_with_a_message(people) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, people.users[COORDINATOR])
    assert client.get(DASHBOARD).status_code == 200
    shift(client, login=119 * 60, seen=119 * 60)
    assert client.get(DASHBOARD).status_code == 200
    # That request counted as activity: two hours from now on.
    shift(client, seen=119 * 60)
    assert client.get(DASHBOARD).status_code == 200
    shift(client, seen=121 * 60)
    response = client.get(DASHBOARD)
    assert response["Location"] == f"{reverse('staff:login')}?next=/staff/orebro/"
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out after 120 minutes without activity." in page
    assert client.get(DASHBOARD)["Location"].startswith(reverse("staff:login"))


def test_a_login_ends_ten_hours_after_it_began_however_busy(people) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, people.users[COORDINATOR])
    shift(client, login=10 * 3600 - 60, seen=60)
    assert client.get(DASHBOARD).status_code == 200
    shift(client, login=120)
    response = client.get(DASHBOARD, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("staff:login"))
    assert "10 hours have passed since you logged in" in response.content.decode()


def test_an_expired_login_on_a_public_page_just_ends(people) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, people.users[COORDINATOR])
    shift(client, seen=121 * 60)
    assert client.get("/sv/").status_code == 200
    assert client.get(DASHBOARD)["Location"].startswith(reverse("staff:login"))


def test_logging_out_ends_the_verification(people) -> None:  # type: ignore[no-untyped-def]
    user = with_password(people.users[COORDINATOR])
    authenticator_app(user)
    client = Client()
    login(client, user)
    assert DEVICE_ID_SESSION_KEY in client.session
    client.post(reverse("staff:logout"))
    assert DEVICE_ID_SESSION_KEY not in client.session
    # The password again is not enough: the code is asked for.
    assert password_step(client, user.email)["Location"].startswith(reverse("staff:login_code"))
    assert client.get(DASHBOARD)["Location"].startswith(reverse("staff:login_code"))
