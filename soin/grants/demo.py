"""Demo data for small development grants: applications of 2017 from the kinds of
associations that apply for small development sums in Örebro county (seed 000's "små och
smidiga ekonomiska stöd", seed 001 annex 10). The associations' names, the people and every
amount are invented; the municipalities are real."""

from __future__ import annotations

import datetime
from typing import Any

from soin.accounts.models import User
from soin.grants import services
from soin.grants.models import Grant
from soin.regions.models import Municipality, Partnership

D = datetime.date

# (association, org number, municipality, contact, language, title, purpose, budget,
#  applied, co-financing, received, outcome). The outcome: ("pending",), ("reject", reason),
#  or ("approve", granted, conditions, [payments], follow-up or None, close?).
APPLICATIONS: list[tuple[Any, ...]] = [
    (
        "Byalaget i Bredsjö",
        "802412-3435",
        "Hällefors",
        "Karin Exempelsson",
        "sv",
        "Vandringsled runt Bredsjön",
        "Röja och märka en sju kilometer lång led med rastplatser, så att besökare och boende "
        "hittar ut i skogen och till byns kafé.",
        [
            ("Virke till spänger och bänkar", 9000),
            ("Skyltar och färg", 6000),
            ("Fika vid arbetsdagarna", 3000),
        ],
        18000,
        6000,
        D(2017, 3, 14),
        (
            "approve",
            15000,
            "Leden ska vara öppen för alla och skyltas på svenska och engelska.",
            [(D(2017, 4, 20), 7500), (D(2017, 9, 15), 7500)],
            (
                "Leden röjdes och märktes under fyra arbetsdagar med 22 deltagare. Två "
                "rastplatser byggdes.",
                "Leden invigdes i augusti; kaféet har fått fler besökare och byalaget "
                "sköter leden vidare.",
                19500,
            ),
            True,
        ),
    ),
    (
        "Byalaget i Ramsberg",
        "802437-7064",
        "Lindesberg",
        "Nils Påhittad",
        "sv",
        "Mötesplats i gamla skolan",
        "Göra i ordning ett rum i den gamla skolan till öppen mötesplats för byns äldre och "
        "nyanlända två kvällar i veckan.",
        [("Möbler och kök", 16000), ("Hyra första året", 9000), ("Material", 3000)],
        25000,
        8000,
        D(2017, 4, 3),
        ("approve", 20000, "", [(D(2017, 5, 15), 10000)], None, False),
    ),
    (
        "Föreningen Unga i Laxå",
        "802455-6576",
        "Laxå",
        "Sara Uppdiktad",
        "sv",
        "Sommarcafé drivet av unga",
        "Ungdomar driver ett café vid sjön under sommarlovet och lär sig starta och sköta "
        "en verksamhet.",
        [("Kaffebryggare och frys", 7000), ("Varor till start", 3000), ("Marknadsföring", 2000)],
        12000,
        3000,
        D(2017, 4, 25),
        (
            "approve",
            12000,
            "Redovisa hur många ungdomar som deltog.",
            [(D(2017, 6, 1), 12000)],
            (
                "Caféet var öppet sex veckor; nio ungdomar delade på passen.",
                "Överskottet går till nästa sommar, och två av ungdomarna vill starta "
                "ett eget företag.",
                12400,
            ),
            False,
        ),
    ),
    (
        "Byalaget i Finnerödja",
        "802501-2330",
        "Laxå",
        "Olle Låtsasson",
        "sv",
        "Ny gräsklippare till idrottsplatsen",
        "Köpa en åkgräsklippare till byns idrottsplats.",
        [("Gräsklippare", 22000)],
        22000,
        0,
        D(2017, 5, 8),
        (
            "reject",
            "Stödet gäller utvecklingsinitiativ med nya arbetssätt, inte inköp till löpande "
            "drift. Hör gärna av er om ett projekt kring idrottsplatsen som mötesplats.",
        ),
    ),
    (
        "Odlingsföreningen Gröna gårdar",
        "802478-4780",
        "Kumla",
        "Maria Fiktiv",
        "en",
        "Shared allotments for newcomers",
        "Open twelve allotment plots for families who have recently come to Kumla, with an "
        "experienced gardener as a mentor for each.",
        [("Soil, seeds and tools", 5000), ("Fencing", 3500)],
        8500,
        2000,
        D(2017, 9, 18),
        ("pending",),
    ),
    (
        "Byalaget i Kopparberg",
        "802519-7180",
        "Ljusnarsberg",
        "Erik Exempel",
        "sv",
        "Reparationskafé i biblioteket",
        "En lördag i månaden lagar frivilliga kläder, cyklar och små apparater tillsammans "
        "med besökarna.",
        [("Verktyg", 4000), ("Reservdelar", 2000)],
        6000,
        1500,
        D(2017, 10, 2),
        ("approve", 6000, "", [], None, False),
    ),
]


def seed(*, partnership: Partnership, actor: User) -> dict[str, Any]:
    """Create the demo applications once; seeding again changes nothing."""
    if Grant.objects.filter(partnership=partnership, title=APPLICATIONS[0][5]).exists():
        return {"grants": Grant.objects.filter(partnership=partnership).count()}
    region_municipalities = {
        m.name: m for m in Municipality.objects.filter(region=partnership.region)
    }
    for (
        association,
        org_number,
        municipality,
        contact,
        language,
        title,
        purpose,
        budget,
        applied,
        co_financing,
        received_on,
        outcome,
    ) in APPLICATIONS:
        if municipality not in region_municipalities:
            continue  # Another region's partnership: these applications are Örebro county's.
        grant = services.grant_register(
            partnership=partnership,
            actor=actor,
            channel=Grant.Channel.POST,
            received_on=received_on,
            language=language,
            budget_lines=budget,
            association_name=association,
            org_number=org_number,
            municipality=region_municipalities[municipality],
            contact_name=contact,
            contact_email="",
            contact_phone="",
            title=title,
            purpose=purpose,
            amount_applied=applied,
            co_financing=co_financing,
        )
        decided_on = received_on + datetime.timedelta(days=21)
        if outcome[0] == "reject":
            services.grant_reject(
                grant=grant, actor=actor, reason=outcome[1], decided_on=decided_on
            )
        elif outcome[0] == "approve":
            _kind, granted, conditions, payments, followup, close = outcome
            grant = services.grant_approve(
                grant=grant,
                actor=actor,
                amount_granted=granted,
                conditions=conditions,
                decided_on=decided_on,
            )
            for paid_on, amount in payments:
                services.payment_add(grant=grant, actor=actor, paid_on=paid_on, amount=amount)
            if followup:
                done, result, costs = followup
                services.followup_submit(
                    grant=grant, actor=actor, done=done, outcome=result, costs=costs
                )
            if close:
                services.grant_close(grant=grant, actor=actor)
    return {"grants": Grant.objects.filter(partnership=partnership).count()}
