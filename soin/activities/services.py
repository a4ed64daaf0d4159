"""Every change to activities: planning, series, minutes, and registration with its waiting
list. One transaction each, with a timeline row and an audit entry; mails go after commit."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.activities import workflow
from soin.activities.models import (
    INTERNAL_KINDS,
    Activity,
    ActivityEvent,
    CalendarFeed,
    Kind,
    MeetingItem,
    Registration,
    Series,
)
from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.emails import canonical_email
from soin.core.tokens import object_token
from soin.partners.models import Organisation
from soin.regions.models import Partnership

R = Registration.State
# What the audit log keeps of a registration: its course, not the person's data (name,
# address, needs), which is erased on request and when its time is up.
PERSONAL_FIELDS = (
    "name",
    "email",
    "organisation",
    "dietary_needs",
    "accessibility_needs",
    "consent_text",
)


class AlreadyRegistered(ValidationError):
    """The address already has an active registration for the activity."""


def _snapshot(registration: Registration) -> dict[str, Any]:
    data = audit_snapshot(registration)
    for name in PERSONAL_FIELDS:
        data.pop(name, None)
    return data


ACTIVITY_FIELDS = (
    "kind",
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "municipality",
    "is_public",
    "registration_open",
    "capacity",
    "registration_deadline",
    "offer_hours",
    "agenda",
)
# Changes a calendar program or a registrant must hear about.
TIME_AND_PLACE = ("starts_at", "ends_at", "place", "address", "municipality")
# The longest series one rule may create (a meeting every week for four years).
MAX_OCCURRENCES = 210


def registration_token(registration: Registration) -> str:
    """Return the secret part of the registrant's private link (cancel, take an offered
    seat). It is derived, not stored."""
    return object_token("registration", registration.pk, registration.nonce)


def calendar_token(feed: CalendarFeed) -> str:
    """Return the secret part of a staff user's private calendar feed's address."""
    return object_token("calendar", feed.pk, feed.nonce)


def _event(
    activity: Activity,
    kind: str,
    *,
    actor: Any = None,
    registration: Registration | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> ActivityEvent:
    return ActivityEvent.objects.create(
        activity=activity,
        registration=registration,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def _mail(registration: Registration, kind: str) -> None:
    from soin.activities.tasks import send_registration_mail

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id=pk, kind=kind))


def _check_activity(partnership: Partnership, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if fields.get("kind") not in Kind.values:
        errors["kind"] = _("Choose what kind of activity it is.")
    if not str(fields.get("title_sv", "")).strip() and not str(fields.get("title_en", "")).strip():
        errors["title_sv"] = _("Give the activity a title in Swedish or English.")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Say when the activity starts.")
    if ends is None:
        errors["ends_at"] = _("Say when the activity ends.")
    elif starts is not None and ends < starts:
        errors["ends_at"] = _("The end cannot come before the start.")
    municipality = fields.get("municipality")
    if municipality is not None and municipality.region_id != partnership.region_id:
        errors["municipality"] = _("Choose a municipality in %(region)s.") % {
            "region": partnership.region.name
        }
    if fields.get("registration_open"):
        if not fields.get("is_public"):
            errors["registration_open"] = _(
                "Only activities on the public calendar take registrations."
            )
        deadline = fields.get("registration_deadline")
        if deadline is not None and starts is not None and deadline > timezone.localdate(starts):
            errors["registration_deadline"] = _(
                "The last day to register cannot come after the activity starts."
            )
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Give at least one seat, or leave it empty for no limit.")
    offer_hours = fields.get("offer_hours")
    if offer_hours is not None and not 1 <= offer_hours <= 336:
        errors["offer_hours"] = _("Give between 1 and 336 hours (two weeks).")
    if errors:
        raise ValidationError(errors)


def _check_organisations(partnership: Partnership, organisations: Iterable[Organisation]) -> None:
    if any(o.partnership_id != partnership.pk for o in organisations):
        raise ValidationError(_("Choose organisations of this partnership."))


def _strip(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


@transaction.atomic
def activity_create(
    *,
    partnership: Partnership,
    actor: Any,
    hosts: Iterable[Organisation] = (),
    participants: Iterable[Organisation] = (),
    series: Series | None = None,
    **fields: Any,
) -> Activity:
    """Plan an activity. Internal meetings stay off the public calendar unless asked."""
    check_fields(fields, ACTIVITY_FIELDS)
    fields.setdefault("is_public", fields.get("kind") not in INTERNAL_KINDS)
    _check_activity(partnership, fields)
    hosts, participants = list(hosts), list(participants)
    _check_organisations(partnership, [*hosts, *participants])
    activity = Activity.objects.create(
        partnership=partnership,
        series=series,
        series_start=fields["starts_at"] if series else None,
        created_by=actor if getattr(actor, "pk", None) else None,
        **_strip(fields),
    )
    activity.hosts.set(hosts)
    activity.participants.set(participants)
    _event(activity, ActivityEvent.Kind.CREATED, actor=actor, to_state=activity.state)
    audit_record(actor=actor, action="activity.create", instance=activity)
    return activity


def _lock(activity: Activity) -> Activity:
    # Every change to an activity's seats goes through its row lock: of two people taking the
    # last seat at once, the second waits and then counts the first's registration.
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=activity.pk)
    )


def _seats_taken(activity: Activity) -> int:
    return activity.registrations.filter(state__in=[R.CONFIRMED, R.OFFERED]).count()


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    actor: Any,
    hosts: Iterable[Organisation] | None = None,
    participants: Iterable[Organisation] | None = None,
    **changes: Any,
) -> Activity:
    """Change an activity. Every change raises its calendar sequence (RFC 5545) so that
    calendar programs pick it up; a new time or place is also mailed to those registered; more
    seats go to the waiting list at once."""
    check_fields(changes, ACTIVITY_FIELDS)
    activity = _lock(activity)
    if activity.is_cancelled:
        raise ValidationError(_("A cancelled activity cannot be changed."))
    before = audit_snapshot(activity)
    merged = {f: getattr(activity, f) for f in ACTIVITY_FIELDS} | changes
    _check_activity(activity.partnership, merged)
    capacity = merged["capacity"]
    if capacity is not None and capacity < (taken := _seats_taken(activity)):
        raise ValidationError(
            {
                "capacity": _("%(count)s people already have a seat: give at least as many seats.")
                % {"count": taken}
            }
        )
    changed = apply_changes(activity, _strip(changes))
    for name, new in (("hosts", hosts), ("participants", participants)):
        if new is None:
            continue
        new = list(new)
        _check_organisations(activity.partnership, new)
        related = getattr(activity, name)
        if {o.pk for o in related.all()} != {o.pk for o in new}:
            related.set(new)
            changed.append(name)
    if not changed:
        return activity
    activity.sequence += 1
    activity.save()
    moved = [f for f in changed if f in TIME_AND_PLACE]
    kind = ActivityEvent.Kind.MOVED if moved else ActivityEvent.Kind.CHANGED
    _event(activity, kind, actor=actor, note=", ".join(changed))
    if moved:
        for registration in activity.registrations.filter(
            state__in=[R.CONFIRMED, R.OFFERED, R.WAITING]
        ):
            _mail(registration, "changed")
            if "starts_at" in moved:
                _replan(registration, activity)
    _offer_free_seats(activity, actor)
    audit_record(
        actor=actor,
        action="activity.update",
        instance=activity,
        before=before,
        after={**audit_snapshot(activity), "changed": changed},
    )
    return activity


def _replan(registration: Registration, activity: Activity) -> None:
    """After a new start: the reminder is planned again, and an open offer never outlasts the
    start."""
    if registration.state == R.CONFIRMED:
        registration.reminded_at = None
        registration.save(update_fields=["reminded_at", "changed_at"])
        _schedule_reminder(registration, activity)
    elif (
        registration.state == R.OFFERED
        and registration.offer_expires_at is not None
        and registration.offer_expires_at > activity.starts_at
    ):
        registration.offer_expires_at = max(timezone.now(), activity.starts_at)
        registration.save(update_fields=["offer_expires_at", "changed_at"])
        transaction.on_commit(_expiry_task(registration.pk, registration.offer_expires_at))


@transaction.atomic
def activity_cancel(*, activity: Activity, actor: Any, reason: str) -> Activity:
    """Cancel an activity (one occurrence of a series leaves the rest as they are) and tell
    everyone registered."""
    activity = _lock(activity)
    target = workflow.activity_target(activity, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    before = audit_snapshot(activity)
    from_state = activity.state
    activity.state = target
    activity.cancel_reason = reason.strip()
    activity.sequence += 1
    activity.save(update_fields=["state", "cancel_reason", "sequence", "updated_at"])
    _event(
        activity,
        ActivityEvent.Kind.CANCELLED,
        actor=actor,
        from_state=from_state,
        to_state=target,
        note=activity.cancel_reason,
    )
    for registration in activity.registrations.filter(
        state__in=[R.CONFIRMED, R.OFFERED, R.WAITING]
    ):
        if registration.state == R.OFFERED:
            # The seat offered no longer exists: the offer ends, and the one mail the person
            # gets says that the activity is cancelled.
            registration.activity = activity
            _move(
                registration,
                "expire",
                actor,
                event=ActivityEvent.Kind.EXPIRED,
                note=activity.cancel_reason,
            )
        _mail(registration, "activity_cancelled")
    audit_record(actor=actor, action="activity.cancel", instance=activity, before=before)
    return activity


@transaction.atomic
def activity_minutes_update(*, activity: Activity, actor: Any, agenda: str, minutes: str) -> None:
    """Write a meeting's agenda and minutes."""
    activity = _lock(activity)
    before = audit_snapshot(activity)
    changed = apply_changes(activity, {"agenda": agenda.strip(), "minutes": minutes.strip()})
    if not changed:
        return
    activity.save(update_fields=[*changed, "updated_at"])
    _event(activity, ActivityEvent.Kind.MINUTES, actor=actor, note=", ".join(changed))
    audit_record(actor=actor, action="activity.minutes", instance=activity, before=before)


