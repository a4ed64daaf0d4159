"""The standard agreements of seed 001, annex 1–7, as data: one template per kind of partner.

``{coordinator}``, ``{partner}`` and ``{partnership}`` are filled in when an agreement is drafted.
"""

from __future__ import annotations

from typing import Any

from soin.partners.models import Organisation

K = Organisation.Kind

COORDINATOR_SV = [
    "ha ett koordinerande och samordnande ansvar för partnerskapet",
    "ansvara för partnerskapsövergripande rådgivning och utvecklingsverksamhet",
    "med hjälp av dialogorienterade metoder identifiera idéer som kan utvecklas till sociala "
    "innovationer",
    "bevaka utlysningar och medverka till att koordinera projektansökningar",
    "informera om och kommunicera partnerskapets verksamhet",
    "vara den sammanhållande länken mellan partnerskapet och universitetets FoU-råd",
]
COORDINATOR_EN = [
    "take coordinating responsibility for the partnership",
    "be responsible for advice and development work across the partnership",
    "use dialogue-based methods to identify ideas that can be developed into social innovations",
    "watch calls for funding and help coordinate project applications",
    "inform about and communicate the partnership's work",
    "be the link between the partnership and the university's research and development council",
]
PREAMBLE_SV = "Härmed sluts avtal mellan {coordinator} och {partner} om deltagande i {partnership}."
PREAMBLE_EN = (
    "This agreement is made between {coordinator} and {partner} on participation in {partnership}."
)

