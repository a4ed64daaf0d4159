from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that pages without a language prefix (the back office, the admin)
    speak Swedish unless the person chose English with the language switch: a browser set
    to English is no reason to show a Swedish public body's back office in English."""

    def process_request(self, request: HttpRequest) -> None:
        if translation.get_language_from_path(request.path_info):
            super().process_request(request)
            return
        if request.path_info in ("/", ""):
            # The bare root still follows the browser to /sv/ or /en/.
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PublicResponseMiddleware:
    """A response marked ``Cache-Control: public`` (a published report's file, an image of
    the bank) is the same for everyone: it does not vary by the visitor's cookies, which the
    session and authentication middleware would otherwise add to ``Vary`` for every request
    that looked at the session. A front cache (deploy/nginx.conf.example) then keeps one copy
    for all visitors instead of one per cookie. An answer that sets a cookie keeps its
    ``Vary`` and is never kept by a shared cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        control = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
        if "public" not in control or response.cookies or not response.has_header("Vary"):
            return response
        kept = [
            name.strip()
            for name in response["Vary"].split(",")
            if name.strip() and name.strip().lower() != "cookie"
        ]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]
        return response
