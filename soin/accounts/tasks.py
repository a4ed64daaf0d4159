"""Background work for accounts: tasks load by id and call ordinary functions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from soin.accounts.models import User
from soin.core.mail import mail_task, send_mail
from soin.regions.models import Partnership


@task()
@mail_task
def send_invitation(*, user_id: int, partnership_id: int | None = None) -> None:
    """Mail a new person a link where they choose their password."""
    user = User.objects.get(pk=user_id)
    partnership = Partnership.objects.filter(pk=partnership_id).first() if partnership_id else None
    with translation.override(user.language):
        path = reverse(
            "staff:password_set",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "user": user,
            "partnership": partnership,
            "link": settings.SITE_URL + path,
            "login": settings.SITE_URL + reverse("staff:login"),
        }
        send_mail(
            subject=_("Your account in Soin"),
            message=render_to_string("accounts/mail/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
