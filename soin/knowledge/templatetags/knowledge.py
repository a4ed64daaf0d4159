from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from soin.knowledge import search

register = template.Library()


@register.simple_tag
def highlighted(text: str, results: search.Results, length: int = 0) -> SafeString:
    """Return ``text`` (shortened to ``length`` characters if given) with the words that
    matched the search marked."""
    if length:
        text = Truncator(text).chars(length)
    return search.highlight(text, results.terms, results.language)
