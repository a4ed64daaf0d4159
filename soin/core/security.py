"""What every response says about how a browser may treat it, and the pages shown instead of
a private link that has expired or a form sent too often."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from soin.core.tokens import PURPOSES, LinkExpired

# No page of the site uses these; a page that is made to (by injected markup, say) gets no
# camera, no microphone, no position.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy that turns off the browser features the site never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class ExpiredLinkMiddleware:
    """Answer an expired private link with a page (410 Gone) that says how to get a new one,
    in the visitor's language, instead of a bare 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LinkExpired):
            return None
        from soin.regions.models import Partnership

        purpose = PURPOSES[exception.purpose]
        match = request.resolver_match
        slug = match.kwargs.get("partnership", "") if match else ""
        partnership = Partnership.objects.filter(slug=slug).first() if slug else None
        renew_url = ""
        if purpose.renew_url and partnership is not None:
            try:
                renew_url = reverse(purpose.renew_url, kwargs={"partnership": partnership.slug})
            except NoReverseMatch:
                renew_url = ""
        contact = (partnership.contact_email if partnership else "") or (
            settings.SOIN_OPERATOR_EMAIL
        )
        response = render(
            request,
            "core/link_expired.html",
            {
                "partnership": partnership,
                "renew": purpose.renew,
                "renew_url": renew_url,
                "contact": contact,
            },
            status=410,
        )
        response["Cache-Control"] = "no-store"
        return response
