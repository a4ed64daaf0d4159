"""Writing the audit log. Every service that changes data on a person's behalf calls
``audit_record`` inside its own transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from soin.audit.models import AuditEntry
from soin.core.emails import CanonicalEmailField

# Never copied into the log: secrets do not belong in a record kept for years.
REDACTED_FIELDS = frozenset({"password", "last_login", "nonce", "status_nonce"})


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def audit_snapshot(instance: models.Model) -> dict[str, Any]:
    """Return the instance's concrete field values as JSON-safe data."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        # Housekeeping timestamps change on every save and say nothing the entry does not;
        # nor does an address's canonical form (soin.core.emails) beside the address.
        if (
            field.name in REDACTED_FIELDS
            or getattr(field, "auto_now", False)
            or isinstance(field, CanonicalEmailField)
        ):
            continue
        data[field.name] = _json_value(field.value_from_object(instance))
    return data


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    partnership: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    deleted: bool = False,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``instance``.

    ``before`` is a snapshot taken before the change (None for a creation); ``after`` defaults
    to the instance as it is now, or None when ``deleted``.
    """
    if after is None and not deleted:
        after = audit_snapshot(instance)
    if partnership is None:
        partnership = getattr(instance, "partnership", None)
    return AuditEntry.objects.create(
        partnership=partnership,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )
