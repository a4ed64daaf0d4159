"""The pages shown for a bad request (400), a refusal (403, a failed CSRF check included), an
address that leads nowhere (404), a request over its limit (429, from
``soin.core.ratelimit``) and a server error (500): the site's layout, the visitor's
language with a line in the other one, and a way back.

The 500 page is drawn without a request context and without the database (it may be what
failed); the others look up the partnership named in the address, if any, to lead back to its
start page. Addresses under ``/api/`` get JSON, as the rest of the API does.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.unavailable import DATABASE_ERRORS, unavailable_response

LANGUAGES = ("sv", "en")
PUBLIC_PATH = re.compile(r"^/(sv|en)/(?:([-a-z0-9_]+)/)?")
STAFF_PATH = re.compile(r"^/staff/(?:([-a-z0-9_]+)/)?")

# Heading and explanation for each status, in the source language; the page shows them in the
# visitor's language and the heading again in the other one.
TEXTS: dict[int, tuple[Any, Any]] = {
    400: (
        pgettext_lazy("error page", "The request could not be read"),
        _("Something in the address or the form could not be understood, so nothing was done."),
    ),
    403: (
        pgettext_lazy("error page", "You may not open this page"),
        _(
            "This page is not open to you. If you think it should be, log in again or ask "
            "the partnership's coordinator."
        ),
    ),
    404: (
        pgettext_lazy("error page", "The page was not found"),
        _("There is no page at this address. It may have moved, or the address is mistyped."),
    ),
    429: (
        pgettext_lazy("error page", "Too many requests"),
        _(
            "Many requests have been sent from your connection within the hour, so this one "
            "was not carried out. Nothing was changed. Please try again in an hour. If you "
            "need help before that, write to us."
        ),
    ),
    500: (
        pgettext_lazy("error page", "Something went wrong on our side"),
        _(
            "The page could not be shown because of an error in the service. It has been "
            "logged. Nothing you sent was saved unless you were told so: please try again."
        ),
    ),
}
CSRF_TEXT = _(
    "The form had expired or came from somewhere else, so it was not carried out. Go back, "
    "reload the page and send the form again."
)


def _other(language: str) -> str:
    return "en" if language == "sv" else "sv"


def _context(request: HttpRequest, status: int, *, database: bool) -> dict[str, Any]:
    """Return where the visitor is (language, partnership) and the way back from there."""
    path = request.path
    language = translation.get_language() or "sv"
    language = language if language in LANGUAGES else "sv"
    partnership = None
    back = f"/{language}/"
    back_label = pgettext_lazy("error page", "To the start page")
    public = PUBLIC_PATH.match(path)
    staff = STAFF_PATH.match(path)
    if public:
        slug = public.group(2)
        if slug and database:
            from soin.regions.models import Partnership

            partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is not None:
            back = f"/{language}/{partnership.slug}/"
            back_label = pgettext_lazy("error page", "To the partnership's start page")
    elif staff:
        back = "/staff/"
        back_label = pgettext_lazy("error page", "To the back office")
    other = _other(language)
    switch = ""
    other_back = back
    if public:
        switch = f"/{other}/{path[len('/sv/') :]}"
        other_back = f"/{other}/{back[len('/sv/') :]}"
    heading, text = TEXTS[status]
    with translation.override(other):
        other_heading = str(heading)
        other_back_label = str(back_label)
    return {
        "status": status,
        "heading": heading,
        "text": text,
        "other_language": other,
        "other_heading": other_heading,
        "other_back": other_back,
        "other_back_label": other_back_label,
        "switch": switch,
        "partnership": partnership,
        "back": back,
        "back_label": back_label,
    }


def render_error(
    request: HttpRequest, status: int, *, database: bool = True, **extra: Any
) -> HttpResponse:
    """Return the error page for ``status`` (JSON under /api/)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(TEXTS[status][0])}, status=status)
    context = {**_context(request, status, database=database), **extra}
    html = loader.get_template("core/error.html").render(context)
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A database error raised outside the view (saving the session on the way out, for one)
    is the 503 page; anything else is the 500 page, drawn without the database."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable_response(request)
    return render_error(request, 500, database=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF check failed: 403 with what to do, never Django's English page."""
    return render_error(request, 403, text=CSRF_TEXT)
