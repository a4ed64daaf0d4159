"""Refuse, before any view reads it, input that no field could store or that would be stored
wrong: a clear page in the visitor's language (HTTP 400) instead of a server error or a
quietly changed text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from soin.core.cleaning import CONTROL

API = "/api/"
# The largest whole number a database column (64-bit) holds.
LARGEST = 2**63 - 1
WHOLE_NUMBER = re.compile(r"\s*[+-]?\d{19,}\s*")


def problem_with(text: str) -> str | None:
    """What makes ``text`` unreadable, or None.

    - A NUL character: PostgreSQL stores none in text, and no person types one.
    - U+FFFD: Django decodes bytes that are not UTF-8 (Latin-1, overlong forms, an encoded
      surrogate) as U+FFFD, so the text would be stored other than it was sent.
    - Another control character (not a tab or a line break): it cannot be written in the
      XLSX and DOCX exports, and shows as nothing or as a box.
    - A whole number beyond 64 bits: no column or primary key holds it, and SQLite and
      PostgreSQL both refuse it with an error rather than finding nothing.
    """
    if "\x00" in text:
        return _("It contained a null character, which cannot be stored.")
    if "\ufffd" in text:
        return _(
            "Part of it was not written in the UTF-8 character encoding, so it could not be "
            "read as it was meant."
        )
    if CONTROL.search(text):
        return _(
            "It contained an invisible control character, often copied along with text from "
            "another program, which cannot be stored."
        )
    if WHOLE_NUMBER.fullmatch(text) and abs(int(text)) > LARGEST:
        return _("It contained a number too large to be stored.")
    return None


def texts(data: QueryDict) -> Iterator[str]:
    for key, values in data.lists():
        yield key
        yield from values


class UnreadableInputMiddleware:
    """Check the address's parameters, the query string and the form's fields (file contents
    are the upload checks' business) and answer 400 with the reason when one is unreadable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if request.path_info.startswith(API):
            # The open data API checks its own parameters and answers in JSON.
            return None
        candidates = [str(v) for v in (*args, *kwargs.values())]
        candidates += texts(request.GET)
        if request.method == "POST":
            candidates += texts(request.POST)
        for text in candidates:
            reason = problem_with(text)
            if reason is not None:
                return render(request, "core/unreadable.html", {"reason": reason}, status=400)
        return None
