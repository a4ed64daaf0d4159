"""Demo data for reports: the 2017 activity report (seed 003) with its narrative in Swedish and
English, published, and the key figures of the social economy that the consultation answers of
February 2014 give for Örebro county."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soin.regions.models import Municipality, Partnership
from soin.reports import services
from soin.reports.models import KeyFigure, Measure, YearlyReport

NARRATIVE_2017 = {
    "background": {
        "sv": (
            "Efter att Sverige blivit medlem i Europeiska unionen under 1990-talet påbörjades ett "
            "arbete i Örebro län för att starta ett samarbete kring frågor om social ekonomi. "
            "Resultatet blev föreningen L&SEK (Lokal utveckling och social ekonomi).\n\n"
            "Efter hand väcktes behovet av att vidareutveckla verksamheten och idén om ett "
            "partnerskap för sociala innovationer växte fram. Under 2012 startade ett omfattande "
            "utredningsarbete, som ledde till att L&SEK avslutade sin verksamhet och att "
            "Partnerskapet för sociala innovationer startade."
        ),
        "en": (
            "After Sweden joined the European Union in the 1990s, work began in Örebro County to "
            "cooperate on the social economy. The result was the association L&SEK (Local "
            "development and social economy).\n\n"
            "In time the need to develop the work further grew, and with it the idea of a "
            "partnership for social innovation. A thorough inquiry began in 2012; it led L&SEK to "
            "close and the Partnership for Social Innovation to start."
        ),
    },
    "meetings": {
        "sv": (
            "Stormötena har ägt rum på olika platser i länet. På dem har övergripande och "
            "strategiska diskussioner om verksamheten förts, och träffarna har också haft "
            "nätverksskapande ambitioner. Arbetsutskottet driver den löpande verksamheten och har "
            "träffats var tredje vecka för att planera stormötena och hantera frågor mellan dem."
        ),
        "en": (
            "The plenary meetings were held in different places in the county, for overall and "
            "strategic discussions and for networking. The working committee runs the day-to-day "
            "work and met every third week to plan the plenary meetings and deal with what comes "
            "up between them."
        ),
    },
    "advice": {
        "sv": (
            "En viktig del av verksamheten är rådgivning. Den primära rådgivningsgruppen fungerar "
            "som ett första filter: den möter idébäraren, identifierar idén och stöttar det "
            "löpande utvecklingsarbetet. När en idé är grovt tillyxad, spänner över flera "
            "områden eller är svår att rama in träder den större rådgivningsgruppen in."
        ),
        "en": (
            "Advice is an important part of the work. The primary advisory group is a first "
            "filter: it meets the carrier, identifies the idea and supports its development. When "
            "an idea is still rough, spans several fields or is hard to frame, the extended "
            "advisory group steps in."
        ),
    },
    "outreach": {
        "sv": (
            "Ambitionen att verka i hela länet ledde till husvagnsturnén. Husvagnen ägs av "
            "Coompanion men har använts av partnerskapet för att fånga upp idéer."
        ),
        "en": (
            "The aim of working across the whole county led to the caravan tour. The caravan "
            "belongs to Coompanion and the partnership has used it to collect ideas."
        ),
    },
    "ideas": {
        "sv": (
            "Vi har mött medborgare från hela länet med både stora och små idéer om hur "
            "samhällsutmaningar kan hanteras. Gemensamt för idéerna i tabellen är att de "
            "befinner sig i uppstartsfas; de flesta behöver vidareutvecklas genom rådgivning."
        ),
        "en": (
            "We met citizens from the whole county with large and small ideas about how societal "
            "challenges can be met. The ideas in the table are all at an early stage; most need "
            "further advice to develop."
        ),
    },
    "seminars": {
        "sv": (
            "Erfarenhetsseminarierna skapar förutsättningar för diskussioner och "
            "erfarenhetsutbyte för den som intresserar sig för samhällsutmaningar och för hur nya "
            "idéer kan utvecklas och förverkligas. Även seminarierna har spridits i länet."
        ),
        "en": (
            "The experience seminars make room for discussion and exchange for anyone interested "
            "in societal challenges and in how new ideas can be developed and realised. They too "
            "were spread over the county."
        ),
    },
    "projects": {
        "sv": (
            "Flera parter har använt nätverket för att informera varandra om pågående projekt. "
            "Coompanion har delvis genomfört det regionalfondsfinansierade projektet FRAMSTEG "
            "genom partnerskapet, och Region Örebro län har på samma sätt genomfört "
            "Interreg-projektet RaiSE, där flera av partnerskapets representanter deltagit i "
            "projektmöten i andra länder."
        ),
        "en": (
            "Several partners have used the network to tell each other about ongoing projects. "
            "Coompanion carried out part of FRAMSTEG, a project financed by the European Regional "
            "Development Fund, through the partnership, and Region Örebro County did the same with "
            "the Interreg project RaiSE, in which several of the partnership's representatives "
            "took part in project meetings abroad."
        ),
    },
    "communication": {
        "sv": (
            "Partnerskapets hemsida uppdateras löpande med information om parterna, "
            "kontaktpersoner och aktuella händelser, och har en kortare information på engelska. "
            "Partnerskapet finns också på Facebook. Svenska och engelska broschyrer har tagits "
            "fram för konferenser, liksom namnbrickor med partnerskapets namn."
        ),
        "en": (
            "The partnership's website is kept up to date with its partners, contacts and news, "
            "with a shorter text in English. The partnership is also on Facebook. Brochures in "
            "Swedish and English were made for conferences, and name badges with the "
            "partnership's name."
        ),
    },
}

SOURCE = "Stiftelsen Cesam och Coompanion Örebro, remissvar 2014-02-10"
# (year, municipality code or None, measure, value, source)
KEY_FIGURES: list[tuple[int, str | None, str, Decimal, str]] = [
    (2013, None, Measure.PAID_EMPLOYEES, Decimal(15000), SOURCE),
    (2013, None, Measure.VOLUNTEER_HOURS, Decimal(7376619), SOURCE),
    (2013, "1883", Measure.SOCIAL_ENTERPRISES, Decimal(2), "Karlskoga kommun, remissvar 2014"),
]
# The source states its hours as full-time equivalents at this rate (7 376 619 h = 10 485).
SOURCE_FTE_HOURS = Decimal("703.5")


def seed(*, partnership: Partnership, actor: Any) -> dict[str, int]:
    """Create the 2017 report (published) and the key figures when they are missing."""
    from soin.regions.services import partnership_update

    report = YearlyReport.objects.filter(partnership=partnership, year=2017).first()
    if report is None:
        report = services.report_create(partnership=partnership, actor=actor, year=2017)
        report = services.report_update(report=report, actor=actor, narrative=NARRATIVE_2017)
        services.report_move(report=report, actor=actor, move="publish")
    if not KeyFigure.objects.filter(partnership=partnership).exists():
        partnership_update(partnership=partnership, actor=actor, fte_hours=SOURCE_FTE_HOURS)
        for year, code, measure, value, source in KEY_FIGURES:
            services.key_figure_create(
                partnership=partnership,
                actor=actor,
                year=year,
                municipality=Municipality.objects.get(code=code) if code else None,
                measure=measure,
                value=value,
                source=source,
            )
    return {
        "reports": YearlyReport.objects.filter(partnership=partnership).count(),
        "key_figures": KeyFigure.objects.filter(partnership=partnership).count(),
    }
