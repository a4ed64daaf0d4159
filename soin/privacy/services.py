"""Writes of the self-service: a person's request for their own data, and its single use."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.audit.services import audit_record
from soin.core.tokens import object_token
from soin.privacy.models import AccessRequest
from soin.regions.models import Partnership
from soin.retention.erasure import normalise as normalise_email

PURPOSE = "data-access"
# How long a request (its address) is kept at all, to answer for it afterwards.
KEEP_DAYS = 30
# Links sent to one address within the hour, whoever asks.
PER_ADDRESS_PER_HOUR = 3


def access_token(access_request: AccessRequest) -> str:
    """Return the secret part of the request's private link."""
    return object_token(PURPOSE, access_request.pk, access_request.nonce)


@transaction.atomic
def access_request_create(
    *, partnership: Partnership, email: str, language: str = "sv"
) -> tuple[AccessRequest, str]:
    """Make a link to the data ``email`` holds in ``partnership``, valid
    ``SOIN_DATA_LINK_HOURS``; return the request and its token. Requests older than
    ``KEEP_DAYS`` are forgotten."""
    now = timezone.now()
    AccessRequest.objects.filter(created_at__lt=now - datetime.timedelta(days=KEEP_DAYS)).delete()
    access_request = AccessRequest.objects.create(
        partnership=partnership,
        email=email.strip(),
        nonce=secrets.token_urlsafe(32),
        language="en" if language == "en" else "sv",
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.SOIN_DATA_LINK_HOURS),
    )
    return access_request, access_token(access_request)


@transaction.atomic
def data_request_submit(*, partnership: Partnership, email: str, language: str = "sv") -> bool:
    """Send a link to ``email`` if the partnership holds data about that address; return
    whether a mail was queued. The caller answers the same either way."""
    from soin.core.ratelimit import mail_allowed
    from soin.privacy import selectors

    typed, email = email.strip(), normalise_email(email)
    # A limit per address, so that nobody can fill a person's inbox with links; counted
    # whether or not the address is known, and silent, so that it tells nothing either.
    if not mail_allowed(purpose="data_request", address=email, per_hour=PER_ADDRESS_PER_HOUR):
        return False
    if not selectors.holds_data(partnership=partnership, email=email):
        return False
    # The link goes to the address as it was typed; its data is found by its canonical form.
    access_request, _token = access_request_create(
        partnership=partnership, email=typed, language=language
    )
    from soin.privacy.tasks import send_data_link

    transaction.on_commit(lambda: send_data_link.enqueue(access_request_id=access_request.pk))
    return True


@transaction.atomic
def access_request_use(*, access_request: AccessRequest, what: str) -> AccessRequest:
    """Use the link up (``what`` is "download" or "erasure"); refuse a used or expired one."""
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.is_used:
        raise ValidationError(_("This link has already been used."))
    if locked.is_expired:
        raise ValidationError(_("This link is no longer valid."))
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    # The log says that a person used their link, not whose it was.
    audit_record(
        actor=None,
        action=f"privacy.{what}",
        instance=locked,
        partnership=locked.partnership,
        before={},
        after={"used_at": locked.used_at.isoformat(), "what": what},
    )
    return locked
