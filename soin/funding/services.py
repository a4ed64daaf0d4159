"""Every change to funding calls, joint applications and projects: one transaction each, with
a timeline row (applications) and an audit entry; the deadline reminder is queued after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.accounts.permissions import has_perm
from soin.activities.models import Activity
from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import check_fields
from soin.funding import workflow
from soin.funding.models import (
    Application,
    ApplicationEvent,
    CoFinancing,
    FundingCall,
    Programme,
    Project,
    ProjectResult,
)
from soin.ideas.models import Challenge, Idea
from soin.ideas.selectors import challenges_for
from soin.partners.models import Organisation
from soin.regions.models import Partnership

# The hour of the day (Europe/Stockholm) the deadline reminder goes out.
REMINDER_HOUR = 8
MAX_TEXT = 10_000


def _user(actor: Any) -> Any:
    """The person behind a change (None for the system: a command, the demo)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _snapshot(instance: models.Model, *relations: str) -> dict[str, Any]:
    data = audit_snapshot(instance)
    for name in relations:
        data[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
    return data


def _strip(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def _check_organisations(
    partnership: Partnership, organisations: Iterable[Organisation | None], field: str
) -> None:
    if any(o is not None and o.partnership_id != partnership.pk for o in organisations):
        raise ValidationError({field: _("Choose organisations of this partnership.")})


# Funding calls ------------------------------------------------------------------------------

CALL_FIELDS = (
    "funder",
    "programme",
    "title",
    "url",
    "opens_on",
    "closes_on",
    "themes",
    "watcher",
    "remind_days",
)
CALL_RELATIONS = ("challenges", "interested")


def _check_call(
    partnership: Partnership,
    fields: dict[str, Any],
    challenges: Sequence[Challenge],
    interested: Sequence[Organisation],
) -> None:
    errors: dict[str, str] = {}
    if not fields.get("title"):
        errors["title"] = _("Give the call a title.")
    if not fields.get("funder"):
        errors["funder"] = _("Say who funds the call.")
    if fields.get("programme") not in Programme.values:
        errors["programme"] = _("Choose the programme.")
    opens, closes = fields.get("opens_on"), fields.get("closes_on")
    if closes is None:
        errors["closes_on"] = _("Give the closing date.")
    elif opens is not None and opens > closes:
        errors["closes_on"] = _("The call cannot close before it opens.")
    days = fields.get("remind_days")
    if days is None or not 1 <= days <= 180:
        errors["remind_days"] = _("Give between 1 and 180 days.")
    if len(fields.get("themes") or "") > MAX_TEXT:
        errors["themes"] = _("Keep the text under %(max)s characters.") % {"max": MAX_TEXT}
    watcher = fields.get("watcher")
    if watcher is not None and not has_perm(watcher, "funding.change", partnership):
        errors["watcher"] = _("Choose a coordinator or advisor of this partnership.")
    allowed = set(challenges_for(partnership=partnership).values_list("pk", flat=True))
    if any(c.pk not in allowed for c in challenges):
        errors["challenges"] = _("Choose the shared challenges or this partnership's own.")
    if any(o.partnership_id != partnership.pk for o in interested):
        errors["interested"] = _("Choose organisations of this partnership.")
    if errors:
        raise ValidationError(errors)


def reminder_due_at(call: FundingCall) -> datetime.datetime:
    """Return when the call's deadline reminder is due: ``remind_days`` before the closing
    date, in the morning, Stockholm time."""
    day = call.closes_on - datetime.timedelta(days=call.remind_days)
    return datetime.datetime.combine(
        day, datetime.time(REMINDER_HOUR), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def _schedule_reminder(call: FundingCall) -> None:
    """Queue the reminder for the call's present deadline, after commit. The task checks
    again when it runs, so a reminder queued for a deadline that later moved does nothing."""
    from soin.funding.tasks import send_call_reminder

    if call.reminded_for == call.closes_on or call.closes_on < timezone.localdate():
        return
    when = reminder_due_at(call)
    pk, closes_on = call.pk, call.closes_on.isoformat()
    if when <= timezone.now():
        # Entered late (or moved closer): remind now rather than never.
        transaction.on_commit(lambda: send_call_reminder.enqueue(call_id=pk, closes_on=closes_on))
    else:
        transaction.on_commit(
            lambda: send_call_reminder.using(run_after=when).enqueue(
                call_id=pk, closes_on=closes_on
            )
        )


@transaction.atomic
def call_create(
    *,
    partnership: Partnership,
    actor: Any,
    challenges: Iterable[Challenge] = (),
    interested: Iterable[Organisation] = (),
    **fields: Any,
) -> FundingCall:
    """Start watching a funding call; its deadline reminder is queued."""
    check_fields(fields, CALL_FIELDS)
    fields = _strip(fields)
    fields.setdefault("remind_days", 14)
    challenges, interested = list(challenges), list(interested)
    _check_call(partnership, fields, challenges, interested)
    call = FundingCall(partnership=partnership, created_by=_user(actor), **fields)
    call.full_clean()
    call.save()
    call.challenges.set(challenges)
    call.interested.set(interested)
    audit_record(
        actor=actor,
        action="funding_call.create",
        instance=call,
        after=_snapshot(call, *CALL_RELATIONS),
    )
    _schedule_reminder(call)
    return call


@transaction.atomic
def call_update(
    *,
    call: FundingCall,
    actor: Any,
    challenges: Iterable[Challenge] | None = None,
    interested: Iterable[Organisation] | None = None,
    **changes: Any,
) -> FundingCall:
    """Change a call. If its closing date or reminder days change, the reminder follows."""
    check_fields(changes, CALL_FIELDS)
    call = FundingCall.objects.select_for_update().select_related("partnership").get(pk=call.pk)
    before = _snapshot(call, *CALL_RELATIONS)
    changes = _strip(changes)
    merged = {f: changes.get(f, getattr(call, f)) for f in CALL_FIELDS}
    chosen = list(call.challenges.all()) if challenges is None else list(challenges)
    chosen_orgs = list(call.interested.all()) if interested is None else list(interested)
    _check_call(call.partnership, merged, chosen, chosen_orgs)
    changed = [f for f, v in changes.items() if getattr(call, f) != v]
    for f in changed:
        setattr(call, f, changes[f])
    if changed:
        call.full_clean()
        call.save(update_fields=[*changed, "updated_at"])
    call.challenges.set(chosen)
    call.interested.set(chosen_orgs)
    after = _snapshot(call, *CALL_RELATIONS)
    if after != before:
        audit_record(
            actor=actor, action="funding_call.update", instance=call, before=before, after=after
        )
    if {"closes_on", "remind_days"} & set(changed):
        _schedule_reminder(call)
    return call


def call_reminder_claim(*, call: FundingCall, closes_on: datetime.date) -> bool:
    """Mark the reminder for ``closes_on`` as sent; return False if it already was (another
    worker sent it). Not atomic on purpose: the claim is one UPDATE."""
    return bool(
        FundingCall.objects.filter(pk=call.pk, closes_on=closes_on)
        .filter(models.Q(reminded_for__isnull=True) | ~models.Q(reminded_for=closes_on))
        .update(reminded_for=closes_on)
    )


def call_reminder_release(
    *, call: FundingCall, closes_on: datetime.date, previous: datetime.date | None
) -> None:
    """Give the claim back when the mail could not be sent, so the task can run again."""
    FundingCall.objects.filter(pk=call.pk, reminded_for=closes_on).update(reminded_for=previous)


# Joint applications -------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "title",
    "call",
    "funder",
    "programme",
    "lead",
    "budget",
    "applied",
    "description",
)
APPLICATION_RELATIONS = ("partners", "ideas")


def _money(value: Any) -> Decimal:
    return Decimal(value or 0)


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def _check_application(
    partnership: Partnership,
    fields: dict[str, Any],
    partners: Sequence[Organisation],
    ideas: Sequence[Idea],
    lines: Sequence[dict[str, Any]],
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str | None, message: str) -> None:
        errors.setdefault(field or "__all__", []).append(message)

    if not fields.get("title"):
        add("title", _("Give the application a title."))
    lead = fields.get("lead")
    if lead is None:
        add("lead", _("Choose the lead partner."))
    elif lead.partnership_id != partnership.pk:
        add("lead", _("Choose organisations of this partnership."))
    call = fields.get("call")
    if call is not None and call.partnership_id != partnership.pk:
        add("call", _("Choose a call this partnership watches."))
    if fields.get("programme") and fields["programme"] not in Programme.values:
        add("programme", _("Choose the programme."))
    if any(o.partnership_id != partnership.pk for o in partners):
        add("partners", _("Choose organisations of this partnership."))
    if any(i.partnership_id != partnership.pk or i.merged_into_id for i in ideas):
        add("ideas", _("Choose ideas of this partnership."))
    budget, applied = fields.get("budget"), fields.get("applied")
    if budget is None or budget <= 0:
        add("budget", _("Give the total budget, more than zero."))
    if applied is None or applied < 0:
        add("applied", _("Give the amount applied for (zero or more)."))
    co_total = Decimal(0)
    for number, line in enumerate(lines, start=1):
        org, amount = line.get("organisation"), line.get("amount")
        if org is None or org.partnership_id != partnership.pk:
            add(
                "co_financing",
                _("Line %(n)s: choose an organisation of this partnership.") % {"n": number},
            )
        if amount is None or amount <= 0:
            add("co_financing", _("Line %(n)s: give an amount more than zero.") % {"n": number})
        else:
            co_total += amount
        if line.get("kind") not in CoFinancing.Kind.values:
            add(
                "co_financing",
                _("Line %(n)s: say whether it is cash or work in kind.") % {"n": number},
            )
    if budget and budget > 0 and applied is not None and applied >= 0:
        if applied > budget:
            add("applied", _("The amount applied for cannot be more than the total budget."))
        if co_total > budget:
            add(
                "co_financing",
                _("The co-financing (%(co)s SEK) is more than the total budget (%(budget)s SEK).")
                % {"co": _fmt(co_total), "budget": _fmt(budget)},
            )
        elif applied <= budget and applied + co_total > budget:
            add(
                None,
                _(
                    "The amount applied for and the co-financing together (%(sum)s SEK) are "
                    "more than the total budget (%(budget)s SEK)."
                )
                % {"sum": _fmt(applied + co_total), "budget": _fmt(budget)},
            )
    if errors:
        raise ValidationError(errors)


def _set_lines(application: Application, lines: Sequence[dict[str, Any]]) -> None:
    application.co_financing.all().delete()
    CoFinancing.objects.bulk_create(
        CoFinancing(
            application=application,
            organisation=line["organisation"],
            amount=line["amount"],
            kind=line["kind"],
        )
        for line in lines
    )


def _lines_snapshot(application: Application) -> list[dict[str, Any]]:
    return [
        {"organisation": c.organisation_id, "amount": str(c.amount), "kind": c.kind}
        for c in application.co_financing.all()
    ]


def _application_snapshot(application: Application) -> dict[str, Any]:
    data = _snapshot(application, *APPLICATION_RELATIONS)
    data["co_financing"] = _lines_snapshot(application)
    return data


def _from_call(fields: dict[str, Any]) -> None:
    call = fields.get("call")
    if call is not None:
        if not fields.get("funder"):
            fields["funder"] = call.funder
        if not fields.get("programme"):
            fields["programme"] = call.programme


def _app_event(
    application: Application, kind: str, actor: Any, note: str = "", **fields: Any
) -> None:
    ApplicationEvent.objects.create(
        application=application, kind=kind, actor=_user(actor), note=note, **fields
    )


@transaction.atomic
def application_create(
    *,
    partnership: Partnership,
    actor: Any,
    partners: Iterable[Organisation] = (),
    ideas: Iterable[Idea] = (),
    co_financing: Sequence[dict[str, Any]] = (),
    **fields: Any,
) -> Application:
    """Plan a joint application. The amount applied for and the co-financing must fit in the
    total budget."""
    check_fields(fields, APPLICATION_FIELDS)
    fields = _strip(fields)
    fields.setdefault("funder", "")
    fields.setdefault("programme", "")
    fields.setdefault("description", "")
    _from_call(fields)
    partners, ideas, lines = list(partners), list(ideas), list(co_financing)
    _check_application(partnership, fields, partners, ideas, lines)
    application = Application.objects.create(
        partnership=partnership, created_by=_user(actor), **fields
    )
    application.partners.set(partners)
    application.ideas.set(ideas)
    _set_lines(application, lines)
    _app_event(application, ApplicationEvent.Kind.CREATED, actor, to_state=application.status)
    audit_record(
        actor=actor,
        action="funding_application.create",
        instance=application,
        after=_application_snapshot(application),
    )
    return application


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("partnership", "call", "lead")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor: Any,
    partners: Iterable[Organisation] | None = None,
    ideas: Iterable[Idea] | None = None,
    co_financing: Sequence[dict[str, Any]] | None = None,
    **changes: Any,
) -> Application:
    """Change an application that is not yet decided."""
    check_fields(changes, APPLICATION_FIELDS)
    application = _lock_application(application)
    workflow.ensure_editable(application)
    before = _application_snapshot(application)
    changes = _strip(changes)
    merged = {f: changes.get(f, getattr(application, f)) for f in APPLICATION_FIELDS}
    if "call" in changes:
        _from_call(merged)
        for f in ("funder", "programme"):
            if merged[f] != getattr(application, f):
                changes[f] = merged[f]
    chosen_partners = list(application.partners.all()) if partners is None else list(partners)
    chosen_ideas = list(application.ideas.all()) if ideas is None else list(ideas)
    lines = (
        [
            {"organisation": c.organisation, "amount": c.amount, "kind": c.kind}
            for c in application.co_financing.select_related("organisation")
        ]
        if co_financing is None
        else list(co_financing)
    )
    _check_application(application.partnership, merged, chosen_partners, chosen_ideas, lines)
    changed = [f for f, v in changes.items() if getattr(application, f) != v]
    for f in changed:
        setattr(application, f, changes[f])
    if changed:
        application.save(update_fields=[*changed, "updated_at"])
    application.partners.set(chosen_partners)
    application.ideas.set(chosen_ideas)
    if co_financing is not None:
        _set_lines(application, lines)
    after = _application_snapshot(application)
    if after != before:
        _app_event(application, ApplicationEvent.Kind.EDITED, actor)
        audit_record(
            actor=actor,
            action="funding_application.update",
            instance=application,
            before=before,
            after=after,
        )
    return application


@transaction.atomic
def application_move(
    *,
    application: Application,
    actor: Any,
    move: str,
    on: datetime.date | None = None,
    note: str = "",
    project: dict[str, Any] | None = None,
) -> Application:
    """Take a step of the application's workflow: submit it (the financing must cover the
    budget), or record the decision. Granting starts the project in the same transaction."""
    application = _lock_application(application)
    step = workflow.ensure_allowed(application, move, actor)
    today = timezone.localdate()
    day = on or today
    note = note.strip()
    if day > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    before = _application_snapshot(application)
    source = application.status
    fields = ["status", "updated_at"]
    if step.target == Application.Status.SUBMITTED:
        co_total = sum((c.amount for c in application.co_financing.all()), Decimal(0))
        gap = application.budget - application.applied - co_total
        if application.applied <= 0:
            raise ValidationError(_("Give the amount applied for before submitting."))
        if gap > 0:
            raise ValidationError(
                _(
                    "The financing does not cover the budget yet: %(gap)s SEK is missing. "
                    "Add co-financing or change the amounts before submitting."
                )
                % {"gap": _fmt(gap)}
            )
        application.submitted_on = day
        fields.append("submitted_on")
    else:
        if application.submitted_on and day < application.submitted_on:
            raise ValidationError(
                {"on": _("The decision cannot come before the application was submitted.")}
            )
        application.decided_on = day
        fields.append("decided_on")
    application.status = step.target
    application.save(update_fields=fields)
    _app_event(
        application,
        ApplicationEvent.Kind.MOVED,
        actor,
        note=note,
        from_state=source,
        to_state=step.target,
    )
    audit_record(
        actor=actor,
        action=f"funding_application.{move}",
        instance=application,
        before=before,
        after=_application_snapshot(application),
    )
    if step.target == Application.Status.GRANTED:
        data = dict(project or {})
        check_fields(data, ("name", "starts_on", "ends_on", "description"))
        project_create(
            partnership=application.partnership,
            actor=actor,
            name=data.get("name") or application.title,
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            lead=application.lead,
            partners=[o for o in application.partners.all() if o.pk != application.lead_id],
            funder=application.funder,
            programme=application.programme,
            budget=application.budget,
            description=data.get("description") or application.description,
            application=application,
        )
    return application


# Projects -----------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "lead",
    "funder",
    "programme",
    "budget",
    "description",
)
PROJECT_RELATIONS = ("partners", "meetings")


