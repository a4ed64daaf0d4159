"""Reads of activities, always within one partnership and the reader's reach."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from soin.accounts.models import Role
from soin.accounts.permissions import has_perm, partnerships_for, roles_in
from soin.activities.models import (
    MEETING_PLACES_FOR_IDEAS,
    Activity,
    CalendarFeed,
    Kind,
    MeetingItem,
    Registration,
)
from soin.core.tokens import LinkExpired, object_from_token
from soin.regions.models import Municipality, Partnership

R = Registration.State
# The registrant's link stops working this long after the event (soin.core.tokens.PURPOSES).
REGISTRATION_LINK_AFTER_EVENT = datetime.timedelta(days=30)


def _base(partnership: Partnership) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(partnership=partnership)
        .select_related("partnership", "municipality", "series")
        .prefetch_related("hosts")
    )


def _reach(user: Any, partnership: Partnership) -> Q:
    """What a reader may see: everything with ``activities.view``; a partner contact sees
    public activities, plenary meetings and those their organisation hosts or takes part in."""
    if has_perm(user, "activities.view", partnership):
        return Q()
    own = [
        r.organisation_id
        for r in roles_in(user, partnership)
        if r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id
    ]
    return Q(is_public=True) | Q(kind=Kind.PLENARY) | Q(hosts__in=own) | Q(participants__in=own)


def _filter(
    qs: QuerySet[Activity],
    *,
    kind: str = "",
    municipality: Municipality | None = None,
    year: int | None = None,
    when: str = "",
) -> QuerySet[Activity]:
    now = timezone.now()
    if kind:
        qs = qs.filter(kind=kind)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if year:
        qs = qs.filter(starts_at__year=year)
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return qs


def activities_for(
    *,
    user: Any,
    partnership: Partnership,
    kind: str = "",
    municipality: Municipality | None = None,
    year: int | None = None,
    when: str = "",
) -> QuerySet[Activity]:
    """Return the activities the user may see in the back office."""
    qs = _base(partnership).filter(
        pk__in=Activity.objects.filter(partnership=partnership)
        .filter(_reach(user, partnership))
        .values("pk")
    )
    return _filter(qs, kind=kind, municipality=municipality, year=year, when=when).annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__state__in=[R.CONFIRMED, R.OFFERED])
        ),
        waiting=Count("registrations", filter=Q(registrations__state=R.WAITING)),
    )


def activity_get_for(*, user: Any, partnership: Partnership, pk: int) -> Activity:
    """Return the activity if the user may see it in this partnership; 404 otherwise."""
    activity = (
        activities_for(user=user, partnership=partnership)
        .prefetch_related("participants")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def public_activities(
    *,
    partnership: Partnership,
    kind: str = "",
    municipality: Municipality | None = None,
    when: str = "upcoming",
) -> QuerySet[Activity]:
    """Return the activities on the public calendar."""
    return _filter(
        _base(partnership).filter(is_public=True),
        kind=kind,
        municipality=municipality,
        when=when,
    )


def public_feed(*, partnership: Partnership) -> QuerySet[Activity]:
    """Return what the public calendar feed holds: the public activities from a year back on
    (a calendar program fetches it often; older ones are on the calendar page)."""
    since = timezone.now() - datetime.timedelta(days=365)
    return public_activities(partnership=partnership, when="").filter(ends_at__gte=since)


def minutes_readable(*, user: Any, partnership: Partnership, activity: Activity) -> bool:
    """Return whether the user may read a meeting's agenda, minutes and actions: staff with
    ``activities.view``; a partner contact for plenary meetings and meetings their
    organisation hosts or takes part in (not merely because the meeting is public)."""
    if has_perm(user, "activities.view", partnership):
        return True
    if activity.kind == Kind.PLENARY:
        return True
    own = {
        r.organisation_id
        for r in roles_in(user, partnership)
        if r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id
    }
    return bool(
        own
        & {
            *activity.hosts.values_list("pk", flat=True),
            *activity.participants.values_list("pk", flat=True),
        }
    )


def public_activity_get(*, partnership: Partnership, pk: int) -> Activity:
    activity = (
        public_activities(partnership=partnership, when="")
        .prefetch_related("participants")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


@dataclass
class Seats:
    capacity: int | None
    confirmed: int
    offered: int
    waiting: int

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed - self.offered)


def seats(activity: Activity) -> Seats:
    counts = dict(
        activity.registrations.values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return Seats(
        capacity=activity.capacity,
        confirmed=counts.get(R.CONFIRMED, 0),
        offered=counts.get(R.OFFERED, 0),
        waiting=counts.get(R.WAITING, 0),
    )


def registrations_for(activity: Activity) -> dict[str, list[Registration]]:
    """Return the activity's registrations by state: seats, offers, the waiting list in its
    order, and those that ended."""
    groups: dict[str, list[Registration]] = {s: [] for s in R.values}
    for registration in activity.registrations.order_by("created_at", "pk"):
        groups[registration.state].append(registration)
    return groups


def registration_by_token(*, partnership: Partnership, token: str) -> Registration:
    """Return the registration whose private link carries ``token``; 404 otherwise."""
    registration = object_from_token(
        Registration.objects.filter(activity__partnership=partnership).select_related(
            "activity__partnership", "activity__municipality"
        ),
        purpose="registration",
        token=token,
    )
    if registration.activity.ends_at + REGISTRATION_LINK_AFTER_EVENT < timezone.now():
        raise LinkExpired("registration")
    return registration


def waiting_position(registration: Registration) -> int | None:
    """Return the registration's place on the waiting list (1 is next), or None."""
    if registration.state != R.WAITING:
        return None
    return (
        registration.activity.registrations.filter(state=R.WAITING)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def open_actions(*, partnership: Partnership) -> QuerySet[MeetingItem]:
    """Return the actions from meetings' minutes that are not done yet, the most urgent first."""
    return (
        MeetingItem.objects.filter(
            activity__partnership=partnership, kind=MeetingItem.Kind.ACTION, done_on__isnull=True
        )
        .select_related("activity", "responsible")
        .order_by("due_on", "created_at")
    )


@dataclass
class SpreadRow:
    municipality: Municipality
    by_kind: dict[str, int]
    total: int
    ideas: int


@dataclass
class Spread:
    year: int
    kinds: list[tuple[str, Any]]
    rows: list[SpreadRow]
    reached: int
    without_place: int
    stops: list[Activity] = field(default_factory=list)

    @property
    def municipalities(self) -> int:
        return len(self.rows)


def spread(*, partnership: Partnership, year: int) -> Spread:
    """Where the partnership's activities took place in a year, per municipality and kind, and
    the ideas met at each outreach stop: is it active in the whole region?"""
    from soin.ideas.models import Idea

    activities = Activity.objects.filter(
        partnership=partnership, starts_at__year=year, state=Activity.State.PLANNED
    )
    counts: dict[int, dict[str, int]] = {}
    for municipality_id, kind, n in (
        activities.filter(municipality__isnull=False)
        .values_list("municipality", "kind")
        .annotate(n=Count("pk"))
        .values_list("municipality", "kind", "n")
    ):
        counts.setdefault(municipality_id, {})[kind] = n
    ideas = dict(
        Idea.objects.filter(
            partnership=partnership, received_on__year=year, merged_into__isnull=True
        )
        .exclude(municipality__isnull=True)
        .values_list("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    rows = [
        SpreadRow(
            municipality=m,
            by_kind=counts.get(m.pk, {}),
            total=sum(counts.get(m.pk, {}).values()),
            ideas=ideas.get(m.pk, 0),
        )
        for m in Municipality.objects.filter(region=partnership.region).order_by("name")
    ]
    stops = list(
        activities.filter(kind=Kind.OUTREACH_STOP)
        .select_related("municipality")
        .prefetch_related(
            "participants",
            Prefetch(
                "ideas",
                queryset=Idea.objects.filter(merged_into__isnull=True).order_by("number"),
            ),
        )
        .order_by("starts_at")
    )
    return Spread(
        year=year,
        kinds=[(k.value, k.label) for k in Kind],
        rows=rows,
        reached=sum(1 for r in rows if r.total),
        without_place=activities.filter(municipality__isnull=True).count(),
        stops=stops,
    )


def places_to_meet_ideas(*, partnership: Partnership) -> QuerySet[Activity]:
    """Return the activities of the last two years where ideas can have been met, latest
    first."""
    now = timezone.now()
    return (
        Activity.objects.filter(
            partnership=partnership,
            kind__in=MEETING_PLACES_FOR_IDEAS,
            state=Activity.State.PLANNED,
            starts_at__lte=now,
            starts_at__gte=now - datetime.timedelta(days=2 * 366),
        )
        .select_related("municipality")
        .order_by("-starts_at", "-pk")
    )


def activity_years(*, partnership: Partnership) -> list[int]:
    years = {
        d.year for d in Activity.objects.filter(partnership=partnership).dates("starts_at", "year")
    }
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def calendar_feed_by_token(*, token: str) -> CalendarFeed:
    return object_from_token(
        CalendarFeed.objects.select_related("user"),
        purpose="calendar",
        token=token,
    )


def feed_activities_for_user(*, user: Any) -> list[Activity]:
    """Return what a staff user's private feed holds: in each of their partnerships, the
    activities they may see, from a year back on."""
    since = timezone.now() - datetime.timedelta(days=365)
    result: list[Activity] = []
    for partnership in partnerships_for(user):
        if not has_perm(user, "activities.view_own", partnership):
            continue
        result.extend(activities_for(user=user, partnership=partnership).filter(ends_at__gte=since))
    return sorted(result, key=lambda a: (a.starts_at, a.pk))
