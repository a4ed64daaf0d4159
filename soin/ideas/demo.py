"""Demo data for ideas: the fifteen ideas of seed 003's ideas table (2017), with their carriers'
categories, challenges and handling, spread over the caravan tour's stops (and linked to the
stops' activities, which the activities' demo creates first). The seeds give no carriers'
names or contact details, so the demo has none."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from soin.activities.models import Activity, Kind
from soin.ideas import services
from soin.ideas.models import Challenge, Idea
from soin.regions.models import Municipality, Partnership

D = datetime.date
C = Idea.CarrierCategory

# The caravan tour's stops (seed 003 §4.2): date and municipality code.
STOPS = {
    "Askersund": (D(2017, 5, 2), "1882"),
    "Fellingsbro": (D(2017, 5, 9), "1885"),
    "Örebro/Varberga": (D(2017, 5, 22), "1880"),
    "Hällefors": (D(2017, 6, 1), "1863"),
    "Kumla": (D(2017, 9, 12), "1881"),
    "Degerfors": (D(2017, 10, 2), "1862"),
}

HEALTH, FOOD, CLIMATE, INCLUSIVE = "health", "food-bioeconomy", "climate", "inclusive-societies"

# (title, description, carrier, challenges, stop, handling), handling as in the table's last
# column: ("refer", partner, outcome note) | ("extended",) | ("carrier",) | ("application",)
IDEAS_2017: list[tuple[str, str, str, list[str], str, tuple[str, ...]]] = [
    (
        "Hjälpmedel inom hälso- och sjukvård",
        "Ett hjälpmedel som gör vardagen lättare för patienter och personal i vården.",
        C.PRIVATE,
        [HEALTH],
        "Askersund",
        ("refer", "Region Örebro län", "Innovationsslussen (hälso- och sjukvård)"),
    ),
    (
        "Behandlingsmetoder för strokepatienter",
        "Nya sätt att träna och stödja personer som har haft en stroke.",
        C.PRIVATE,
        [HEALTH],
        "Örebro/Varberga",
        ("refer", "Region Örebro län", "Innovationsslussen (hälso- och sjukvård)"),
    ),
    (
        "Socialt företag för kvinnor",
        "Ett socialt företag där kvinnor som står långt från arbetsmarknaden får arbete.",
        C.PRIVATE,
        [INCLUSIVE],
        "Örebro/Varberga",
        ("refer", "Coompanion", ""),
    ),
    (
        "Omställning av lokalsamhälle",
        "Byn ställer om till lokal mat, delad energi och mindre resor.",
        C.PRIVATE,
        [CLIMATE, FOOD],
        "Hällefors",
        ("extended",),
    ),
    (
        "Kulturfestival",
        "En festival som samlar byns föreningar och nya invånare kring kultur.",
        C.PRIVATE,
        [INCLUSIVE],
        "Askersund",
        ("refer", "Verdandi Örebro län", ""),
    ),
    (
        "Restaurang/café för och av personer med varierande funktionstillstånd",
        "Ett café som drivs av och för personer med olika funktionsförutsättningar.",
        C.PRIVATE,
        [INCLUSIVE],
        "Kumla",
        ("refer", "Stiftelsen Activa", ""),
    ),
    (
        "Hjälp med myndighetskontakter",
        "Stöd till den som behöver hjälp att förstå brev och kontakter med myndigheter.",
        C.PRIVATE,
        [INCLUSIVE],
        "Örebro/Varberga",
        ("refer", "Verdandi Örebro län", ""),
    ),
    (
        "Socialt företag för yrkeskörtkort",
        "Ett socialt företag som hjälper arbetslösa att ta yrkeskörkort.",
        C.PRIVATE,
        [INCLUSIVE],
        "Degerfors",
        ("carrier",),
    ),
    (
        "Nyanlända och föreningar",
        "Föreningarna bjuder in nyanlända till sina aktiviteter och styrelser.",
        C.PRIVATE,
        [INCLUSIVE],
        "Fellingsbro",
        ("carrier",),
    ),
    (
        "Basar",
        "En återkommande basar där överskottet går till ortens föreningar.",
        C.PRIVATE,
        [INCLUSIVE],
        "Kumla",
        ("refer", "Coompanion", ""),
    ),
    (
        "Vita jobb",
        "Föreningen skapar vita jobb i stället för svarta, med schysta villkor.",
        C.ASSOCIATION,
        [INCLUSIVE],
        "Hällefors",
        ("carrier",),
    ),
    (
        "Integrationsguide 1",
        "Guider som visar nyanlända runt i samhället och föreningslivet.",
        C.PRIVATE,
        [INCLUSIVE],
        "Fellingsbro",
        ("refer", "Studieförbundet Vuxenskolan", ""),
    ),
    (
        "Integrationsguide 2",
        "En integrationsguide för ungdomar, med läxhjälp och idrott.",
        C.PRIVATE,
        [INCLUSIVE],
        "Degerfors",
        ("refer", "Studieförbundet Vuxenskolan", ""),
    ),
    (
        "Sammanhållen turismsatsning",
        "Föreningar, företag och boende marknadsför bygden tillsammans för besökare.",
        C.SEVERAL,
        [INCLUSIVE],
        "Askersund",
        ("carrier",),
    ),
    (
        "Maker Space",
        "En verkstad där alla kan laga, bygga och återbruka tillsammans.",
        C.ASSOCIATION,
        [CLIMATE],
        "Kumla",
        ("application",),
    ),
]


def seed(*, partnership: Partnership, actor: Any) -> dict[str, int]:
    """Create the demo ideas that are missing, worked through the advisory process by
    ``actor`` as seed 003 says they were handled."""
    existing = set(Idea.objects.filter(partnership=partnership).values_list("title", flat=True))
    municipalities = {m.code: m for m in Municipality.objects.filter(region=partnership.region)}
    challenges = {c.key: c for c in Challenge.objects.filter(partnership__isnull=True)}
    organisations = {o.name: o for o in partnership.organisations.all()}
    stops = {
        timezone.localdate(a.starts_at): a
        for a in Activity.objects.filter(partnership=partnership, kind=Kind.OUTREACH_STOP)
    }
    created = 0
    for title, description, carrier, keys, stop, handling in IDEAS_2017:
        if title in existing:
            continue
        day, code = STOPS[stop]
        idea = services.idea_register(
            partnership=partnership,
            actor=actor,
            channel=Idea.Channel.OUTREACH,
            received_on=day,
            title=title,
            description=description,
            carrier_category=carrier,
            municipality=municipalities[code],
            language="sv",
            activity=stops.get(day),
        )
        services.idea_move(
            idea=idea, actor=actor, move="take", note=f"Husvagnen i {stop}", notify=False
        )
        services.idea_document(idea=idea, actor=actor, challenges=[challenges[k] for k in keys])
        kind = handling[0]
        if kind == "refer":
            idea = services.idea_move(
                idea=idea,
                actor=actor,
                move="refer",
                referred_to=organisations[handling[1]],
                notify=False,
            )
            if handling[2]:
                services.idea_record_outcome(
                    idea=idea, actor=actor, outcome=Idea.Outcome.OUTSIDE_BODY, note=handling[2]
                )
        elif kind == "extended":
            services.idea_escalate(idea=idea, actor=actor, note="Idén spänner över flera områden.")
        elif kind == "carrier":
            services.idea_move(idea=idea, actor=actor, move="refined", notify=False)
        elif kind == "application":
            services.idea_move(idea=idea, actor=actor, move="develop", notify=False)
            services.idea_record_outcome(
                idea=idea, actor=actor, outcome=Idea.Outcome.FUNDING_APPLICATION
            )
        created += 1
    return {"ideas_created": created, "ideas": Idea.objects.filter(partnership=partnership).count()}
