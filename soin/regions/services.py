"""Setting up partnerships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.regions.models import Partnership, Region


@transaction.atomic
def partnership_create(
    *,
    actor: Any,
    slug: str,
    name_sv: str,
    name_en: str,
    region: Region,
    about_sv: str = "",
    about_en: str = "",
    contact_email: str = "",
) -> Partnership:
    """Create a partnership for ``region`` with the standard agreement templates."""
    from soin.partners.services import agreement_templates_install

    if Partnership.objects.filter(region=region).exists():
        raise ValidationError(
            {"region": _("%(region)s already has a partnership.") % {"region": region.name}}
        )
    partnership = Partnership(
        slug=slug,
        name_sv=name_sv,
        name_en=name_en,
        region=region,
        about_sv=about_sv,
        about_en=about_en,
        contact_email=contact_email,
    )
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=actor, action="partnership.create", instance=partnership, partnership=partnership
    )
    agreement_templates_install(partnership=partnership, actor=actor)
    return partnership


PARTNERSHIP_FIELDS = (
    "name_sv",
    "name_en",
    "about_sv",
    "about_en",
    "contact_email",
    "idea_stale_days",
    "fte_hours",
)


@transaction.atomic
def partnership_update(*, partnership: Partnership, actor: Any, **changes: Any) -> Partnership:
    """Change the partnership's names, its about text and its contact address."""
    check_fields(changes, PARTNERSHIP_FIELDS)
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    before = audit_snapshot(locked)
    changed = apply_changes(locked, changes)
    if changed:
        locked.full_clean()
        locked.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="partnership.update",
            instance=locked,
            before=before,
            partnership=locked,
        )
    return locked
