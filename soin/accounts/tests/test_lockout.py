"""Repeated failed logins lock out one e-mail address from one network address for the
cool-off; the login form is also limited per network address."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from soin.accounts.tests.conftest import Client, password_step, with_password, wrong
from soin.core.testing import ADVISOR, COORDINATOR, authenticator_app, current_code

HOME = "10.1.1.1"
CAFE = "10.2.2.2"


def fail_five_times(client, email: str, **extra: str):  # type: ignore[no-untyped-def]
    for _i in range(4):
        assert password_step(client, email, "fel-lösen", **extra).status_code == 200
    return password_step(client, email, "fel-lösen", **extra)


def logged_in(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"].startswith("/staff/login/enrol/")


def test_five_failures_lock_out_that_address_and_that_address_only(people) -> None:  # type: ignore[no-untyped-def]
    coordinator = with_password(people.users[COORDINATOR])
    advisor = with_password(people.users[ADVISOR])
    response = fail_five_times(Client(), "Coordinator@example.org", REMOTE_ADDR=HOME)
    assert response.status_code == 429
    text = response.content.decode()
    until = timezone.localtime(
        AccessAttempt.objects.get(username=coordinator.email).attempt_time
        + datetime.timedelta(minutes=15)
    )
    assert "Logging in is paused" in text
    assert f"paused until {until:%H:%M} (in 15 minutes)" in text
    assert "info@example.org" in text
    assert response["Retry-After"] == "900"
    # The right password does not help from that address, whichever way it is written…
    assert password_step(Client(), coordinator.email, REMOTE_ADDR=HOME).status_code == 429
    assert password_step(Client(), "COORDINATOR@example.org", REMOTE_ADDR=HOME).status_code == 429
    # …but the same person from another address, and another person from the same address,
    # log in.
    assert logged_in(password_step(Client(), coordinator.email, REMOTE_ADDR=CAFE))
    assert logged_in(password_step(Client(), advisor.email, REMOTE_ADDR=HOME))


def test_four_failures_do_not_lock_out(people) -> None:  # type: ignore[no-untyped-def]
    coordinator = with_password(people.users[COORDINATOR])
    client = Client()
    for _i in range(4):
        password_step(client, coordinator.email, "fel-lösen", REMOTE_ADDR=HOME)
    assert logged_in(password_step(client, coordinator.email, REMOTE_ADDR=HOME))


def test_the_lock_ends_after_the_cool_off(people) -> None:  # type: ignore[no-untyped-def]
    coordinator = with_password(people.users[COORDINATOR])
    fail_five_times(Client(), coordinator.email, REMOTE_ADDR=HOME)
    assert password_step(Client(), coordinator.email, REMOTE_ADDR=HOME).status_code == 429
    # Fourteen minutes later it still holds; sixteen minutes later it is over.
    last = AccessAttempt.objects.get(username=coordinator.email)
    AccessAttempt.objects.filter(pk=last.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=14)
    )
    assert password_step(Client(), coordinator.email, REMOTE_ADDR=HOME).status_code == 429
    AccessAttempt.objects.filter(username=coordinator.email).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert logged_in(password_step(Client(), coordinator.email, REMOTE_ADDR=HOME))


def test_wrong_codes_count_towards_the_lockout_and_end_the_login(people) -> None:  # type: ignore[no-untyped-def]
    coordinator = with_password(people.users[COORDINATOR])
    device = authenticator_app(coordinator)
    client = Client()
    code_url = password_step(client, coordinator.email, REMOTE_ADDR=HOME)["Location"]
    for _i in range(4):
        response = client.post(code_url, {"code": wrong(current_code(device))}, REMOTE_ADDR=HOME)
        assert response.status_code == 200
    response = client.post(code_url, {"code": wrong(current_code(device))}, REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert "Logging in is paused" in response.content.decode()
    # The half-finished login is over, and the password alone cannot start another.
    assert client.get("/staff/")["Location"].startswith(reverse("staff:login"))
    assert password_step(Client(), coordinator.email, REMOTE_ADDR=HOME).status_code == 429


def test_the_lockout_page_speaks_swedish_too(people) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client as SwedishClient

    with_password(people.users[COORDINATOR])
    response = fail_five_times(SwedishClient(), "coordinator@example.org", REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert '<html lang="sv">' in response.content.decode()


def test_forwarded_addresses_count_only_behind_trusted_proxies(people, settings) -> None:  # type: ignore[no-untyped-def]
    coordinator = with_password(people.users[COORDINATOR])
    proxy = "10.9.9.9"
    # No trusted proxy: X-Forwarded-For is the visitor's own writing, and changing it does
    # not escape the lock of the connection's address.
    settings.SOIN_TRUSTED_PROXIES = 0
    for i in range(5):
        password_step(
            Client(),
            coordinator.email,
            "fel-lösen",
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    response = password_step(
        Client(), coordinator.email, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {proxy}
    AccessAttempt.objects.all().delete()
    # Behind one trusted proxy, the address it appended is the visitor's: one visitor is
    # locked out, another behind the same proxy is not.
    settings.SOIN_TRUSTED_PROXIES = 1
    fail_five_times(
        Client(), coordinator.email, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5"
    )
    assert (
        password_step(
            Client(), coordinator.email, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"
        ).status_code
        == 429
    )
    assert logged_in(
        password_step(
            Client(), coordinator.email, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6"
        )
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_one_address_may_send_the_login_form_only_so_often(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_LOGIN_PER_HOUR = 3
    coordinator = with_password(people.users[COORDINATOR])
    for i in range(3):
        response = password_step(Client(), f"person{i}@example.org", "fel-lösen", REMOTE_ADDR=HOME)
        assert response.status_code == 200
    # Many addresses tried from one place: the next try is refused, even the right password.
    response = password_step(Client(), coordinator.email, REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert "Too many logins have been tried from your network address" in (
        response.content.decode()
    )
    assert logged_in(password_step(Client(), coordinator.email, REMOTE_ADDR=CAFE))
