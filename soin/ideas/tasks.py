"""Mails about ideas, sent by the task worker after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from soin.accounts.models import Role, User
from soin.core.mail import mail_task, send_mail
from soin.ideas.models import Idea
from soin.ideas.services import status_token
from soin.ideas.workflow import CARRIER_STAGE
from soin.regions.models import Partnership


@task()
@mail_task
def send_receipt(*, idea_id: int) -> None:
    """Confirm to the carrier that their idea arrived, with the private link to its status."""
    idea = Idea.objects.select_related("partnership").get(pk=idea_id)
    if not idea.carrier_email:
        return
    with translation.override(idea.language):
        link = settings.SITE_URL + reverse(
            "public:idea_status",
            kwargs={"partnership": idea.partnership.slug, "token": status_token(idea)},
        )
        send_mail(
            subject=_("We have received your idea: %(title)s") % {"title": idea.title},
            message=render_to_string("ideas/mail/receipt.txt", {"idea": idea, "link": link}),
            from_email=None,
            recipient_list=[idea.carrier_email],
        )


# Steps the carrier hears about, with the mail's subject.
CARRIER_NOTICES = {
    "register": gettext_lazy("Your idea is registered: %(title)s"),
    "refer": gettext_lazy("Your idea has been passed on: %(title)s"),
    "drop": gettext_lazy("About your idea: %(title)s"),
    "disseminate": gettext_lazy("Your idea is in use: %(title)s"),
}


@task()
@mail_task
def notify_carrier(*, idea_id: int, move: str, stage: str = "") -> None:
    """Tell the carrier, in their language, that their idea took a step they should know of."""
    idea = Idea.objects.select_related("partnership", "referred_to").get(pk=idea_id)
    if not idea.carrier_email or move not in CARRIER_NOTICES:
        return
    with translation.override(idea.language):
        link = settings.SITE_URL + reverse(
            "public:idea_status",
            kwargs={"partnership": idea.partnership.slug, "token": status_token(idea)},
        )
        send_mail(
            subject=str(CARRIER_NOTICES[move]) % {"title": idea.title},
            message=render_to_string(
                "ideas/mail/carrier_notice.txt",
                {
                    "idea": idea,
                    "link": link,
                    "move": move,
                    "explanation": CARRIER_STAGE[Idea.Stage(stage or idea.stage)],
                },
            ),
            from_email=None,
            recipient_list=[idea.carrier_email],
        )


@task()
@mail_task
def notify_receiving_partner(*, idea_id: int) -> None:
    """Tell the contacts of the organisation an idea was referred to that it waits for them."""
    idea = Idea.objects.select_related("partnership", "referred_to").get(pk=idea_id)
    if idea.referred_to is None:
        return
    recipients = User.objects.filter(
        is_active=True,
        roles__kind=Role.Kind.PARTNER_CONTACT,
        roles__organisation=idea.referred_to,
    ).distinct()
    for user in recipients:
        with translation.override(user.language):
            link = settings.SITE_URL + reverse(
                "staff:idea_detail", kwargs={"partnership": idea.partnership.slug, "pk": idea.pk}
            )
            send_mail(
                subject=_("An idea has been referred to %(organisation)s: %(title)s")
                % {"organisation": idea.referred_to.name, "title": idea.title},
                message=render_to_string(
                    "ideas/mail/referred.txt", {"idea": idea, "user": user, "link": link}
                ),
                from_email=None,
                recipient_list=[user.email],
            )


@task()
@mail_task
def send_stale_digest(*, partnership_id: int, days: int = 21) -> int:
    """Mail each advisor and coordinator the partnership's open ideas that have not moved for
    ``days`` days; return how many mails were sent."""
    from soin.ideas.selectors import stale_ideas

    partnership = Partnership.objects.get(pk=partnership_id)
    ideas = list(stale_ideas(partnership=partnership, days=days))
    if not ideas:
        return 0
    recipients = User.objects.filter(
        is_active=True,
        roles__partnership=partnership,
        roles__kind__in=[Role.Kind.COORDINATOR, Role.Kind.ADVISOR],
    ).distinct()
    sent = 0
    for user in recipients:
        with translation.override(user.language):
            links = [
                (
                    idea,
                    settings.SITE_URL
                    + reverse(
                        "staff:idea_detail", kwargs={"partnership": partnership.slug, "pk": idea.pk}
                    ),
                )
                for idea in ideas
            ]
            send_mail(
                subject=_("%(count)s ideas have not moved for %(days)s days")
                % {"count": len(ideas), "days": days},
                message=render_to_string(
                    "ideas/mail/digest.txt", {"links": links, "days": days, "user": user}
                ),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return sent
