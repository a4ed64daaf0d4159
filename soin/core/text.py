"""Words for comparing texts: lower-cased, split into words and stemmed with the Snowball
algorithms (the same ones PostgreSQL's "swedish" and "english" search configurations use), so
that "kooperativ" and "kooperativen" count as one word."""

from __future__ import annotations

import functools
import math
import re

import snowballstemmer
from django.db.models import QuerySet
from django.utils.text import slugify

WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

# Words too common to say anything about what an idea is about.
STOP_WORDS = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "en",
        "ett",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "på",
        "har",
        "de",
        "inte",
        "om",
        "var",
        "vi",
        "så",
        "men",
        "ska",
        "kan",
        "man",
        "hur",
        "när",
        "vad",
        "alla",
        "andra",
        "sin",
        "sina",
        "också",
        "eller",
        "mot",
        "efter",
        "under",
        "utan",
        "bara",
        "från",
        "genom",
        "the",
        "and",
        "of",
        "to",
        "in",
        "a",
        "is",
        "for",
        "on",
        "with",
        "that",
        "it",
        "as",
        "be",
        "are",
        "by",
        "this",
        "an",
        "or",
        "from",
        "at",
    ]
)


@functools.cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english" if language == "en" else "swedish")


@functools.lru_cache(maxsize=100_000)
def stem(word: str, language: str = "sv") -> str:
    """The Snowball stem of a lower-case ``word``: kept, for a language repeats its words
    (a page of search results stems hundreds, most of them seen before)."""
    return str(_stemmer(language).stemWord(word))


def stems(text: str, language: str = "sv") -> list[str]:
    """Return the stems of the words in ``text``, stop words left out, in order."""
    return [stem(w, language) for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def similarity(a: set[str], b: set[str]) -> float:
    """Return how alike two sets of stems are, from 0 (nothing shared) to 1 (the same)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def unique_slug(others: QuerySet, text: str, fallback: str, max_length: int = 70) -> str:  # type: ignore[type-arg]
    """Return a slug of ``text`` that no row of ``others`` has: "name", "name-2", "name-3"…"""
    base = slugify(text)[:max_length].strip("-") or fallback
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def xml_safe(text: str) -> str:
    """``text`` cleaned by the rule for stored text (``soin.core.cleaning``): a writer's last
    check for rows written around it, so that no document fails on a stored value."""
    from soin.core.cleaning import clean_text

    return clean_text(str(text))
