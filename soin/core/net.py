"""Where a request comes from, when the site sits behind proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the visitor's address. Behind ``SOIN_TRUSTED_PROXIES`` proxies that each append
    to X-Forwarded-For, it is the entry that many places from the right; entries further left
    were written by the visitor and cannot be trusted."""
    trusted = settings.SOIN_TRUSTED_PROXIES
    if trusted > 0:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= trusted:
            return hops[-trusted]
    return str(request.META.get("REMOTE_ADDR", ""))
