"""Limits on the public forms: how often one sender may send a form within an hour.

A public view that accepts a POST without a login declares its limit with
``@rate_limited("scope", per_hour=...)``; a test walks the URLconf and fails for one that does
not (soin/core/tests/test_security.py). A view whose form a person fills in counts the
submission itself, once the form is valid, with ``limited(request)`` and shows the form again
with what was typed and a notice (HTTP 429); for the other views (a button on a private page)
the decorator counts every POST and answers 429 with a page of its own.

The sender is the visitor (``soin.core.net.visitor``: an IPv4 address, or an IPv6 address's
/64 network), or for a private link sent by mail programs on a person's behalf (RFC 8058
one-click unsubscribe, which comes from a mail provider's few addresses for many people) the
link itself. Only a keyed hash of it is stored, for an hour. A limit counts across the whole
installation, never per partnership, so that every new partnership does not multiply it.

Mails that anyone can make the site send to an address (a newsletter confirmation, a link to
one's data) are capped per canonical address (``mail_allowed``), whoever asks and from where.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.core.emails import canonical_email
from soin.core.net import visitor

HOUR = 60 * 60

# Every scope declared by a view, with its limit: the registry the test and the docs read.
SCOPES: dict[str, Scope] = {}


@dataclass(frozen=True)
class Scope:
    name: str
    # An hourly limit, or the name of the setting that holds it.
    per_hour: int | str
    # "address": the visitor's address; "link": the private link in the URL (its token).
    per: str = "address"
    counted_by_view: bool = False

    def limit(self) -> int:
        """The hourly limit; ``SOIN_RATE_LIMITS`` (scope → number) may change it."""
        override = getattr(settings, "SOIN_RATE_LIMITS", {}).get(self.name)
        if override is not None:
            return int(override)
        if isinstance(self.per_hour, str):
            return int(getattr(settings, self.per_hour))
        return int(self.per_hour)


def _key(scope: str, sender: str) -> str:
    message = f"{scope}\x00{sender}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def attempt(*, scope: str, sender: str, per_hour: int) -> bool:
    """Count a submission of ``scope`` from ``sender``; return False, and count nothing, when
    the sender has already sent ``per_hour`` within the hour."""
    from soin.core.models import RateLimitHit

    key = _key(scope, sender)
    if connection.vendor == "postgresql":
        # One submission at a time per sender, so that parallel requests cannot all pass.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])
    # SQLite runs every transaction IMMEDIATE (config/settings.py): writers already queue.
    hour_ago = timezone.now() - datetime.timedelta(seconds=HOUR)
    RateLimitHit.objects.filter(created_at__lt=hour_ago).delete()
    if RateLimitHit.objects.filter(scope=scope, key_hash=key).count() >= per_hour:
        return False
    RateLimitHit.objects.create(scope=scope, key_hash=key)
    return True


class Limiter:
    """The limit of the view that answers ``request``: counted once per request."""

    def __init__(self, scope: Scope, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        self.scope = scope
        self.sender = str(kwargs.get("token", "")) if scope.per == "link" else visitor(request)
        self._exceeded: bool | None = None

    def exceeded(self) -> bool:
        if self._exceeded is None:
            self._exceeded = not attempt(
                scope=self.scope.name, sender=self.sender, per_hour=self.scope.limit()
            )
        return self._exceeded


def mail_allowed(*, purpose: str, address: str, per_hour: int) -> bool:
    """Count a mail of ``purpose`` that a visitor's request would send to ``address``; return
    False, and count nothing, when that address has had ``per_hour`` of them within the hour,
    in any partnership and asked for by anyone. The caller then sends nothing and answers as
    it would have, so the cap tells nobody whether the address is known."""
    return attempt(scope=f"mail:{purpose}", sender=canonical_email(address), per_hour=per_hour)


NOTICE = _(
    "Many forms have been sent from your connection within the hour. What you wrote is "
    "still here: please send it again later, or write to us."
)


def limited(request: HttpRequest) -> bool:
    """Count this submission against the view's declared limit; True when it is over."""
    limiter: Limiter | None = getattr(request, "rate_limit", None)
    if limiter is None:
        raise RuntimeError("The view must be declared with @rate_limited(...).")
    return limiter.exceeded()


def too_many(request: HttpRequest) -> HttpResponse:
    """The page for a request over its limit (429), in the visitor's language."""
    from soin.core.error_pages import render_error

    response = render_error(request, 429)
    response["Retry-After"] = str(HOUR)
    return response


def rate_limited(
    scope: str, *, per_hour: int | str, per: str = "address", counted_by_view: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Declare a public view's limit. With ``counted_by_view`` the view calls ``limited()``
    where it acts on a valid form; otherwise every POST is counted before the view runs."""
    if per not in ("address", "link"):
        raise ValueError(per)
    declared = Scope(scope, per_hour, per, counted_by_view)
    if SCOPES.get(scope, declared) != declared:
        raise ValueError(f"The rate limit scope {scope!r} is declared twice.")
    SCOPES[scope] = declared

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limiter = Limiter(declared, request, kwargs)
            request.rate_limit = limiter  # type: ignore[attr-defined]
            if request.method == "POST" and not counted_by_view and limiter.exceeded():
                return too_many(request)
            return view(request, *args, **kwargs)

        wrapped.rate_limit_scope = scope  # type: ignore[attr-defined]
        return wrapped

    return decorator
