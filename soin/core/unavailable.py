"""The page shown while the database cannot be reached: 503 with Retry-After, never a 500.

A lost connection rolls back the request's transaction, so nothing the visitor sent was
kept; the page says so and asks them to send it again. It is drawn without a request
context, so no context processor (the user, the messages, the staff menu) touches the
database that has just failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation

logger = logging.getLogger("soin.unavailable")

# Seconds a browser or a client is asked to wait before trying again.
RETRY_AFTER = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Return the 503 page in the visitor's language."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    with translation.override(language):
        html = loader.get_template("core/unavailable.html").render({"retry_after": RETRY_AFTER})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view that lost the database with the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable at %s: %s", request.path, exception)
        return unavailable_response(request)
