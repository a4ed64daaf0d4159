"""Errors that services raise when a business rule says no."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """A workflow move that the record's current state does not allow."""
