"""Where a request comes from, when the site sits behind proxies."""

from __future__ import annotations

import ipaddress

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


def visitor(request: HttpRequest) -> str:
    """Return who sends ``request``, as far as a limit can tell: the visitor's IPv4 address,
    or the /64 network of an IPv6 one (a single connection is usually given a whole /64, so
    counting its addresses one by one would let one visitor count as billions)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
