"""Writes for activity plans: the plan and its moves, areas, items, and follow-up reports. One
transaction each, with an audit entry (and a timeline row for the plan's own changes)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.activities.models import Activity, Kind
from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.partners.models import Organisation
from soin.plans import workflow
from soin.plans.models import Area, FollowUp, Item, Plan, PlanEvent
from soin.plans.selectors import may_report
from soin.regions.models import Partnership

MAX_YEARS = 10
MAX_TEXT = 10_000


def _user(actor: Any) -> Any:
    """The person behind a change (None for the system: a command, the demo)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(plan: Plan, kind: str, actor: Any, note: str = "", **fields: Any) -> None:
    PlanEvent.objects.create(plan=plan, kind=kind, actor=_user(actor), note=note, **fields)


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("partnership").get(pk=plan.pk)


def _clean_texts(fields: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in fields:
            fields[name] = str(fields[name] or "").replace("\r\n", "\n").strip()


def _check_plan(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not fields.get("title_sv"):
        errors["title_sv"] = _("Give the plan a Swedish title.")
    first, last = fields.get("first_year"), fields.get("last_year")
    if first is None or not 2000 <= first <= 2100:
        errors["first_year"] = _("Choose a year from 2000 to 2100.")
    if last is None or not 2000 <= last <= 2100:
        errors["last_year"] = _("Choose a year from 2000 to 2100.")
    elif first is not None and last < first:
        errors["last_year"] = _("The last year cannot come before the first.")
    elif first is not None and last - first >= MAX_YEARS:
        errors["last_year"] = _("A plan covers at most %(count)s years.") % {"count": MAX_YEARS}
    adopted = fields.get("adopted_on")
    if adopted is not None and adopted > timezone.localdate():
        errors["adopted_on"] = _("The plan cannot be adopted on a day still to come.")
    if errors:
        raise ValidationError(errors)


PLAN_FIELDS = ("title_sv", "title_en", "first_year", "last_year", "adopted_on")


@transaction.atomic
def plan_create(
    *,
    partnership: Partnership,
    actor: Any,
    title_sv: str,
    first_year: int,
    last_year: int,
    title_en: str = "",
) -> Plan:
    """Start a plan for the years ``first_year``–``last_year`` as a draft."""
    fields: dict[str, Any] = {
        "title_sv": title_sv,
        "title_en": title_en,
        "first_year": first_year,
        "last_year": last_year,
    }
    _clean_texts(fields, ("title_sv", "title_en"))
    _check_plan(fields)
    plan = Plan.objects.create(partnership=partnership, created_by=_user(actor), **fields)
    _event(plan, PlanEvent.Kind.CREATED, actor, to_state=plan.state)
    audit_record(actor=actor, action="plan.create", instance=plan)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, actor: Any, **changes: Any) -> Plan:
    """Change the plan's titles, years or adoption day (not while it is closed)."""
    check_fields(changes, PLAN_FIELDS)
    plan = _lock(plan)
    workflow.ensure_editable(plan)
    _clean_texts(changes, ("title_sv", "title_en"))
    merged = {f: changes.get(f, getattr(plan, f)) for f in PLAN_FIELDS}
    _check_plan(merged)
    if plan.state != Plan.State.DRAFT and merged["adopted_on"] is None:
        raise ValidationError({"adopted_on": _("An adopted plan keeps the day it was adopted.")})
    if plan.state == Plan.State.DRAFT and merged["adopted_on"] is not None:
        raise ValidationError(
            {"adopted_on": _("A draft is given its day when it is adopted: adopt it instead.")}
        )
    before = audit_snapshot(plan)
    changed = apply_changes(plan, changes)
    if changed:
        plan.save(update_fields=[*changed, "updated_at"])
        _event(plan, PlanEvent.Kind.EDITED, actor)
        audit_record(actor=actor, action="plan.update", instance=plan, before=before)
    return plan


@transaction.atomic
def plan_move(
    *,
    plan: Plan,
    actor: Any,
    move: str,
    note: str = "",
    adopted_on: datetime.date | None = None,
) -> Plan:
    """Adopt, close or reopen the plan. Adopting records the day (today unless given)."""
    plan = _lock(plan)
    step = workflow.ensure_allowed(plan, move, actor)
    note = note.strip()
    if step.needs_reason and not note:
        raise ValidationError({"note": _("Say why.")})
    before = audit_snapshot(plan)
    source = plan.state
    fields = ["state", "updated_at"]
    if move == "adopt":
        day = adopted_on or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError(
                {"adopted_on": _("The plan cannot be adopted on a day still to come.")}
            )
        if not plan.areas.filter(items__isnull=False).exists():
            raise ValidationError(_("Add at least one item before the plan is adopted."))
        plan.adopted_on = day
        fields.append("adopted_on")
    plan.state = step.target
    plan.save(update_fields=fields)
    _event(plan, PlanEvent.Kind.MOVED, actor, note=note, from_state=source, to_state=step.target)
    audit_record(actor=actor, action=f"plan.{move}", instance=plan, before=before)
    return plan


# Areas and items ----------------------------------------------------------------------------


def _next_position(qs: Any) -> int:
    return int(qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _check_title(fields: dict[str, Any]) -> None:
    if not fields.get("title_sv"):
        raise ValidationError({"title_sv": _("Give it a Swedish title.")})


@transaction.atomic
def area_create(
    *,
    plan: Plan,
    actor: Any,
    title_sv: str,
    title_en: str = "",
    position: int | None = None,
) -> Area:
    """Add an area to the plan (last unless a position is given)."""
    plan = _lock(plan)
    workflow.ensure_editable(plan)
    fields: dict[str, Any] = {"title_sv": title_sv, "title_en": title_en}
    _clean_texts(fields, fields)
    _check_title(fields)
    area = Area.objects.create(
        plan=plan, position=position or _next_position(plan.areas.all()), **fields
    )
    audit_record(
        actor=actor, action="plan_area.create", instance=area, partnership=plan.partnership
    )
    return area


@transaction.atomic
def area_update(*, area: Area, actor: Any, **changes: Any) -> Area:
    check_fields(changes, ("title_sv", "title_en", "position"))
    plan = _lock(area.plan)
    workflow.ensure_editable(plan)
    area = Area.objects.select_for_update().get(pk=area.pk)
    _clean_texts(changes, ("title_sv", "title_en"))
    _check_title({"title_sv": changes.get("title_sv", area.title_sv)})
    before = audit_snapshot(area)
    changed = apply_changes(area, changes)
    if changed:
        area.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="plan_area.update",
            instance=area,
            partnership=plan.partnership,
            before=before,
        )
    return area


ITEM_TEXTS = (
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "goal_sv",
    "goal_en",
    "responsible_text",
)
ITEM_FIELDS = (*ITEM_TEXTS, "position", "area")


def _check_item(plan: Plan, fields: dict[str, Any], responsible: list[Organisation] | None) -> None:
    errors: dict[str, Any] = {}
    if not fields.get("title_sv"):
        errors["title_sv"] = _("Give it a Swedish title.")
    for name in ITEM_TEXTS:
        if len(fields.get(name) or "") > MAX_TEXT:
            errors[name] = _("Keep the text under %(max)s characters.") % {"max": MAX_TEXT}
    area = fields.get("area")
    if area is not None and area.plan_id != plan.pk:
        errors["area"] = _("Choose an area of this plan.")
    if responsible is not None:
        if any(o.partnership_id != plan.partnership_id for o in responsible):
            errors["responsible"] = _("Choose organisations of this partnership.")
        elif not responsible and not fields.get("responsible_text"):
            errors["responsible"] = _("Name who is responsible: partners or someone in words.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_create(
    *,
    area: Area,
    actor: Any,
    title_sv: str,
    title_en: str = "",
    description_sv: str = "",
    description_en: str = "",
    goal_sv: str = "",
    goal_en: str = "",
    responsible: Iterable[Organisation] = (),
    responsible_text: str = "",
    position: int | None = None,
) -> Item:
    """Add an item to an area, with its responsible partners or a responsible in words."""
    plan = _lock(area.plan)
    workflow.ensure_editable(plan)
    fields: dict[str, Any] = {
        "title_sv": title_sv,
        "title_en": title_en,
        "description_sv": description_sv,
        "description_en": description_en,
        "goal_sv": goal_sv,
        "goal_en": goal_en,
        "responsible_text": responsible_text,
    }
    _clean_texts(fields, ITEM_TEXTS)
    orgs = list(responsible)
    _check_item(plan, fields, orgs)
    item = Item.objects.create(
        area=area, position=position or _next_position(area.items.all()), **fields
    )
    item.responsible.set(orgs)
    audit_record(
        actor=actor, action="plan_item.create", instance=item, partnership=plan.partnership
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    actor: Any,
    responsible: Iterable[Organisation] | None = None,
    **changes: Any,
) -> Item:
    """Change an item's texts, place or responsible (the area may be another of the plan's)."""
    check_fields(changes, ITEM_FIELDS)
    item = Item.objects.select_for_update().select_related("area__plan").get(pk=item.pk)
    plan = _lock(item.area.plan)
    workflow.ensure_editable(plan)
    _clean_texts(changes, ITEM_TEXTS)
    orgs = list(responsible) if responsible is not None else None
    merged = {f: changes.get(f, getattr(item, f)) for f in ITEM_FIELDS}
    _check_item(plan, merged, orgs if orgs is not None else list(item.responsible.all()))
    before = {**audit_snapshot(item), "responsible": sorted(o.pk for o in item.responsible.all())}
    changed = apply_changes(item, changes)
    if changed:
        item.save(update_fields=changed)
    if orgs is not None and {o.pk for o in orgs} != set(before["responsible"]):
        item.responsible.set(orgs)
        changed.append("responsible")
    if changed:
        after = {**audit_snapshot(item), "responsible": sorted(o.pk for o in orgs or [])}
        if orgs is None:
            after["responsible"] = before["responsible"]
        audit_record(
            actor=actor,
            action="plan_item.update",
            instance=item,
            partnership=plan.partnership,
            before=before,
            after=after,
        )
    return item


# Follow-up reports --------------------------------------------------------------------------


@transaction.atomic
def followup_create(
    *,
    item: Item,
    actor: Any,
    status: str,
    text: str,
    reported_on: datetime.date | None = None,
    meeting: Activity | None = None,
) -> FollowUp:
    """Report on an item: its status and what was done. A partner contact reports only on the
    items their organisation is responsible for. A report may be presented at a plenary
    meeting of the plan's years; it is then dated no later than the meeting."""
    # Lock the item so that reports made at the same moment are kept in the order made.
    item = (
        Item.objects.select_for_update().select_related("area__plan__partnership").get(pk=item.pk)
    )
    plan = item.area.plan
    if actor is not None and not may_report(actor, item):
        raise ValidationError(
            _("You may report only on the items your organisation is responsible for."),
            code="role",
        )
    workflow.ensure_reportable(plan)
    errors: dict[str, Any] = {}
    if status not in FollowUp.Status.values:
        errors["status"] = _("Choose a status.")
    text = str(text or "").replace("\r\n", "\n").strip()
    if not text:
        errors["text"] = _("Say what was done.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Keep the text under %(max)s characters.") % {"max": MAX_TEXT}
    day = reported_on
    if meeting is not None:
        meeting_day = timezone.localtime(meeting.starts_at).date()
        if (
            meeting.partnership_id != plan.partnership_id
            or meeting.kind != Kind.PLENARY
            or meeting.state != Activity.State.PLANNED
        ):
            errors["meeting"] = _("Choose a plenary meeting of this partnership.")
        elif not plan.covers(meeting_day.year):
            errors["meeting"] = _("Choose a plenary meeting within the plan's years.")
        else:
            day = day or meeting_day
            if day > meeting_day:
                errors["reported_on"] = _(
                    "A report presented at a meeting is dated no later than the meeting."
                )
    day = day or timezone.localdate()
    if day > timezone.localdate():
        errors.setdefault("reported_on", _("A report cannot be dated in the future."))
    elif day.year < plan.first_year:
        errors.setdefault("reported_on", _("Date the report within the plan's years."))
    if errors:
        raise ValidationError(errors)
    followup = FollowUp.objects.create(
        item=item,
        status=status,
        text=text,
        reported_on=day,
        meeting=meeting,
        reported_by=_user(actor),
    )
    audit_record(
        actor=actor, action="plan_followup.create", instance=followup, partnership=plan.partnership
    )
    return followup
