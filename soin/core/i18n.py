"""Bilingual content: records keep a Swedish and an English text side by side."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def current_language() -> str:
    """Return "en" or "sv" (the default) for the active language."""
    return "en" if (get_language() or "sv").startswith("en") else "sv"


class Localized:
    """Read ``<name>_sv`` or ``<name>_en`` by the active language, falling back to the other.

    ``name = Localized("name")`` on a model gives ``obj.name`` in the reader's language.
    """

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj, f"{self.field}_{self.language_of(obj)}")

    def language_of(self, obj: Any) -> str:
        """Return the language of the text shown: the reader's, or the other one when the
        reader's is empty (the page then marks the text with that language)."""
        first, second = ("en", "sv") if current_language() == "en" else ("sv", "en")
        return first if getattr(obj, f"{self.field}_{first}") else second
