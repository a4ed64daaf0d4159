"""Logging in to the back office: the password, then the second factor (set up the first
time), recovery codes, and the back office closed to a login that gave only the password."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.accounts.models import User
from soin.accounts.services import recovery_codes_renew
from soin.accounts.tests.conftest import Client, a_while_later, password_step, with_password, wrong
from soin.audit.models import AuditEntry
from soin.core.testing import (
    COORDINATOR,
    NATIONAL,
    authenticator_app,
    current_code,
    login,
    make_user,
)


def test_the_password_is_checked_and_case_does_not_matter_in_the_address(people) -> None:  # type: ignore[no-untyped-def]
    with_password(people.users[COORDINATOR])
    client = Client()
    response = password_step(client, "Coordinator@Example.org", "fel")
    assert "The e-mail address or the password is wrong." in response.content.decode()
    response = password_step(client, "Coordinator@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:login_enrol") + "?next=%2Fstaff%2F"


def test_the_first_login_sets_up_the_app_and_gives_ten_recovery_codes(people) -> None:  # type: ignore[no-untyped-def]
    user = with_password(people.users[COORDINATOR])
    client = Client()
    enrol_url = password_step(client, user.email)["Location"]
    page = client.get(enrol_url)
    text = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The QR code drawn into the page, and the key written out for typing in.
    assert '<svg role="img" aria-label="QR code' in text
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", text).group(1)  # type: ignore[union-attr]
    import base64

    assert base64.b32decode(key.replace(" ", "")) == device.bin_key
    # A wrong first code sets nothing up.
    response = client.post(enrol_url, {"code": wrong(current_code(device))})
    assert "The code is wrong" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get(reverse("staff:home"))["Location"].startswith(reverse("staff:login_enrol"))
    a_while_later(user)
    response = client.post(enrol_url, {"code": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 == StaticToken.objects.filter(device__user=user).count()
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="user.second_factor_enrol", actor=user).exists()
    # Verified now: the back office opens.
    dashboard = client.get(reverse("staff:home"), follow=True)
    assert dashboard.redirect_chain[-1][0] == "/staff/orebro/"
    assert dashboard.status_code == 200
    # The next login asks for a code, and the enrolment page is closed.
    client.post(reverse("staff:logout"))
    response = password_step(client, user.email)
    assert response["Location"] == reverse("staff:login_code") + "?next=%2Fstaff%2F"
    assert client.get(reverse("staff:login_enrol"))["Location"].startswith(
        reverse("staff:login_code")
    )
    response = client.post(response["Location"], {"code": current_code(device, steps_ahead=1)})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/orebro/").status_code == 200


def test_the_code_step_refuses_a_wrong_code_and_lets_the_right_one_in(people) -> None:  # type: ignore[no-untyped-def]
    user = with_password(people.users[COORDINATOR])
    device = authenticator_app(user)
    client = Client()
    code_url = password_step(client, user.email)["Location"]
    assert code_url.startswith(reverse("staff:login_code"))
    response = client.post(code_url, {"code": wrong(current_code(device))})
    assert response.status_code == 200
    assert "The code is wrong" in response.content.decode()
    assert client.get("/staff/orebro/")["Location"].startswith(reverse("staff:login_code"))
    # The wrong code counts as a failed login towards the lockout.
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 1
    a_while_later(user)
    response = client.post(code_url, {"code": current_code(device)})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/orebro/").status_code == 200
    # Both factors given: the pair's failures are forgotten.
    assert not AccessAttempt.objects.filter(username=user.email).exists()


def test_wrong_codes_in_a_row_make_the_next_try_wait(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    user = with_password(people.users[COORDINATOR])
    device = authenticator_app(user)
    client = Client()
    code_url = password_step(client, user.email)["Location"]
    client.post(code_url, {"code": wrong(current_code(device))})
    # Even the right code is not tried while the wait lasts.
    response = client.post(code_url, {"code": current_code(device)})
    assert "Too many wrong codes in a row" in response.content.decode()
    assert client.get("/staff/orebro/")["Location"].startswith(reverse("staff:login_code"))
    a_while_later(user)
    assert client.post(code_url, {"code": current_code(device)})["Location"] == "/staff/"


def test_a_recovery_code_lets_one_in_once(people) -> None:  # type: ignore[no-untyped-def]
    user = with_password(people.users[COORDINATOR])
    authenticator_app(user)
    codes = recovery_codes_renew(user=user)
    client = Client()
    code_url = password_step(client, user.email)["Location"]
    response = client.post(code_url, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/orebro/"
    assert "You have 9 codes left" in response.content.decode()
    assert AuditEntry.objects.filter(action="user.recovery_code_use", actor=user).exists()
    client.post(reverse("staff:logout"))
    code_url = password_step(client, user.email)["Location"]
    response = client.post(code_url, {"code": codes[0]})
    assert "The code is wrong" in response.content.decode()
    assert client.get("/staff/orebro/")["Location"].startswith(reverse("staff:login_code"))
    a_while_later(user)
    assert client.post(code_url, {"code": codes[1]})["Location"] == "/staff/"
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_new_recovery_codes_replace_the_old_ones(people) -> None:  # type: ignore[no-untyped-def]
    user = people.users[COORDINATOR]
    old = recovery_codes_renew(user=user)
    client = Client()
    login(client, user)
    page = client.get(reverse("staff:login_security")).content.decode()
    assert "You have 10 unused recovery codes." in page
    response = client.post(reverse("staff:login_security"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(new)
    )
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.parametrize(
    "name, kwargs, role",
    [
        ("staff:home", {}, COORDINATOR),
        ("staff:dashboard", {"partnership": "orebro"}, COORDINATOR),
        ("staff:partnership_settings", {"partnership": "orebro"}, COORDINATOR),
        ("staff:audit_log", {"partnership": "orebro"}, COORDINATOR),
        ("staff:people", {"partnership": "orebro"}, COORDINATOR),
        ("staff:calendar_settings", {"partnership": "orebro"}, COORDINATOR),
        ("staff:login_security", {}, COORDINATOR),
        ("staff:national_statistics", {}, NATIONAL),
        ("staff:national_exchange", {}, NATIONAL),
    ],
)
def test_a_login_with_only_the_password_opens_no_back_office_page(  # type: ignore[no-untyped-def]
    people, name, kwargs, role
) -> None:
    user = people.users[role]
    url = reverse(name, kwargs=kwargs)
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login_enrol") + "?next=")
    authenticator_app(user)
    response = client.get(url)
    assert response["Location"] == f"{reverse('staff:login_code')}?next={url.replace('/', '%2F')}"
    login(client, user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert not response.redirect_chain or "/login/" not in response.redirect_chain[-1][0]


def test_the_admin_asks_a_superuser_for_the_code_too(people) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser(email="admin@example.org", full_name="Admin")
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith(reverse("staff:login_enrol"))
    login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_otp_reset_removes_the_app_and_codes_so_the_next_login_sets_up_a_new_one(people) -> None:  # type: ignore[no-untyped-def]
    user = people.users[COORDINATOR]
    client = Client()
    login(client, user)
    recovery_codes_renew(user=user)
    assert client.get("/staff/orebro/").status_code == 200
    from io import StringIO

    out = StringIO()
    call_command("otp_reset", "Coordinator@Example.ORG", stdout=out)
    assert "coordinator@example.org" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="user.second_factor_reset", object_pk=str(user.pk))
    # The login the old app verified is verified no more: it must set up the new one.
    assert client.get("/staff/orebro/")["Location"].startswith(reverse("staff:login_enrol"))
    with pytest.raises(CommandError):
        call_command("otp_reset", "nobody@example.org")


def test_a_person_without_a_role_still_needs_the_second_factor(people) -> None:  # type: ignore[no-untyped-def]
    person = with_password(make_user("utan.roll@example.org"))
    client = Client()
    assert password_step(client, person.email)["Location"].startswith(reverse("staff:login_enrol"))
