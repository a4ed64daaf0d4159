"""Demo data for activities: the partnership's year 2017 as seed 003 tells it (four plenary
meetings, the working committee every third week, six caravan stops, three experience
seminars) and the seminars of 2018 announced in seed 004's newsletter, with registration.

The seeds give dates and places, not times: the times here are invented, as are the
registrants. Seed 003 names the organisations that took part in the caravan tour as a whole;
which of them stood at which stop is invented from where each works."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from soin.activities import services
from soin.activities.models import Activity, Kind, Registration, Series
from soin.partners import services as partner_services
from soin.partners.models import Organisation
from soin.regions.models import Municipality, Partnership


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """Return a Stockholm time on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


D = datetime.date
WORKING_COMMITTEE = [
    "Hällefors folkhögskola",
    "Coompanion",
    "Verdandi Örebro län",
    "Länsstyrelsen Örebro län",
    "Region Örebro län",
]
# Organisations that host or take part but were not partners (created as non-partners).
OUTSIDERS = {
    "Leader Mälardalen": Organisation.Kind.ASSOCIATION,
    "Bredsjö kulturkooperativ": Organisation.Kind.ASSOCIATION,
    "Nora kommun": Organisation.Kind.MUNICIPALITY,
}

# (place, date, municipality code, organisations at the stop) — seed 003 §4.2.
CARAVAN_2017 = [
    (
        "Askersund",
        D(2017, 5, 2),
        "1882",
        ["Coompanion", "Askersunds kommun", "Finsam Sydnärke", "Region Örebro län"],
    ),
    (
        "Fellingsbro",
        D(2017, 5, 9),
        "1885",
        ["Coompanion", "Lindesbergs kommun", "Leader Mälardalen", "Stiftelsen Activa"],
    ),
    (
        "Örebro/Varberga",
        D(2017, 5, 22),
        "1880",
        ["Coompanion", "Verdandi Örebro län", "Örebro läns idrottsförbund", "Region Örebro län"],
    ),
    (
        "Hällefors",
        D(2017, 6, 1),
        "1863",
        ["Coompanion", "Hällefors kommun", "Länsstyrelsen Örebro län", "Verdandi Örebro län"],
    ),
    (
        "Kumla",
        D(2017, 9, 12),
        "1881",
        ["Coompanion", "Kumla kommun", "Finsam Sydnärke", "Stiftelsen Activa"],
    ),
    (
        "Degerfors",
        D(2017, 10, 2),
        "1862",
        ["Coompanion", "Verdandi Örebro län", "Länsstyrelsen Örebro län", "Region Örebro län"],
    ),
]

# (place, date, municipality code) — seed 003 §3.
PLENARY_2017 = [
    ("Hallsberg", D(2017, 2, 7), "1861"),
    ("Hällefors", D(2017, 5, 11), "1863"),
    ("Askersund", D(2017, 9, 28), "1882"),
    ("Örebro", D(2017, 11, 29), "1880"),
]

# (title, place, date, municipality code, hosts, description) — seed 003 §5.
SEMINARS_2017 = [
    (
        "Kulturen, konsten och samtalskraft – svårigheten med kultur som förändringskraft i en "
        "tid då allt ska bära sig själv",
        "Bredsjö",
        D(2017, 5, 30),
        "1863",
        ["Bredsjö kulturkooperativ"],
        "Bredsjö kulturkooperativ håller i seminariet.",
    ),
    (
        "Tillverka fågelholkar som saknar köpare eller finnas i en produktion där de riktiga "
        "jobben finns?",
        "Hallsberg",
        D(2017, 9, 18),
        "1861",
        ["Hallsbergs kommun", "Stiftelsen Activa"],
        "Om vägen till ett nytt socialt företag i Hallsberg och ett kommunalt förhållningssätt "
        "kring dessa frågor.",
    ),
    (
        "Egen försörjning och arbetsmarknad i förändring",
        "Örebro",
        D(2017, 11, 13),
        "1880",
        ["Verdandi Örebro län"],
        "Om det nya sociala företaget som Verdandi har utvecklat.",
    ),
]

