from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
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