@transaction.atomic
def meeting_item_add(
    *,
    activity: Activity,
    actor: Any,
    kind: str,
    text: str,
    responsible: Organisation | None = None,
    due_on: datetime.date | None = None,
) -> MeetingItem:
    """Record a decision or an action in a meeting's minutes."""
    errors: dict[str, str] = {}
    if kind not in MeetingItem.Kind.values:
        errors["kind"] = _("Choose decision or action.")
    if not text.strip():
        errors["text"] = _("Write the decision or the action.")
    if responsible is not None and responsible.partnership_id != activity.partnership_id:
        errors["responsible"] = _("Choose an organisation of this partnership.")
    if kind == MeetingItem.Kind.DECISION and (responsible or due_on):
        errors["kind"] = _("A decision has no one responsible and no due date: record an action.")
    if errors:
        raise ValidationError(errors)
    item = MeetingItem.objects.create(
        activity=activity,
        kind=kind,
        text=text.strip(),
        responsible=responsible,
        due_on=due_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _event(activity, ActivityEvent.Kind.ITEM, actor=actor, note=item.text[:200])
    audit_record(
        actor=actor,
        action="meeting_item.create",
        instance=item,
        partnership=activity.partnership,
    )
    return item


@transaction.atomic
def meeting_item_done(
    *, item: MeetingItem, actor: Any, done_on: datetime.date | None = None
) -> MeetingItem:
    """Mark an action as done."""
    item = (
        MeetingItem.objects.select_for_update(of=("self",))
        .select_related("activity__partnership")
        .get(pk=item.pk)
    )
    if item.kind != MeetingItem.Kind.ACTION:
        raise ValidationError(_("Only actions are followed up."))
    if item.done_on is not None:
        raise ValidationError(_("This action is already done."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    before = audit_snapshot(item)
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    _event(item.activity, ActivityEvent.Kind.ITEM_DONE, actor=actor, note=item.text[:200])
    audit_record(
        actor=actor,
        action="meeting_item.done",
        instance=item,
        partnership=item.activity.partnership,
        before=before,
    )
    return item


def series_rule(*, interval_weeks: int, until: datetime.date) -> str:
    """Return the RFC 5545 rule for a meeting every ``interval_weeks`` weeks until a day."""
    return f"FREQ=WEEKLY;INTERVAL={interval_weeks};UNTIL={until:%Y%m%d}T235959"


def series_starts(*, rule: str, first_start: datetime.datetime) -> list[datetime.datetime]:
    """Return the starts ``rule`` gives from ``first_start``, at the same local time of day
    across changes to and from summer time."""
    from dateutil.rrule import rrulestr

    tz = timezone.get_current_timezone()
    local = timezone.localtime(first_start, tz).replace(tzinfo=None)
    starts = []
    for index, start in enumerate(rrulestr(rule, dtstart=local)):
        if index >= MAX_OCCURRENCES:
            raise ValidationError(
                _("A series can have at most %(count)s meetings.") % {"count": MAX_OCCURRENCES}
            )
        starts.append(timezone.make_aware(start, tz))
    return starts


@transaction.atomic
def series_create(
    *,
    partnership: Partnership,
    actor: Any,
    kind: str,
    title_sv: str,
    title_en: str = "",
    first_start: datetime.datetime,
    duration_minutes: int,
    interval_weeks: int,
    until: datetime.date,
    place: str = "",
    address: str = "",
    municipality: Any = None,
    hosts: Iterable[Organisation] = (),
    participants: Iterable[Organisation] = (),
    is_public: bool = False,
    agenda: str = "",
) -> Series:
    """Create a series of meetings from a rule (every ``interval_weeks`` weeks until a day),
    each occurrence its own activity."""
    errors: dict[str, str] = {}
    if not 1 <= interval_weeks <= 52:
        errors["interval_weeks"] = _("Give between 1 and 52 weeks.")
    if not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("Give a length between 1 minute and 24 hours.")
    if until < timezone.localdate(first_start):
        errors["until"] = _("The last day cannot come before the first meeting.")
    if errors:
        raise ValidationError(errors)
    rule = series_rule(interval_weeks=interval_weeks, until=until)
    starts = series_starts(rule=rule, first_start=first_start)
    series = Series.objects.create(
        partnership=partnership,
        kind=kind,
        title_sv=title_sv.strip(),
        title_en=title_en.strip(),
        rule=rule,
        first_start=first_start,
        duration_minutes=duration_minutes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    hosts, participants = list(hosts), list(participants)
    length = datetime.timedelta(minutes=duration_minutes)
    for start in starts:
        activity_create(
            partnership=partnership,
            actor=actor,
            series=series,
            hosts=hosts,
            participants=participants,
            kind=kind,
            title_sv=title_sv,
            title_en=title_en,
            starts_at=start,
            ends_at=start + length,
            place=place,
            address=address,
            municipality=municipality,
            is_public=is_public,
            agenda=agenda,
        )
    audit_record(actor=actor, action="series.create", instance=series)
    return series


# Registration ------------------------------------------------------------------------------


def registration_closes_at(activity: Activity) -> datetime.datetime:
    """Return when registration closes: the end of the last day to register, or the start."""
    if activity.registration_deadline is None:
        return activity.starts_at
    tz = timezone.get_current_timezone()
    end_of_day = datetime.datetime.combine(
        activity.registration_deadline + datetime.timedelta(days=1), datetime.time()
    )
    return min(activity.starts_at, timezone.make_aware(end_of_day, tz))


def registration_refusal(activity: Activity, now: datetime.datetime | None = None) -> str:
    """Return why the activity takes no registrations now, or "" if it does."""
    now = now or timezone.now()
    if not activity.registration_open or not activity.is_public:
        return _("This activity does not take registrations.")
    if activity.is_cancelled:
        return _("This activity is cancelled.")
    if now >= registration_closes_at(activity):
        return _("Registration has closed.")
    return ""


def consent_information(*, activity: Activity) -> str:
    """Return what the registrant is told about their personal data before registering."""
    partnership = activity.partnership
    return _(
        "%(partnership)s keeps your name, e-mail address, organisation and the needs you tell "
        "us of to plan this activity and to send you a confirmation and a reminder. Food and "
        "accessibility needs are shared only with those who arrange the activity. You can "
        "cancel your registration with the link in the confirmation mail, and ask us to see, "
        "correct or erase your data at %(email)s."
    ) % {
        "partnership": partnership.name,
        "email": partnership.contact_email or _("the partnership's address"),
    }


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    name: str,
    email: str,
    consent_text: str,
    organisation: str = "",
    dietary_needs: str = "",
    accessibility_needs: str = "",
    language: str = "sv",
    actor: Any = None,
) -> tuple[Registration, str]:
    """Register a person: a seat if one is free, the waiting list otherwise. Return the
    registration and the secret part of its private link."""
    activity = _lock(activity)
    refusal = registration_refusal(activity)
    if refusal:
        raise ValidationError(refusal)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Write your name.")
    email = email.strip()
    if not email:
        errors["email"] = _("Write your e-mail address.")
    if not consent_text:
        errors["consent"] = _("We cannot register you without your consent.")
    if errors:
        raise ValidationError(errors)
    if activity.registrations.filter(
        email_canonical=canonical_email(email), state__in=[R.CONFIRMED, R.WAITING, R.OFFERED]
    ):
        raise AlreadyRegistered(
            _(
                "This e-mail address is already registered. The confirmation mail has a link "
                "to your registration."
            ),
            code="already_registered",
        )
    full = activity.capacity is not None and _seats_taken(activity) >= activity.capacity
    # Someone waiting comes before a newcomer even if a seat is free for a moment.
    waiting = activity.registrations.filter(state=R.WAITING).exists()
    state = R.WAITING if full or waiting else R.CONFIRMED
    registration = Registration.objects.create(
        activity=activity,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        dietary_needs=dietary_needs.strip(),
        accessibility_needs=accessibility_needs.strip(),
        language=language if language in ("sv", "en") else "sv",
        state=state,
        consent_at=timezone.now(),
        consent_text=consent_text,
        nonce=secrets.token_hex(16),
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    _event(
        activity,
        ActivityEvent.Kind.REGISTERED if state == R.CONFIRMED else ActivityEvent.Kind.WAITLISTED,
        actor=actor,
        registration=registration,
        to_state=state,
    )
    audit_record(
        actor=actor,
        action="registration.create",
        instance=registration,
        partnership=activity.partnership,
        after=_snapshot(registration),
    )
    _mail(registration, "confirmed" if state == R.CONFIRMED else "waiting")
    if state == R.CONFIRMED:
        _schedule_reminder(registration, activity)
    if waiting and not full:
        _offer_free_seats(activity, actor)
    return registration, registration_token(registration)


def _move(
    registration: Registration, move: str, actor: Any, *, event: str, note: str = ""
) -> Registration:
    target = workflow.registration_target(registration, move)
    before = _snapshot(registration)
    from_state = registration.state
    registration.state = target
    if target != R.OFFERED:
        registration.offer_expires_at = None
    registration.save()
    _event(
        registration.activity,
        event,
        actor=actor,
        registration=registration,
        from_state=from_state,
        to_state=target,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"registration.{move}",
        instance=registration,
        partnership=registration.activity.partnership,
        before=before,
        after=_snapshot(registration),
    )
    return registration


def _offer_free_seats(activity: Activity, actor: Any) -> None:
    """Offer each free seat to the next person waiting; the offer expires after the
    activity's offer time (or when it starts)."""
    if activity.is_cancelled or timezone.now() >= activity.starts_at:
        return
    if activity.capacity is None:
        # No limit any more: everyone waiting has a seat at once.
        for waiting in activity.registrations.filter(state=R.WAITING).order_by("created_at", "pk"):
            waiting.activity = activity
            _move(waiting, "admit", actor, event=ActivityEvent.Kind.REGISTERED)
            _mail(waiting, "confirmed")
            _schedule_reminder(waiting, activity)
        return
    while _seats_taken(activity) < activity.capacity:
        nxt = activity.registrations.filter(state=R.WAITING).order_by("created_at", "pk").first()
        if nxt is None:
            return
        nxt.activity = activity
        expires = min(
            timezone.now() + datetime.timedelta(hours=activity.offer_hours), activity.starts_at
        )
        nxt.offer_expires_at = expires
        _move(nxt, "offer", actor, event=ActivityEvent.Kind.OFFERED)
        _mail(nxt, "offered")
        transaction.on_commit(_expiry_task(nxt.pk, expires))


def _expiry_task(pk: int, expires: datetime.datetime) -> Any:
    from soin.activities.tasks import expire_offer

    def enqueue() -> None:
        expire_offer.using(run_after=expires).enqueue(registration_id=pk)

    return enqueue


def _schedule_reminder(registration: Registration, activity: Activity) -> None:
    from soin.activities.tasks import send_reminder

    when = activity.starts_at - datetime.timedelta(days=1)
    if when <= timezone.now():
        return  # registered the day before: the confirmation is reminder enough
    pk = registration.pk
    transaction.on_commit(lambda: send_reminder.using(run_after=when).enqueue(registration_id=pk))


def _lock_registration(registration: Registration) -> Registration:
    activity = _lock(registration.activity)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.activity = activity
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Any = None) -> Registration:
    """Cancel a registration (the registrant through their link, or staff). A freed seat is
    offered to the next person waiting."""
    registration = _lock_registration(registration)
    if timezone.now() >= registration.activity.starts_at:
        raise ValidationError(
            _("The activity has already begun: the registration can no longer be cancelled.")
        )
    held_seat = registration.holds_seat
    _move(registration, "cancel", actor, event=ActivityEvent.Kind.UNREGISTERED)
    _mail(registration, "cancelled")
    if held_seat:
        _offer_free_seats(registration.activity, actor)
    return registration


def _expire(registration: Registration, actor: Any) -> None:
    _move(registration, "expire", actor, event=ActivityEvent.Kind.EXPIRED)
    _mail(registration, "expired")
    _offer_free_seats(registration.activity, actor)


@transaction.atomic
def registration_accept(*, registration: Registration) -> Registration:
    """Take the seat offered from the waiting list. An offer past its time has expired: the
    seat goes to the next person and the registration says so."""
    registration = _lock_registration(registration)
    if (
        registration.state == R.OFFERED
        and registration.offer_expires_at is not None
        and timezone.now() >= registration.offer_expires_at
    ):
        _expire(registration, None)
        return registration
    _move(registration, "accept", None, event=ActivityEvent.Kind.ACCEPTED)
    _mail(registration, "confirmed")
    _schedule_reminder(registration, registration.activity)
    return registration


@transaction.atomic
def registration_expire(*, registration: Registration) -> bool:
    """Expire an offer whose time is up (the worker calls this when it is due); return whether
    it expired."""
    if not Registration.objects.filter(
        pk=registration.pk, state=R.OFFERED, offer_expires_at__lte=timezone.now()
    ).exists():
        return False  # nothing due: no lock taken
    registration = _lock_registration(registration)
    if (
        registration.state != R.OFFERED
        or registration.offer_expires_at is None
        or timezone.now() < registration.offer_expires_at
    ):
        return False
    _expire(registration, None)
    return True


@transaction.atomic
def registration_mark_attendance(*, activity: Activity, actor: Any, attended: Iterable[int]) -> int:
    """Record who came, from the list of those with a seat; return how many came."""
    activity = _lock(activity)
    if activity.is_cancelled:
        raise ValidationError(_("The activity was cancelled: nobody attended."))
    if timezone.now() < activity.starts_at:
        raise ValidationError(_("Attendance can be marked once the activity has begun."))
    present = set(attended)
    seats = list(activity.registrations.filter(state=R.CONFIRMED))
    unknown = present - {r.pk for r in seats}
    if unknown:
        raise ValidationError(_("Mark only people who have a seat."))
    for registration in seats:
        came = registration.pk in present
        if registration.attended != came:
            registration.attended = came
            registration.save(update_fields=["attended", "changed_at"])
    _event(
        activity,
        ActivityEvent.Kind.ATTENDANCE,
        actor=actor,
        note=_("%(came)s of %(seats)s came") % {"came": len(present), "seats": len(seats)},
    )
    audit_record(actor=actor, action="activity.attendance", instance=activity)
    return len(present)


def registration_link_resend(*, activity: Activity, email: str) -> None:
    """Mail the link to an address's active registration again (asked for by registering a
    second time). Nothing is said to the person asking about whether there was one."""
    registration = activity.registrations.filter(
        email_canonical=canonical_email(email), state__in=[R.CONFIRMED, R.WAITING, R.OFFERED]
    ).first()
    if registration is not None:
        _mail(registration, "link")


@transaction.atomic
def calendar_feed_get_or_create(*, user: Any) -> CalendarFeed:
    """Return the user's private calendar feed, creating it the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"nonce": secrets.token_hex(16)}
    )
    return feed


@transaction.atomic
def calendar_feed_renew(*, user: Any) -> CalendarFeed:
    """Give the user a new private calendar address; the old one stops working."""
    feed = calendar_feed_get_or_create(user=user)
    feed.nonce = secrets.token_hex(16)
    feed.save(update_fields=["nonce"])
    audit_record(actor=user, action="calendar_feed.renew", instance=feed)
    return feed


@transaction.atomic
def registration_anonymise(
    *, registration: Registration, actor: Any, words: tuple[str, ...] = ()
) -> dict[str, int]:
    """Take the registrant's personal data out of a registration, keeping that a place was
    taken (its state, attendance and language, for the statistics): name, address,
    organisation and needs go, copies of them in the activity's timeline and the audit log are
    replaced by a mark, and the private link stops working. A seat held for an activity that
    has not begun is given up first, so the next person waiting is offered it (no mail goes
    to the address that is being erased). Return how many rows were changed, per kind."""
    from soin.retention.redact import (
        ERASED_DOMAIN,
        erased_address,
        redact_audit,
        redact_rows,
        words_of,
    )

    registration = _lock_registration(registration)
    found = words_of(registration.name, registration.email, registration.organisation, *words)
    if registration.email.endswith("@" + ERASED_DOMAIN):
        found = words_of(*words)
    activity = registration.activity
    if registration.is_active and timezone.now() < activity.starts_at:
        held_seat = registration.holds_seat
        _move(registration, "cancel", actor, event=ActivityEvent.Kind.UNREGISTERED)
        if held_seat:
            _offer_free_seats(activity, actor)
    fields: list[str] = []
    for name in ("name", "organisation", "dietary_needs", "accessibility_needs", "nonce"):
        if getattr(registration, name):
            setattr(registration, name, "")
            fields.append(name)
    if not registration.email.endswith("@" + ERASED_DOMAIN):
        registration.email = erased_address(registration.pk)
        fields.append("email")
    counts = {
        "timeline_entries": redact_rows(
            ActivityEvent.objects.filter(activity=activity), ["note"], found
        ),
        "audit_entries": redact_audit(registration, found),
    }
    if not fields and not any(counts.values()):
        return {}
    if fields:
        registration.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="registration.anonymise",
        instance=registration,
        partnership=activity.partnership,
        before={},
        after={"anonymised": sorted(fields)},
    )
    return {"registrations": 1 if fields else 0, **counts}
