"""Small helpers for services that change a record's fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def check_fields(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a change that names a field the operation may not touch."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )


def apply_changes(instance: models.Model, changes: Mapping[str, Any]) -> list[str]:
    """Set the fields whose value differs; return their names (for ``update_fields``)."""
    changed = [field for field, value in changes.items() if getattr(instance, field) != value]
    for field in changed:
        setattr(instance, field, changes[field])
    return changed
