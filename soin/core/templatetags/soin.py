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