def _check_may_change(actor: Any, partnership: Partnership, lead: Organisation | None) -> None:
    """A partner contact keeps only the projects their own organisation leads."""
    if actor is None or lead is None:
        return
    if not has_perm(actor, "projects.change_own", partnership, organisation=lead):
        raise ValidationError(
            {"lead": _("You may only enter and change projects your own organisation leads.")},
            code="own",
        )


def _check_project(
    partnership: Partnership, fields: dict[str, Any], partners: Sequence[Organisation]
) -> None:
    errors: dict[str, str] = {}
    if not fields.get("name"):
        errors["name"] = _("Give the project a name.")
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts is None:
        errors["starts_on"] = _("Say when the project starts.")
    if ends is None:
        errors["ends_on"] = _("Say when the project ends.")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("The end cannot come before the start.")
    lead = fields.get("lead")
    if lead is None:
        errors["lead"] = _("Choose the lead partner.")
    elif lead.partnership_id != partnership.pk:
        errors["lead"] = _("Choose organisations of this partnership.")
    if any(o.partnership_id != partnership.pk for o in partners):
        errors["partners"] = _("Choose organisations of this partnership.")
    if fields.get("programme") and fields["programme"] not in Programme.values:
        errors["programme"] = _("Choose the programme.")
    budget = fields.get("budget")
    if budget is not None and budget < 0:
        errors["budget"] = _("Give zero or more.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    partnership: Partnership,
    actor: Any,
    partners: Iterable[Organisation] = (),
    application: Application | None = None,
    **fields: Any,
) -> Project:
    """Enter a project in the shared list. A partner contact enters their own organisation's."""
    check_fields(fields, PROJECT_FIELDS)
    fields = _strip(fields)
    for f in ("funder", "programme", "description"):
        fields.setdefault(f, "")
    partners = list(partners)
    _check_project(partnership, fields, partners)
    _check_may_change(actor, partnership, fields["lead"])
    project = Project.objects.create(
        partnership=partnership, created_by=_user(actor), application=application, **fields
    )
    project.partners.set(partners)
    audit_record(
        actor=actor,
        action="project.create",
        instance=project,
        after=_snapshot(project, *PROJECT_RELATIONS),
    )
    return project


