"""The link from a plenary meeting's staff page to the plan's follow-up for it."""

from __future__ import annotations

from typing import Any

from django import template

from soin.accounts.permissions import has_perm
from soin.activities.models import Activity
from soin.plans.selectors import plan_for_meeting

register = template.Library()


@register.inclusion_tag("plans/includes/meeting_link.html", takes_context=True)
def plan_followup_link(context: dict[str, Any], activity: Activity) -> dict[str, Any]:
    """A link to the follow-up page when a plan covers the plenary meeting's year and the
    reader may read plans."""
    request = context.get("request")
    partnership = activity.partnership
    plan = None
    if request is not None and has_perm(request.user, "plans.view", partnership):
        plan = plan_for_meeting(partnership=partnership, meeting=activity)
    return {"plan": plan, "activity": activity, "partnership": partnership}