# The 2018 seminars announced in newsletter 2018:1 (seed 004), with registration.
SEMINARS_2018: list[dict[str, Any]] = [
    {
        "title_sv": "Idrott, ungdomar och integration",
        "title_en": "Sport, young people and integration",
        "description_sv": (
            "Partnerskapet för sociala innovationer och Örebro läns idrottsförbund/SISU "
            "Idrottsutbildarna diskuterar erfarenheter från ÖSK Handbolls projekt Handboll för "
            "hjärta och gemenskap 2.0 – integration med hjälp av handboll, för barn i 10–12 "
            "årsåldern i Vivalla, Brickebacken, Oxhagen och Baronbackarna."
        ),
        "description_en": (
            "The partnership and the county's sports federation discuss what ÖSK Handboll has "
            "learnt from its project on integration through handball for children aged 10–12."
        ),
        "starts_at": at(D(2018, 3, 8), 9),
        "ends_at": at(D(2018, 3, 8), 12),
        "place": "Idrottens Hus",
        "address": "Karlsgatan 28, Örebro",
        "municipality": "1880",
        "hosts": ["Örebro läns idrottsförbund"],
        "registration_deadline": D(2018, 3, 1),
        "capacity": 40,
        "registrants": 36,
    },
    {
        "title_sv": "Upphandling med social hänsyn",
        "title_en": "Public procurement with social considerations",
        "description_sv": (
            "Det första av två upphandlingsseminarier: regelverk, praktiska tillämpningar samt "
            "problem och utmaningar, anordnat tillsammans med Nora och Lindesbergs kommun."
        ),
        "description_en": (
            "The first of two seminars on procurement with social considerations: the rules, "
            "how they are applied in practice, and the difficulties."
        ),
        "starts_at": at(D(2018, 3, 23), 9),
        "ends_at": at(D(2018, 3, 23), 15),
        "place": "Lindesberg",
        "address": "",
        "municipality": "1885",
        "hosts": ["Lindesbergs kommun", "Nora kommun"],
        "registration_deadline": D(2018, 3, 16),
        "capacity": 30,
        "registrants": 30,
    },
    {
        "title_sv": "Civilsamhälle och social ekonomi i offentliga upphandlingar",
        "title_en": "Civil society and the social economy in public procurement",
        "description_sv": (
            "Det andra upphandlingsseminariet (vecka 21): hur civilsamhälle och social ekonomi "
            "praktiskt kan delta i offentliga upphandlingar, steg för steg, och reserverade "
            "kontrakt."
        ),
        "description_en": (
            "The second procurement seminar (week 21): how civil society and the social "
            "economy can take part in public procurement, step by step."
        ),
        "starts_at": at(D(2018, 5, 23), 9),
        "ends_at": at(D(2018, 5, 23), 12),
        "place": "Örebro",
        "address": "",
        "municipality": "1880",
        "hosts": ["Region Örebro län"],
        "registration_deadline": D(2018, 5, 16),
        "capacity": 50,
        "registrants": 21,
    },
]

FIRST = ["Anna", "Erik", "Maria", "Karl", "Sofia", "Lars", "Elin", "Ali", "Fatima", "Johan"]
LAST = ["Lindqvist", "Persson", "Nyström", "Hassan", "Berg", "Sandberg", "Öberg", "Karimi"]


def _organisations(partnership: Partnership, actor: Any) -> dict[str, Organisation]:
    existing = {o.name: o for o in partnership.organisations.all()}
    for name, kind in OUTSIDERS.items():
        if name not in existing:
            existing[name] = partner_services.organisation_create(
                partnership=partnership, actor=actor, name=name, kind=kind
            )
    return existing


def _registrants(activity: Activity, count: int) -> None:
    """Invented people, registered when registration was open; those of a past event are
    marked as having come, all but every seventh."""
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
        Registration.objects.create(
            activity=activity,
            name=f"{first} {last}",
            email=f"deltagare{activity.pk}-{i + 1}@example.org",
            organisation="",
            state=Registration.State.CONFIRMED,
            consent_at=activity.starts_at - datetime.timedelta(days=20),
            consent_text="(demo)",
            nonce=f"demo{activity.pk:06d}{i:06d}",
            attended=(i % 7 != 6),
        )


