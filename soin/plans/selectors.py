"""Reads of activity plans, always within one partnership: the plan by area with each item's
status on a day, an item's history, the follow-up for a plenary meeting, and the year's
follow-up for the yearly report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from soin.accounts.permissions import has_perm
from soin.activities.models import Activity, Kind
from soin.partners.models import Organisation
from soin.plans.models import Area, FollowUp, Item, Plan
from soin.regions.models import Partnership

S = Plan.State
# Plans that are followed up: adopted, or closed with their follow-up kept.
FOLLOWED_UP = (S.ADOPTED, S.CLOSED)


def plans_for(*, partnership: Partnership) -> QuerySet[Plan]:
    return Plan.objects.filter(partnership=partnership).select_related("partnership")


def current_plan(*, partnership: Partnership, day: datetime.date | None = None) -> Plan | None:
    """The plan for ``day``'s year (today's): the adopted plan covering it; otherwise the
    latest plan followed up; otherwise the latest draft."""
    year = (day or timezone.localdate()).year
    plans = plans_for(partnership=partnership)
    return (
        plans.filter(state=S.ADOPTED, first_year__lte=year, last_year__gte=year).first()
        or plans.filter(state__in=FOLLOWED_UP).order_by("-last_year", "-pk").first()
        or plans.first()
    )


def plan_get_for(*, user: Any, partnership: Partnership, pk: int) -> Plan:
    """Return the plan if the user may read plans in this partnership; 404 otherwise."""
    if not has_perm(user, "plans.view", partnership):
        raise Http404
    plan = plans_for(partnership=partnership).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def area_get_for(*, user: Any, partnership: Partnership, pk: int) -> Area:
    if not has_perm(user, "plans.view", partnership):
        raise Http404
    area = Area.objects.filter(plan__partnership=partnership, pk=pk).select_related("plan").first()
    if area is None:
        raise Http404
    return area


def _items() -> QuerySet[Item]:
    return Item.objects.select_related("area__plan__partnership").prefetch_related(
        Prefetch("responsible", queryset=Organisation.objects.order_by("name")),
        Prefetch(
            "followups",
            queryset=FollowUp.objects.select_related("reported_by", "meeting").order_by(
                "reported_on", "created_at", "pk"
            ),
        ),
    )


def item_get_for(*, user: Any, partnership: Partnership, pk: int) -> Item:
    """Return the item (with its responsible and its reports) if the user may read plans in
    this partnership; 404 otherwise."""
    if not has_perm(user, "plans.view", partnership):
        raise Http404
    item = _items().filter(area__plan__partnership=partnership, pk=pk).first()
    if item is None:
        raise Http404
    return item


def may_report(user: Any, item: Item) -> bool:
    """Whether ``user`` may report on ``item``: coordinators and advisors on every item; a
    partner contact on the items their organisation is responsible for."""
    partnership = item.area.plan.partnership
    if any(
        has_perm(user, "plans.report_own", partnership, organisation=o)
        for o in item.responsible.all()
    ):
        return True
    # An organisation nobody is the contact of: only roles not bound to one organisation hold
    # the permission for it (an item with a responsible in words, or another partner's).
    return has_perm(user, "plans.report_own", partnership, organisation=Organisation())


def status_on(item: Item, day: datetime.date | None) -> FollowUp | None:
    """The item's latest report on or before ``day`` (None: the latest of all), from its
    prefetched reports."""
    found = None
    for report in item.followups.all():
        if day is None or report.reported_on <= day:
            found = report
    return found


@dataclass
class ItemRow:
    item: Item
    status: FollowUp | None
    # The reports of the period asked about (since the previous meeting, during the year).
    reports: list[FollowUp] = field(default_factory=list)
    may_report: bool = False


@dataclass
class AreaRows:
    area: Area
    rows: list[ItemRow]


def plan_outline(
    *,
    plan: Plan,
    day: datetime.date | None = None,
    since: datetime.date | None = None,
    meeting: Activity | None = None,
    user: Any = None,
) -> list[AreaRows]:
    """The plan by area, each item with its status on ``day`` (now when None) and the reports
    after ``since`` up to ``day`` (and those presented at ``meeting``)."""
    areas = list(
        plan.areas.prefetch_related(Prefetch("items", queryset=_items())).order_by("position", "pk")
    )
    result = []
    for area in areas:
        rows = []
        for item in area.items.all():
            reports = []
            if since is not None or meeting is not None:
                reports = [
                    r
                    for r in item.followups.all()
                    if (meeting is not None and r.meeting_id == meeting.pk)
                    or (
                        (since is None or r.reported_on > since)
                        and (day is None or r.reported_on <= day)
                    )
                ]
            rows.append(
                ItemRow(
                    item=item,
                    status=status_on(item, day),
                    reports=reports,
                    may_report=user is not None
                    and plan.state == S.ADOPTED
                    and may_report(user, item),
                )
            )
        result.append(AreaRows(area=area, rows=rows))
    return result


def status_counts(outline: list[AreaRows]) -> list[tuple[str, Any, int]]:
    """How many items have each status (and none yet), for the page's summary."""
    counts: dict[str, int] = {}
    for group in outline:
        for row in group.rows:
            key = row.status.status if row.status else ""
            counts[key] = counts.get(key, 0) + 1
    labels: list[tuple[str, Any]] = [("", _no_report()), *FollowUp.Status.choices]
    return [(key, label, counts[key]) for key, label in labels if counts.get(key)]


