"""The record of processing in templates: the notice beside a public form, the record as the
privacy notice lists it, and the partnerships whose "My data" page a person can use."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from soin.privacy import processing
from soin.regions.models import Partnership

register = template.Library()


@register.inclusion_tag("privacy/includes/collection_notice.html")
def collection_notice(key: str, partnership: Any = None) -> dict[str, Any]:
    """The information at collection (GDPR Art. 13) for processing ``key`` of the record."""
    row = next(r for r in processing.record_for(partnership) if r.key == key)
    return {
        "row": row,
        "partnership": partnership,
        "controller": settings.SOIN_OPERATOR_NAME,
    }


@register.simple_tag
def processing_record() -> list[processing.Row]:
    return processing.record_for(None)


@register.simple_tag
def self_service_partnerships() -> list[Partnership]:
    return list(Partnership.objects.order_by("slug"))
