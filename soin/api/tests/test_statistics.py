"""The open statistics count what is public, as the API's documentation says."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from soin.activities.models import Activity
from soin.activities.services import activity_cancel, activity_create

pytestmark = pytest.mark.django_db


def activity_counts(slug: str) -> dict[str, dict[str, int]]:
    response = Client().get("/api/v1/statistics", {"partnership": slug})
    assert response.status_code == 200
    [figures] = response.json()
    return figures["activities"]["by_year_and_kind"]


def test_internal_and_cancelled_activities_are_not_counted_as_public(world) -> None:  # type: ignore[no-untyped-def]
    p = world.partnership
    coordinator = world.users["coordinator"]
    start = timezone.make_aware(datetime.datetime(2019, 3, 4, 9))
    for day in range(16):
        activity_create(
            partnership=p,
            actor=coordinator,
            kind="working_committee",
            title_sv=f"Arbetsutskottet {day}",
            starts_at=start + datetime.timedelta(days=day),
            ends_at=start + datetime.timedelta(days=day, hours=2),
        )
    seminar = activity_create(
        partnership=p,
        actor=coordinator,
        kind="learning_seminar",
        title_sv="Seminarium om sociala företag",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    activity_create(
        partnership=p,
        actor=coordinator,
        kind="learning_seminar",
        title_sv="Inställt seminarium",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    cancelled = Activity.objects.get(title_sv="Inställt seminarium")
    activity_cancel(activity=cancelled, actor=coordinator, reason="Sjukdom")
    assert activity_counts(p.slug)["2019"] == {"learning_seminar": 1}
    # Every year's figures agree with the public calendar: public, not cancelled.
    public = Activity.objects.filter(partnership=p, is_public=True, state=Activity.State.PLANNED)
    assert sum(n for year in activity_counts(p.slug).values() for n in year.values()) == (
        public.count()
    )
    assert seminar.is_public