def seed(*, partnership: Partnership, actor: Any) -> dict[str, int]:
    """Create the demo activities that are missing."""
    if Activity.objects.filter(partnership=partnership, starts_at__year=2017).exists():
        return {"activities": Activity.objects.filter(partnership=partnership).count()}
    orgs = _organisations(partnership, actor)
    municipalities = {m.code: m for m in Municipality.objects.filter(region=partnership.region)}
    region = orgs["Region Örebro län"]
    for place, day, code in PLENARY_2017:
        services.activity_create(
            partnership=partnership,
            actor=actor,
            kind=Kind.PLENARY,
            title_sv=f"Stormöte i {place}",
            title_en=f"Plenary meeting in {place}",
            description_sv="Övergripande och strategiska diskussioner om verksamheten.",
            description_en="Overall and strategic discussion of the partnership's work.",
            starts_at=at(day, 13),
            ends_at=at(day, 16),
            place=place,
            municipality=municipalities[code],
            is_public=False,
            participants=[o for o in orgs.values() if o.memberships.exists()],
            hosts=[region],
        )
    series = services.series_create(
        partnership=partnership,
        actor=actor,
        kind=Kind.WORKING_COMMITTEE,
        title_sv="Arbetsutskottet",
        title_en="The working committee",
        first_start=at(D(2017, 1, 17), 9),
        duration_minutes=120,
        interval_weeks=3,
        until=D(2017, 12, 15),
        place="Region Örebro län",
        municipality=municipalities["1880"],
        hosts=[region],
        participants=[orgs[name] for name in WORKING_COMMITTEE],
        agenda="1. Planering av nästa stormöte\n2. Husvagnsturnén\n3. Idéer och rådgivning",
    )
    first = series.occurrences.order_by("starts_at").first()
    assert first is not None
    services.meeting_item_add(
        activity=first,
        actor=actor,
        kind="decision",
        text="Husvagnsturnén genomförs under våren och hösten.",
    )
    services.meeting_item_add(
        activity=first,
        actor=actor,
        kind="action",
        text="Boka husvagnen och platser för vårens stopp.",
        responsible=orgs["Coompanion"],
        due_on=D(2017, 3, 1),
    )
    for place, day, code, names in CARAVAN_2017:
        services.activity_create(
            partnership=partnership,
            actor=actor,
            kind=Kind.OUTREACH_STOP,
            title_sv=f"Husvagnsturnén i {place}",
            title_en=f"The caravan tour in {place}",
            description_sv=(
                "Husvagnen står på plats för att fånga upp idéer. Kom förbi på kaffe och "
                "berätta om din idé!"
            ),
            description_en="The caravan is here to hear your ideas. Come by for a coffee!",
            starts_at=at(day, 10),
            ends_at=at(day, 15),
            place=place,
            municipality=municipalities[code],
            hosts=[orgs["Coompanion"]],
            participants=[orgs[n] for n in names if n != "Coompanion"],
        )
    for title, place, day, code, hosts, description in SEMINARS_2017:
        services.activity_create(
            partnership=partnership,
            actor=actor,
            kind=Kind.EXPERIENCE_SEMINAR,
            title_sv=title,
            description_sv=description,
            starts_at=at(day, 13),
            ends_at=at(day, 16),
            place=place,
            municipality=municipalities[code],
            hosts=[orgs[h] for h in hosts],
        )
    for seminar in SEMINARS_2018:
        data = dict(seminar)
        registrants = data.pop("registrants")
        seminar_hosts = [orgs[h] for h in data.pop("hosts")]
        data["municipality"] = municipalities[data["municipality"]]
        activity = services.activity_create(
            partnership=partnership,
            actor=actor,
            kind=Kind.EXPERIENCE_SEMINAR,
            hosts=seminar_hosts,
            registration_open=True,
            **data,
        )
        _registrants(activity, registrants)
    return {
        "activities": Activity.objects.filter(partnership=partnership).count(),
        "series": Series.objects.filter(partnership=partnership).count(),
    }