STANDARD_AGREEMENTS: list[dict[str, Any]] = [
    {
        "key": "annex-1-coordinator",
        "name_sv": "Avtal för partnerskapets koordinator (bilaga 1)",
        "name_en": "Agreement with the partnership's coordinator (annex 1)",
        "kinds": [K.REGION],
        "preamble_sv": "Härmed sluts avtal mellan {partner} och {coordinator} om deltagande i "
        "{partnership}.",
        "preamble_en": "This agreement is made between {partner} and {coordinator} on "
        "participation in {partnership}.",
        "coordinator_sv": ["ha ett koordinerande ansvar för partnerskapet", *COORDINATOR_SV[1:]],
        "coordinator_en": [
            "take coordinating responsibility for the partnership",
            *COORDINATOR_EN[1:],
        ],
        "partner_sv": [
            "säkerställa att partnerskapets frågor förankras politiskt i regionen",
            "företräda sociala innovationer i regionens innovationsstödjande system",
        ],
        "partner_en": [
            "make sure that the partnership's questions are anchored politically in the region",
            "represent social innovation in the region's system of innovation support",
        ],
    },
    {
        "key": "annex-2-municipality",
        "name_sv": "Standardavtal för kommuner (bilaga 2)",
        "name_en": "Standard agreement for municipalities (annex 2)",
        "kinds": [K.MUNICIPALITY],
        "partner_sv": [
            "utse en ansvarig tjänsteman som kontaktperson",
            "utse en ansvarig politisk församling i kommunen för partnerskapets frågor",
            "förmedla information om partnerskapets aktiviteter i sin egen organisation och "
            "gentemot sina kommunmedborgare, samt om och hur medborgare, anställda och politiker "
            "kan utveckla och få stöd för sina idéer",
            "till partnerskapet kanalisera idéer från sin egen organisation och från "
            "kommunmedborgare som kan utvecklas till sociala innovationer",
        ],
        "partner_en": [
            "appoint an official as contact person",
            "appoint a political body in the municipality responsible for the partnership's "
            "questions",
            "pass on information about the partnership's activities within its own organisation "
            "and to its residents, and about whether and how residents, employees and politicians "
            "can develop their ideas and get support for them",
            "channel to the partnership ideas from its own organisation and from its residents "
            "that can be developed into social innovations",
        ],
    },
    {
        "key": "annex-3-association",
        "name_sv": "Standardavtal för länsföreningar och motsvarande (bilaga 3)",
        "name_en": "Standard agreement for county associations and the like (annex 3)",
        "kinds": [
            K.STUDY_ASSOCIATION,
            K.FOUNDATION,
            K.ASSOCIATION,
            K.SPORTS_FEDERATION,
            K.FOLK_HIGH_SCHOOL,
        ],
        "partner_sv": [
            "utse en kontaktperson",
            "informera om partnerskapets aktiviteter i sin egen organisation, samt om och hur "
            "föreningsmedlemmarna kan utveckla och få stöd för sina idéer",
            "till partnerskapet kanalisera idéer från sin egen organisation som kan utvecklas "
            "till sociala innovationer",
        ],
        "partner_en": [
            "appoint a contact person",
            "inform about the partnership's activities within its own organisation, and about "
            "whether and how its members can develop their ideas and get support for them",
            "channel to the partnership ideas from its own organisation that can be developed "
            "into social innovations",
        ],
    },
    {
        "key": "annex-4-cooperative-development",
        "name_sv": "Avtal för kooperativt utvecklingscentrum (bilaga 4)",
        "name_en": "Agreement for the cooperative development centre (annex 4)",
        "kinds": [K.COOPERATIVE_DEVELOPMENT],
        "partner_sv": [
            "utse en kontaktperson",
            "informera om partnerskapets aktiviteter samt om och hur kooperatörer och blivande "
            "kooperatörer kan få stöd för sina idéer",
            "ha ansvar för partnerskapsövergripande rådgivning och utvecklingsverksamhet",
            "informera och dokumentera i sin rådgivningsverksamhet",
            "bidra till utveckling av sociala innovationer i länet genom erfarenheter och "
            "kunskap om kooperativ utveckling",
        ],
        "partner_en": [
            "appoint a contact person",
            "inform about the partnership's activities and about whether and how co-operators and "
            "future co-operators can get support for their ideas",
            "be responsible for advice and development work across the partnership",
            "inform and document in its advisory work",
            "contribute to the development of social innovations in the county through "
            "experience and knowledge of cooperative development",
        ],
    },
    {
        "key": "annex-5-university",
        "name_sv": "Avtal med universitet (bilaga 5)",
        "name_en": "Agreement with the university (annex 5)",
        "kinds": [K.UNIVERSITY],
        "partner_sv": [
            "utse en kontaktperson",
            "genom utbildnings- och forskningsinsatser främja utveckling av sociala innovationer "
            "i länet",
            "medverka i och aktivt formulera FoU-ansökningar på temat sociala innovationer",
            "informera om partnerskapet gentemot studenter och anställda",
            "till partnerskapet kanalisera idéer från alla delar av sin organisation som kan "
            "utvecklas till sociala innovationer",
            "aktivt föra in frågor om sociala innovationer i universitetets övriga "
            "innovationssystem",
        ],
        "partner_en": [
            "appoint a contact person",
            "promote the development of social innovations in the county through education and "
            "research",
            "take part in and actively write research and development applications on social "
            "innovation",
            "inform students and employees about the partnership",
            "channel to the partnership ideas from every part of its organisation that can be "
            "developed into social innovations",
            "actively bring questions of social innovation into the university's other "
            "innovation support",
        ],
    },
    {
        "key": "annex-6-business",
        "name_sv": "Standardavtal för näringslivsföreträdare (bilaga 6)",
        "name_en": "Standard agreement for business representatives (annex 6)",
        "kinds": [K.BUSINESS],
        "partner_sv": [
            "utse en kontaktperson",
            "informera om partnerskapets aktiviteter i sina nätverk, samt om och hur dessa "
            "aktörer kan utveckla och få stöd för sina idéer",
            "till partnerskapet kanalisera idéer från sina nätverk som kan utvecklas till "
            "sociala innovationer",
        ],
        "partner_en": [
            "appoint a contact person",
            "inform its networks about the partnership's activities, and about whether and how "
            "their members can develop their ideas and get support for them",
            "channel to the partnership ideas from its networks that can be developed into "
            "social innovations",
        ],
    },
    {
        "key": "annex-7-public-agency",
        "name_sv": "Avtal med länsstyrelse och andra myndigheter (bilaga 7)",
        "name_en": "Agreement with the county administrative board and other agencies (annex 7)",
        "kinds": [K.COUNTY_BOARD, K.EMPLOYMENT_SERVICE, K.COORDINATION_ASSOCIATION],
        "partner_sv": [
            "aktivt medverka i partnerskapets verksamhet",
            "utse en kontaktperson",
            "informera om partnerskapets aktiviteter bland sina anställda och avnämare, samt om "
            "och hur dessa aktörer kan utveckla och få stöd för sina idéer",
            "till partnerskapet kanalisera idéer från sin egen organisation som kan utvecklas "
            "till sociala innovationer",
        ],
        "partner_en": [
            "take an active part in the partnership's work",
            "appoint a contact person",
            "inform its employees and those it serves about the partnership's activities, and "
            "about whether and how they can develop their ideas and get support for them",
            "channel to the partnership ideas from its own organisation that can be developed "
            "into social innovations",
        ],
    },
]
