"""Locking out repeated failed logins (django-axes): who is counted, for how long, and the page
shown while the lock lasts."""

from __future__ import annotations

import datetime
import ipaddress
import math
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from soin.core.emails import canonical_email
from soin.core.net import client_address


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int:
    """Return how many failures an e-mail address may have from one network address."""
    return int(settings.SOIN_LOGIN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """Return how long a locked-out pair waits, counted from its last failure."""
    return datetime.timedelta(minutes=settings.SOIN_LOGIN_COOLOFF_MINUTES)


def client_ip(request: HttpRequest) -> str | None:
    """Return the visitor's address as ``soin.core.net.client_address`` sees it behind the
    trusted proxies, or None when it is not an address (axes stores it as one)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Return the e-mail address a login names, as the login compares it: its canonical form
    (``soin.core.emails``), so that one account has one count of failures however its address
    is typed, and an address that only looks like it has its own."""
    source = credentials if credentials else getattr(request, "POST", {})
    return canonical_email(str(source.get("username") or source.get("email") or ""))


def locked_until(*, email: str, address: str | None) -> datetime.datetime:
    """Return when the lock of ``email`` from ``address`` ends."""
    from axes.models import AccessAttempt

    last = AccessAttempt.objects.filter(username=email, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last or timezone.now()) + cool_off()


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the login while a pair is locked out: when to try again, and
    whom to ask."""
    from django.contrib.auth import logout

    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        # A wrong code after a right password: the half-finished login ends here.
        logout(request)
    email = username(request, credentials)
    until = locked_until(email=email, address=client_ip(request))
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    response = render(
        request,
        "staff/locked_out.html",
        {
            "until": timezone.localtime(until),
            "minutes": minutes,
            "email": email,
            "operator_name": settings.SOIN_OPERATOR_NAME,
            "operator_email": settings.SOIN_OPERATOR_EMAIL,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response
