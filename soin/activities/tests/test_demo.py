"""The demo's activities reproduce 2017 as seed 003 tells it, and the 2018 seminars of seed 004."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from soin.activities.models import Activity, Registration
from soin.activities.selectors import spread
from soin.ideas.models import Idea
from soin.regions.models import Partnership

D = datetime.date


def local_days(qs) -> list[tuple[datetime.date, str]]:  # type: ignore[no-untyped-def]
    return [(timezone.localtime(a.starts_at).date(), a.place) for a in qs.order_by("starts_at")]


@pytest.mark.django_db
def test_the_demo_has_2017_and_the_2018_seminars() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    p = Partnership.objects.get(slug="orebro")
    year = Activity.objects.filter(partnership=p, starts_at__year=2017)
    assert local_days(year.filter(kind="plenary")) == [
        (D(2017, 2, 7), "Hallsberg"),
        (D(2017, 5, 11), "Hällefors"),
        (D(2017, 9, 28), "Askersund"),
        (D(2017, 11, 29), "Örebro"),
    ]
    assert local_days(year.filter(kind="outreach_stop")) == [
        (D(2017, 5, 2), "Askersund"),
        (D(2017, 5, 9), "Fellingsbro"),
        (D(2017, 5, 22), "Örebro/Varberga"),
        (D(2017, 6, 1), "Hällefors"),
        (D(2017, 9, 12), "Kumla"),
        (D(2017, 10, 2), "Degerfors"),
    ]
    # Everyone seed 003 names as taking part in the caravan tour, and no one else.
    at_stops = {
        o.name
        for a in year.filter(kind="outreach_stop")
        for o in [*a.participants.all(), *a.hosts.all()]
    }
    assert at_stops == {
        "Verdandi Örebro län",
        "Stiftelsen Activa",
        "Coompanion",
        "Askersunds kommun",
        "Lindesbergs kommun",
        "Hällefors kommun",
        "Leader Mälardalen",
        "Kumla kommun",
        "Finsam Sydnärke",
        "Örebro läns idrottsförbund",
        "Länsstyrelsen Örebro län",
        "Region Örebro län",
    }
    seminars = year.filter(kind="experience_seminar").order_by("starts_at")
    assert local_days(seminars) == [
        (D(2017, 5, 30), "Bredsjö"),
        (D(2017, 9, 18), "Hallsberg"),
        (D(2017, 11, 13), "Örebro"),
    ]
    assert seminars[2].title_sv == "Egen försörjning och arbetsmarknad i förändring"
    committee = year.filter(kind="working_committee").order_by("starts_at")
    starts = [timezone.localtime(a.starts_at).date() for a in committee]
    assert {b - a for a, b in itertools.pairwise(starts)} == {datetime.timedelta(21)}
    assert len({a.series_id for a in committee}) == 1
    assert sorted(o.name for o in committee[0].participants.all()) == sorted(
        [
            "Hällefors folkhögskola",
            "Coompanion",
            "Verdandi Örebro län",
            "Länsstyrelsen Örebro län",
            "Region Örebro län",
        ]
    )
    # The 2018 seminars of newsletter 2018:1, with registration ("anmäl senast 1 mars").
    sport = Activity.objects.get(partnership=p, title_sv="Idrott, ungdomar och integration")
    assert timezone.localtime(sport.starts_at) == timezone.make_aware(
        datetime.datetime(2018, 3, 8, 9, 0)
    )
    assert sport.registration_open and sport.registration_deadline == D(2018, 3, 1)
    assert sport.address == "Karlsgatan 28, Örebro"
    assert Registration.objects.filter(activity__starts_at__year=2018).exists()
    assert Activity.objects.filter(partnership=p, starts_at__year=2018).count() == 3
    # Each of the fifteen ideas is linked to the stop where it was met.
    ideas = Idea.objects.filter(partnership=p)
    assert ideas.count() == 15
    assert all(
        i.activity and timezone.localtime(i.activity.starts_at).date() == i.received_on
        for i in ideas
    )
    # Active in the whole county? In 2017: 7 of its 12 municipalities (Hallsberg,
    # Hällefors, Askersund, Örebro, Lindesberg, Kumla, Degerfors).
    result = spread(partnership=p, year=2017)
    assert (result.reached, result.municipalities) == (7, 12)
    assert sum(len(s.ideas.all()) for s in result.stops) == 15
