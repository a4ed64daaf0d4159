"""Mails about ideas, sent by the task worker after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from soin.ideas.models import Idea


@task()
def send_receipt(*, idea_id: int, token: str) -> None:
    """Confirm to the carrier that their idea arrived, with the private link to its status."""
    idea = Idea.objects.select_related("partnership").get(pk=idea_id)
    if not idea.carrier_email:
        return
    with translation.override(idea.language):
        link = settings.SITE_URL + reverse(
            "public:idea_status", kwargs={"partnership": idea.partnership.slug, "token": token}
        )
        send_mail(
            subject=_("We have received your idea: %(title)s") % {"title": idea.title},
            message=render_to_string("ideas/mail/receipt.txt", {"idea": idea, "link": link}),
            from_email=None,
            recipient_list=[idea.carrier_email],
        )