def _lock_project(project: Project) -> Project:
    return (
        Project.objects.select_for_update().select_related("partnership", "lead").get(pk=project.pk)
    )


@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: Any,
    partners: Iterable[Organisation] | None = None,
    **changes: Any,
) -> Project:
    """Change a project. A partner contact changes only their own organisation's, and cannot
    hand it to another lead."""
    check_fields(changes, PROJECT_FIELDS)
    project = _lock_project(project)
    _check_may_change(actor, project.partnership, project.lead)
    before = _snapshot(project, *PROJECT_RELATIONS)
    changes = _strip(changes)
    merged = {f: changes.get(f, getattr(project, f)) for f in PROJECT_FIELDS}
    chosen = list(project.partners.all()) if partners is None else list(partners)
    _check_project(project.partnership, merged, chosen)
    _check_may_change(actor, project.partnership, merged["lead"])
    changed = [f for f, v in changes.items() if getattr(project, f) != v]
    for f in changed:
        setattr(project, f, changes[f])
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
    project.partners.set(chosen)
    after = _snapshot(project, *PROJECT_RELATIONS)
    if after != before:
        audit_record(
            actor=actor, action="project.update", instance=project, before=before, after=after
        )
    return project


@transaction.atomic
def project_result_add(
    *, project: Project, actor: Any, noted_on: datetime.date, text: str
) -> ProjectResult:
    """Note a result of the project, dated."""
    project = _lock_project(project)
    _check_may_change(actor, project.partnership, project.lead)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what the result is.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("Keep the text under %(max)s characters.") % {"max": MAX_TEXT}}
        )
    if noted_on is None:
        raise ValidationError({"noted_on": _("Give the date.")})
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("The date cannot be in the future.")})
    result = ProjectResult.objects.create(
        project=project, noted_on=noted_on, text=text, actor=_user(actor)
    )
    audit_record(
        actor=actor, action="project.result_add", instance=result, partnership=project.partnership
    )
    return result


@transaction.atomic
def project_meeting_link(
    *, project: Project, actor: Any, meeting: Activity, linked: bool = True
) -> Project:
    """Say that a meeting belongs to the project (or, with ``linked=False``, that it does not)."""
    project = _lock_project(project)
    _check_may_change(actor, project.partnership, project.lead)
    if meeting.partnership_id != project.partnership_id:
        raise ValidationError({"meeting": _("Choose a meeting of this partnership.")})
    before = _snapshot(project, *PROJECT_RELATIONS)
    if linked:
        project.meetings.add(meeting)
    else:
        project.meetings.remove(meeting)
    after = _snapshot(project, *PROJECT_RELATIONS)
    if after != before:
        audit_record(
            actor=actor,
            action="project.meeting_link" if linked else "project.meeting_unlink",
            instance=project,
            before=before,
            after=after,
        )
    return project
