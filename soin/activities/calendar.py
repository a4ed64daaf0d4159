"""Activities as iCalendar (RFC 5545): one event, a public feed, a staff user's private feed.

Times are written with TZID=Europe/Stockholm and the VTIMEZONE that defines it, so that a
calendar program shows a 9 o'clock meeting at 9 o'clock in Sweden, summer and winter."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.activities.models import Activity
from soin.core.text import xml_safe

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _uid(activity: Activity) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "soin.local"
    return f"activity-{activity.pk}@{host}"


def _location(activity: Activity) -> str:
    parts = [activity.place, activity.address]
    if activity.municipality and activity.municipality.name not in " ".join(parts):
        parts.append(activity.municipality.name)
    return ", ".join(p for p in parts if p)


def event_component(activity: Activity, *, with_link: bool = True) -> icalendar.Event:
    tz = timezone.get_current_timezone()
    event = icalendar.Event()
    event.add("uid", _uid(activity))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("created", activity.created_at)
    event.add("sequence", activity.sequence)
    event.add("dtstart", timezone.localtime(activity.starts_at, tz))
    event.add("dtend", timezone.localtime(activity.ends_at, tz))
    # What a calendar holds is text of RFC 5545, which has no room for control characters.
    event.add("summary", xml_safe(activity.title))
    description = activity.description
    if activity.is_cancelled:
        description = f"{_('Cancelled')}: {activity.cancel_reason}\n\n{description}".strip()
    if description:
        event.add("description", xml_safe(description))
    location = _location(activity)
    if location:
        event.add("location", xml_safe(location))
    event.add("categories", [str(activity.get_kind_display())])
    event.add("status", "CANCELLED" if activity.is_cancelled else "CONFIRMED")
    event.add("class", "PUBLIC" if activity.is_public else "PRIVATE")
    if with_link and activity.is_public:
        event.add(
            "url",
            settings.SITE_URL
            + reverse(
                "public:activity_detail",
                kwargs={"partnership": activity.partnership.slug, "pk": activity.pk},
            ),
        )
    return event


def calendar_bytes(activities: Iterable[Activity], *, name: str, with_links: bool = True) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Soin//Activities//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An extension property's value is written as it is, so a line break in it (a title
    # stored with one) would break the file: the name is one line.
    cal.add("x-wr-calname", " ".join(xml_safe(name).split()))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    activities = list(activities)
    # The definition of Europe/Stockholm comes first, always (RFC 5545 wants at least one
    # component, and an empty feed stays valid), covering every event's dates.
    today = datetime.date.today()
    days = [a.starts_at.date() for a in activities] + [a.ends_at.date() for a in activities]
    cal.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=min([*days, today]) - datetime.timedelta(days=366),
            last_date=max([*days, today]) + datetime.timedelta(days=366),
        )
    )
    for activity in activities:
        cal.add_component(event_component(activity, with_link=with_links))
    return cal.to_ical()


def calendar_response(
    activities: Iterable[Activity], *, name: str, filename: str, attachment: bool
) -> HttpResponse:
    response = HttpResponse(calendar_bytes(activities, name=name), content_type=CALENDAR_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    return response
