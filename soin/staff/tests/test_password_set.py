"""Choosing a password through the invitation link: common and short passwords are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from soin.core.testing import make_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, error",
    [
        # On every list of the most used passwords, and long enough to pass the length rule.
        ("password123", "Detta lösenord är alldeles för vanligt."),
        ("qwertyuiop", "Detta lösenord är alldeles för vanligt."),
        ("kort-42", "Det här lösenordet är för kort. Det måste innehålla minst 10 tecken."),
        ("1234567890123", "Detta lösenord är enbart numeriskt."),
    ],
)
def test_a_common_or_weak_password_is_refused(password: str, error: str) -> None:
    user = make_user("ny.person@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    client = Client()
    page = client.get(
        f"/staff/password/set/{uid}/{default_token_generator.make_token(user)}/", follow=True
    )
    set_url = page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert error in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    # A password of one's own goes through.
    good = "Kanelbullar-på-torsdag-7"
    response = client.post(set_url, {"new_password1": good, "new_password2": good})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(good)
