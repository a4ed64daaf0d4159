"""Private links: a record's id, the day the link was issued and a MAC over both, a purpose
and a random nonce stored on the record.

The link itself is stored nowhere; a new nonce revokes every earlier link. Each purpose has
one lifetime, declared in ``PURPOSES`` below: a link older than that is refused with a page
that says how to get a new one (``LinkExpired``). Every mail we send carries a newly issued
link, so a person who hears from us regularly never meets an expired one.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)

DAY = datetime.timedelta(days=1)
EPOCH = datetime.date(1970, 1, 1)
# Links made before the issue day was part of the address count as issued on this day, so
# that they expire like every other link instead of living for ever.
LEGACY_ISSUED = datetime.date(2026, 12, 2)
MAC_LENGTH = 24  # 18 bytes in URL-safe base64


@dataclass(frozen=True)
class Purpose:
    """What a kind of private link opens, for how long, and how its holder gets a new one."""

    lifetime: datetime.timedelta | None
    renew: str | Promise
    # The page where a new link can be asked for (a URL name with a partnership), if any.
    renew_url: str = ""


PURPOSES: dict[str, Purpose] = {
    # The carrier follows an idea for years; every notice about it carries a new link.
    "idea-status": Purpose(
        datetime.timedelta(days=5 * 365),
        _(
            "Every message we send you about your idea carries a new link. If you need one "
            "now, write to us and give your idea's number."
        ),
    ),
    # Until a month after the event (see activities.selectors.registration_by_token) and at
    # most a year; the offer of a seat and the reminder carry new links.
    "registration": Purpose(
        datetime.timedelta(days=365),
        _(
            "The link to your registration works until a month after the event. Register "
            "again with the same address and we will mail you a new link."
        ),
    ),
    # A staff user's calendar feed: renewed on the page "My calendar feed" after logging in.
    "calendar": Purpose(
        datetime.timedelta(days=365),
        _(
            "A calendar address works for a year. Log in, open “My calendar feed” and copy "
            "the new address into your calendar."
        ),
    ),
    # The applicant's page is needed until the follow-up report is in; the decision mail
    # carries a new link.
    "grant-status": Purpose(
        datetime.timedelta(days=3 * 365),
        _(
            "Every message we send you about your application carries a new link. If you "
            "need one now, write to us and give your application's number."
        ),
    ),
    "newsletter-confirm": Purpose(
        datetime.timedelta(days=30),
        _("Sign up again with the same address and we will mail you a new link to confirm."),
        "public:newsletter_subscribe",
    ),
    # Every issue of the newsletter carries a new link to the subscription's page.
    "newsletter-subscription": Purpose(
        datetime.timedelta(days=2 * 365),
        _(
            "Every issue of the newsletter carries a new link to your subscription. Sign up "
            "again with the same address and we will mail you one now."
        ),
        "public:newsletter_subscribe",
    ),
    # RFC 8058: a mail's one-click unsubscribe must keep working long after it was sent.
    "newsletter-unsubscribe": Purpose(
        datetime.timedelta(days=5 * 365),
        _("Use the link in a later issue of the newsletter, or write to us."),
    ),
    # A section's image in a sent issue is public in the archive; old mails keep showing it.
    "newsletter-image": Purpose(None, _("The image is no longer available.")),
    # A person's link to their own data: single use, valid SOIN_DATA_LINK_HOURS (checked
    # against the request's own expiry in soin.privacy); the day bound here is only a backstop.
    "data-access": Purpose(
        datetime.timedelta(days=2),
        _("Ask again on the page “My data” and we will mail you a new link."),
        "public:data_request",
    ),
}


class LinkExpired(Http404):
    """A genuine private link that is older than its purpose's lifetime. A 404 to code that
    does not know better; soin.core.security.ExpiredLinkMiddleware shows a page that says
    how to get a new link."""

    def __init__(self, purpose: str) -> None:
        super().__init__(f"The {purpose} link has expired.")
        self.purpose = purpose


def _day(day: datetime.date) -> str:
    return base36((day - EPOCH).days)


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _mac(message: bytes) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def _message(purpose: str, pk: int, nonce: str, issued: str) -> bytes:
    # NUL between the parts: no nonce (an address, a file name) can shift one part into the
    # next.
    return "\x00".join(("v2", purpose, str(pk), issued, str(nonce))).encode()


def today() -> datetime.date:
    return timezone.localdate()


def object_token(purpose: str, pk: int, nonce: str, *, issued: datetime.date | None = None) -> str:
    """Return ``<pk>-<issued>-<mac>`` for a private link to record ``pk`` for ``purpose``,
    issued today (or on ``issued``)."""
    if purpose not in PURPOSES:
        raise KeyError(f"Declare the private link's purpose {purpose!r} in PURPOSES.")
    day = _day(issued or today())
    return f"{pk}-{day}-{_mac(_message(purpose, pk, nonce, day))}"


def _legacy_token(purpose: str, pk: int, nonce: str) -> str:
    return f"{pk}-{_mac(f'{purpose}:{pk}:{nonce}'.encode())}"


def _issued_on(purpose: str, obj: Any, token: str, nonce: str) -> datetime.date | None:
    """Return the day the genuine ``token`` was issued, or None for a false one."""
    _pk, _sep, rest = token.partition("-")
    if len(rest) == MAC_LENGTH:
        genuine = hmac.compare_digest(_legacy_token(purpose, obj.pk, nonce), token)
        return LEGACY_ISSUED if genuine else None
    day, _sep, mac = rest.partition("-")
    if not (day.isascii() and day.isalnum() and len(day) < 8 and len(mac) == MAC_LENGTH):
        return None
    if not hmac.compare_digest(_mac(_message(purpose, obj.pk, nonce, day)), mac):
        return None
    return EPOCH + datetime.timedelta(days=int(day, 36))


def object_from_token(
    queryset: QuerySet[M], *, purpose: str, token: str, nonce_field: str = "nonce"
) -> M:
    """Return the record of ``queryset`` that ``token`` opens for ``purpose``; 404 for a
    wrong MAC, a revoked nonce or a record outside ``queryset``; ``LinkExpired`` for a
    genuine link older than the purpose's lifetime."""
    lifetime = PURPOSES[purpose].lifetime
    pk, _sep, _rest = token.partition("-")
    obj: Any = (
        queryset.filter(pk=int(pk)).exclude(**{nonce_field: ""}).first()
        if pk.isascii() and pk.isdigit() and len(pk) < 19
        else None
    )
    if obj is None:
        raise Http404
    issued = _issued_on(purpose, obj, token, getattr(obj, nonce_field))
    if issued is None or issued > today() + DAY:
        raise Http404
    if lifetime is not None and issued + lifetime < today():
        raise LinkExpired(purpose)
    return obj
