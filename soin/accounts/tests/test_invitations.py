"""Giving a new person a role: the mail goes out through the task queue's worker over SMTP."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from soin.accounts.models import Role, User
from soin.core.testing import COORDINATOR, build_world, login


@pytest.mark.django_db(transaction=True)
def test_an_invited_person_gets_a_link_by_mail_and_chooses_a_password(  # type: ignore[no-untyped-def]
    reference_data, smtp_server
) -> None:
    world = build_world()
    coordinator = Client()
    login(coordinator, world.users[COORDINATOR])
    response = coordinator.post(
        reverse("staff:person_invite", kwargs={"partnership": "orebro"}),
        {
            "full_name": "Ny Rådgivare",
            "email": "Ny.Radgivare@Example.org",
            "kind": "advisor",
            "language": "sv",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email_canonical="ny.radgivare@example.org")
    assert not user.has_usable_password()
    assert Role.objects.filter(user=user, kind="advisor", partnership=world.partnership).exists()
    # The web request only queued the mail.
    assert smtp_server.inbox.messages == []
    invitations = DBTaskResult.objects.filter(task_path__endswith="accounts.tasks.send_invitation")
    assert invitations.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert invitations.filter(status="SUCCESSFUL").count() == 1
    [message] = [
        m for m in smtp_server.inbox.messages if m["X-Envelope-To"] == "Ny.Radgivare@Example.org"
    ]
    assert message["X-Envelope-To"] == "Ny.Radgivare@Example.org"
    assert message["Subject"] == "Ditt konto i Soin"
    body = message.get_content()
    link = re.search(r"http://\S+/staff/password/set/\S+/", body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]

    person = Client()
    form_page = person.get(path, follow=True)
    assert "Välj ditt lösenord" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = person.post(
        set_url, {"new_password1": "ett-långt-lösen-42", "new_password2": "ett-långt-lösen-42"}
    )
    assert response.status_code == 302
    # The new password lets them past the first step of the login, to setting up the app.
    login_page = Client().post(
        reverse("staff:login"),
        {"username": "ny.radgivare@example.org", "password": "ett-långt-lösen-42"},
    )
    assert login_page["Location"].startswith(reverse("staff:login_enrol"))
    from soin.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="user.set_password", actor=user).exists()
    # The link works once.
    assert "redan använts" in Client().get(path, follow=True).content.decode()


def test_an_existing_account_gets_the_role_without_a_new_mail(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    from soin.accounts.services import person_invite

    with django_capture_on_commit_callbacks(execute=True):
        role = person_invite(
            actor=world.users[COORDINATOR],
            partnership=world.partnership,
            email="ADVISOR@example.org",
            full_name="x",
            kind="coordinator",
        )
    assert role.user == world.users["advisor"]
    assert DBTaskResult.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        person_invite(
            actor=world.users[COORDINATOR],
            partnership=world.partnership,
            email="new@example.org",
            full_name="Ny",
            kind="advisor",
        )
    assert DBTaskResult.objects.count() == 1


def test_a_person_whose_link_expired_gets_a_new_one(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    from django.core.exceptions import ValidationError

    from soin.accounts.services import person_invitation_resend

    client = Client()
    login(client, world.users[COORDINATOR])
    role = Role.objects.get(user=world.users["advisor"])
    page = client.get(reverse("staff:people", kwargs={"partnership": "orebro"})).content.decode()
    assert "Har inte valt lösenord än" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:invitation_resend", kwargs={"partnership": "orebro", "pk": role.pk})
        )
    assert response.status_code == 302
    assert DBTaskResult.objects.count() == 1
    user = world.users["advisor"]
    user.set_password("nu-har-jag-ett-lösen")
    user.save()
    with pytest.raises(ValidationError):
        person_invitation_resend(user=user, partnership=world.partnership, actor=None)
