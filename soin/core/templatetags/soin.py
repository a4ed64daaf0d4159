from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: dict[str, Any], language: str) -> str:
    """Return the current page's address in ``language`` (public pages have /sv/ and /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.simple_tag
def language_of(obj: Any, field: str) -> str:
    """Return the language of ``obj.<field>`` as shown (see soin.core.i18n.Localized), for a
    ``lang`` attribute on text that fell back to the other language."""
    return str(getattr(type(obj), field).language_of(obj))
