"""Generated activities: meetings, seminars and outreach stops each year, registrations for
the public ones (some on the waiting list, some cancelled), minutes with decisions and
actions, and each one's timeline."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone

from soin.activities.models import Activity, ActivityEvent, Kind, MeetingItem, Registration

# How often each kind comes, out of twenty.
MIX = (
    [Kind.PLENARY] * 2
    + [Kind.WORKING_COMMITTEE] * 3
    + [Kind.COORDINATION] * 3
    + [Kind.EXPERIENCE_SEMINAR] * 3
    + [Kind.LEARNING_SEMINAR] * 3
    + [Kind.RESEARCH_CIRCLE] * 1
    + [Kind.OUTREACH_STOP] * 4
    + [Kind.FAIR] * 1
)
PUBLIC = {Kind.EXPERIENCE_SEMINAR, Kind.LEARNING_SEMINAR, Kind.OUTREACH_STOP, Kind.FAIR}


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    activities = []
    today = timezone.localdate()
    for year in load.years:
        for n in range(scale.activities_per_year):
            kind = rng.choice(MIX)
            place = load.pick(load.municipalities)
            day = load.day(year)
            if year == today.year and n % 4 == 0:
                # A quarter of this year's are still to come and open to the public (the
                # calendar, registrations), a quarter were outreach stops already made.
                day = today + datetime.timedelta(days=1 + rng.randrange(60))
                kind = rng.choice(sorted(PUBLIC))
            elif year == today.year and n % 4 == 1:
                past = max(1, min(300, today.timetuple().tm_yday - 1))
                day = today - datetime.timedelta(days=1 + rng.randrange(past))
                kind = Kind.OUTREACH_STOP
            starts = load.moment(day, rng.choice([9, 10, 13, 18]))
            title_sv, title_en = load.text.title(place.name)
            about_sv, about_en = load.text.paragraph(place.name, 2)
            public = kind in PUBLIC
            activities.append(
                Activity(
                    partnership=p,
                    kind=kind,
                    title_sv=title_sv,
                    title_en=title_en,
                    description_sv=about_sv,
                    description_en=about_en,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=rng.choice([2, 3, 4])),
                    place=f"Medborgarhuset i {place.name}",
                    address=f"Storgatan {rng.randrange(1, 60)}, {place.name}",
                    municipality=place,
                    is_public=public,
                    registration_open=public,
                    capacity=rng.choice([20, 30, 50]) if public else None,
                    registration_deadline=(starts - datetime.timedelta(days=3)).date()
                    if public
                    else None,
                    created_by=load.pick(load.staff),
                    created_at=starts - datetime.timedelta(days=30),
                    updated_at=starts - datetime.timedelta(days=30),
                )
            )
    activities = load.bulk(Activity, activities)
    load.activities = activities
    registrations = []
    for a in activities:
        if not a.registration_open:
            continue
        for n in range(scale.registrations_per_activity):
            state = (
                Registration.State.CANCELLED
                if n % 9 == 8
                else Registration.State.WAITING
                if n >= (a.capacity or 0)
                else Registration.State.CONFIRMED
            )
            registrations.append(
                Registration(
                    activity=a,
                    name=load.text.name(),
                    email=f"deltagare{n}.{a.pk}@example.org",
                    organisation=load.pick(load.organisations).name if n % 2 else "",
                    language="sv" if n % 5 else "en",
                    state=state,
                    attended=state == Registration.State.CONFIRMED and n % 4 != 0,
                    consent_at=a.created_at,
                    consent_text="Vi sparar dina uppgifter för att kunna ordna träffen.",
                    nonce=secrets.token_hex(8),
                    created_at=a.created_at + datetime.timedelta(days=n % 25),
                    changed_at=a.created_at + datetime.timedelta(days=n % 25),
                )
            )
    registrations = load.bulk(Registration, registrations)
    events = [
        ActivityEvent(
            activity=a, kind=ActivityEvent.Kind.CREATED, actor=a.created_by, created_at=a.created_at
        )
        for a in activities
    ]
    for r in registrations:
        kind = {
            Registration.State.CONFIRMED: ActivityEvent.Kind.REGISTERED,
            Registration.State.WAITING: ActivityEvent.Kind.WAITLISTED,
            Registration.State.CANCELLED: ActivityEvent.Kind.UNREGISTERED,
        }[r.state]
        events.append(
            ActivityEvent(activity=r.activity, registration=r, kind=kind, created_at=r.created_at)
        )
    items = []
    for a in activities:
        if a.is_public:
            continue
        for n, kind in enumerate([MeetingItem.Kind.DECISION, MeetingItem.Kind.ACTION]):
            text_sv, _en = load.text.paragraph(a.municipality.name, 1)
            items.append(
                MeetingItem(
                    activity=a,
                    kind=kind,
                    text=text_sv,
                    responsible=load.pick(load.organisations) if n else None,
                    due_on=(a.starts_at + datetime.timedelta(days=30)).date() if n else None,
                    created_by=a.created_by,
                    created_at=a.ends_at,
                )
            )
        events.append(
            ActivityEvent(
                activity=a,
                kind=ActivityEvent.Kind.MINUTES,
                actor=a.created_by,
                created_at=a.ends_at,
            )
        )
    load.bulk(MeetingItem, items)
    load.bulk(ActivityEvent, events)
