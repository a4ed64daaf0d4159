from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from soin.accounts.permissions import has_perm


def site(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "SITE_URL": settings.SITE_URL,
        "OPERATOR_NAME": settings.SOIN_OPERATOR_NAME,
        "OPERATOR_EMAIL": settings.SOIN_OPERATOR_EMAIL,
    }
    partnership = getattr(request, "partnership", None)
    if partnership is not None:
        context["staff_can_people"] = has_perm(request.user, "people.view", partnership)
        context["staff_can_audit"] = has_perm(request.user, "audit.view", partnership)
        context["staff_can_newsletter"] = has_perm(request.user, "newsletter.view", partnership)
        context["staff_can_bank"] = has_perm(request.user, "bank.view", partnership)
        context["staff_can_statistics"] = has_perm(request.user, "statistics.view", partnership)
        context["staff_can_funding"] = has_perm(request.user, "funding.view", partnership)
        context["staff_can_plans"] = has_perm(request.user, "plans.view", partnership)
        context["staff_can_grants"] = has_perm(request.user, "grants.view", partnership)
        context["staff_can_impact"] = has_perm(request.user, "impact.view", partnership)
        context["staff_can_privacy"] = has_perm(request.user, "privacy.view", partnership)
    return context
