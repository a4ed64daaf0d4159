"""Mails to applicants, sent by the task worker after the change is committed, in the
language they applied in."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from soin.core.mail import mail_task, send_mail
from soin.grants.models import Grant
from soin.grants.services import grant_token, kronor


def _link(grant: Grant) -> str:
    return settings.SITE_URL + reverse(
        "public:grant_status",
        kwargs={"partnership": grant.partnership.slug, "token": grant_token(grant)},
    )


@task()
@mail_task
def send_receipt(*, grant_id: int) -> None:
    """Confirm to the applicant that the application arrived, with the private link."""
    grant = Grant.objects.select_related("partnership").get(pk=grant_id)
    if not grant.contact_email:
        return
    with translation.override(grant.language):
        send_mail(
            subject=_("We have received your application: %(title)s") % {"title": grant.title},
            message=render_to_string(
                "grants/mail/receipt.txt",
                {"grant": grant, "link": _link(grant), "applied": kronor(grant.amount_applied)},
            ),
            from_email=None,
            recipient_list=[grant.contact_email],
        )


@task()
@mail_task
def send_decision(*, grant_id: int) -> None:
    """Tell the applicant of the partnership's decision."""
    grant = Grant.objects.select_related("partnership").get(pk=grant_id)
    if not grant.contact_email or grant.state not in (Grant.State.APPROVED, Grant.State.REJECTED):
        return
    with translation.override(grant.language):
        subject = (
            _("Your application is approved: %(title)s")
            if grant.state == Grant.State.APPROVED
            else _("Decision on your application: %(title)s")
        )
        send_mail(
            subject=subject % {"title": grant.title},
            message=render_to_string(
                "grants/mail/decision.txt",
                {
                    "grant": grant,
                    "link": _link(grant),
                    "granted": kronor(grant.amount_granted or 0),
                },
            ),
            from_email=None,
            recipient_list=[grant.contact_email],
        )