def _no_report() -> Any:
    from django.utils.translation import pgettext_lazy

    return pgettext_lazy("plan status", "No report yet")


# Plenary meetings ---------------------------------------------------------------------------


def _day(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def plenary_meetings(*, plan: Plan) -> QuerySet[Activity]:
    """The plenary meetings held during the plan's years (for attaching a report)."""
    return Activity.objects.filter(
        partnership=plan.partnership,
        kind=Kind.PLENARY,
        state=Activity.State.PLANNED,
        starts_at__year__gte=plan.first_year,
        starts_at__year__lte=plan.last_year,
    ).order_by("starts_at", "pk")


def plan_for_meeting(*, partnership: Partnership, meeting: Activity) -> Plan | None:
    """The plan followed up at a plenary meeting: an adopted (or closed) plan covering the
    meeting's year, the latest adopted first."""
    if meeting.kind != Kind.PLENARY or meeting.partnership_id != partnership.pk:
        return None
    year = _day(meeting.starts_at).year
    return (
        plans_for(partnership=partnership)
        .filter(state__in=FOLLOWED_UP, first_year__lte=year, last_year__gte=year)
        .order_by("state", "-first_year", "-pk")
        .first()
    )


def previous_plenary(meeting: Activity) -> Activity | None:
    return (
        Activity.objects.filter(
            partnership_id=meeting.partnership_id,
            kind=Kind.PLENARY,
            state=Activity.State.PLANNED,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at", "-pk")
        .first()
    )


@dataclass
class MeetingFollowUp:
    plan: Plan
    meeting: Activity
    day: datetime.date
    previous: Activity | None
    since: datetime.date | None
    outline: list[AreaRows]
    counts: list[tuple[str, Any, int]]

    @property
    def reported(self) -> int:
        return sum(len(row.reports) for group in self.outline for row in group.rows)


def meeting_followup(
    *, partnership: Partnership, meeting: Activity, user: Any = None
) -> MeetingFollowUp:
    """The plan's follow-up for a plenary meeting: every item's status on the meeting's day
    and what was reported since the previous plenary meeting; 404 when no plan covers it."""
    plan = plan_for_meeting(partnership=partnership, meeting=meeting)
    if plan is None:
        raise Http404
    day = _day(meeting.starts_at)
    previous = previous_plenary(meeting)
    since = _day(previous.starts_at) if previous else None
    if since is None:
        # The first plenary meeting: what was reported since the plan began.
        since = datetime.date(plan.first_year, 1, 1) - datetime.timedelta(days=1)
    outline = plan_outline(plan=plan, day=day, since=since, meeting=meeting, user=user)
    return MeetingFollowUp(
        plan=plan,
        meeting=meeting,
        day=day,
        previous=previous,
        since=since if previous else None,
        outline=outline,
        counts=status_counts(outline),
    )


# The yearly report --------------------------------------------------------------------------


def _both(make: Any) -> dict[str, str]:
    result = {}
    for language in ("sv", "en"):
        with translation.override(language):
            result[language] = str(make())
    return result


def _responsible(item: Item) -> list[str]:
    names = [o.name for o in item.responsible.all()]
    if item.responsible_text:
        names.append(item.responsible_text)
    return names


def responsible_names(item: Item) -> str:
    return ", ".join(_responsible(item)) or "–"


def plan_year_figures(*, partnership: Partnership, year: int) -> dict[str, Any] | None:
    """The follow-up of the plan covering ``year`` for the yearly report, as plain JSON: each
    item with its status at the year's end and the reports made during the year (without
    who reported them: the report is read outside the partnership). None without a plan."""
    plans = plans_for(partnership=partnership).filter(
        state__in=FOLLOWED_UP, first_year__lte=year, last_year__gte=year
    )
    plan = plans.order_by("state", "-first_year", "-pk").first()
    if plan is None:
        return None
    end = datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1)
    outline = plan_outline(plan=plan, day=end, since=start - datetime.timedelta(days=1))
    items = []
    for group in outline:
        for row in group.rows:
            item, status = row.item, row.status
            items.append(
                {
                    "area": {"sv": group.area.title_sv, "en": group.area.title_en},
                    "title": {"sv": item.title_sv, "en": item.title_en},
                    "responsible": _responsible(item),
                    "status": status.status if status else "",
                    "status_label": _both(status.get_status_display if status else _no_report),
                    "reports": [
                        {
                            "date": r.reported_on.isoformat(),
                            "status": r.status,
                            "status_label": _both(r.get_status_display),
                            "text": r.text,
                        }
                        for r in row.reports
                    ],
                }
            )
    return {
        "title": {"sv": plan.title_sv, "en": plan.title_en},
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "items": items,
    }
