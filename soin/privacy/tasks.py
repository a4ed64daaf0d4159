"""The mail with a person's link to their own data, sent by the worker after commit, in the
language they asked in."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from soin.core.mail import mail_task, send_mail
from soin.privacy.models import AccessRequest
from soin.privacy.services import access_token


@task()
@mail_task
def send_data_link(*, access_request_id: int) -> None:
    """Send the private link; the link itself is made here and stored nowhere."""
    access_request = (
        AccessRequest.objects.select_related("partnership").filter(pk=access_request_id).first()
    )
    if access_request is None or access_request.is_used or access_request.is_expired:
        return
    with translation.override(access_request.language):
        link = settings.SITE_URL + reverse(
            "public:data_access",
            kwargs={
                "partnership": access_request.partnership.slug,
                "token": access_token(access_request),
            },
        )
        send_mail(
            subject=_("Your data at %(partnership)s")
            % {"partnership": access_request.partnership.name},
            message=render_to_string(
                "privacy/mail/data_link.txt",
                {
                    "partnership": access_request.partnership,
                    "link": link,
                    "until": timezone.localtime(access_request.expires_at),
                },
            ),
            from_email=None,
            recipient_list=[access_request.email],
        )
