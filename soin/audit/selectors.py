from __future__ import annotations

from django.db.models import QuerySet

from soin.audit.models import AuditEntry
from soin.regions.models import Partnership


def audit_entries_for_partnership(*, partnership: Partnership) -> QuerySet[AuditEntry]:
    """Return the partnership's audit entries, newest first, with their actors."""
    return AuditEntry.objects.filter(partnership=partnership).select_related("actor")
