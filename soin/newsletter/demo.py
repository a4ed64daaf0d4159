"""Demo data for the newsletter: invented subscribers giving the 364 active at the end of 2017
(seed 003 §7.1), the four issues of 2017 as sent, and issue 2018:1 reconstructed from seed 004.

The seeds give the number of subscribers and issues, and 2018:1's text; the subscribers, their
dates, the 2017 issues' contents and every contact person are invented (seed 004's contact
people are real people, so their names and numbers are not copied)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from soin.activities.models import Activity
from soin.newsletter.models import Delivery, Dispatch, Issue, Section, Subscriber
from soin.regions.models import Partnership

ACTIVE_END_2017 = 364
LEFT_IN_2017 = 14


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


D = datetime.date
ISSUES_2017 = [
    (
        D(2017, 2, 20),
        "Nyhetsbrev 2017:1",
        "Partnerskapet samlades till årets första stormöte i Hallsberg den 7 februari. I det här "
        "numret berättar vi om vårens planer: husvagnsturnén och de första "
        "erfarenhetsseminarierna.",
    ),
    (
        D(2017, 5, 15),
        "Nyhetsbrev 2017:2",
        "Husvagnsturnén har startat! Vi har redan stått i Askersund och Fellingsbro och mött "
        "många idébärare. Läs också om stormötet i Hällefors den 11 maj.",
    ),
    (
        D(2017, 9, 20),
        "Nyhetsbrev 2017:3",
        "Hösten är här med stormöte i Askersund den 28 september, husvagnen i Kumla och Degerfors "
        "och ett erfarenhetsseminarium i Hallsberg om vägen till ett nytt socialt företag.",
    ),
    (
        D(2017, 12, 5),
        "Nyhetsbrev 2017:4",
        "Året går mot sitt slut. Partnerskapet har nu 30 parter och har varit verksamt i stora "
        "delar av länet. Tack för i år!",
    ),
]

# Issue 2018:1 (seed 004), section by section; contact people invented.
ISSUE_2018_1_INTRO = (
    "Intresset för sociala innovationer är stort. Anledningen är väldigt enkel: det finns ett "
    "växande behov av att hantera samhällsutmaningar på nya sätt. Nyligen presenterade "
    "regeringen sin nya strategi för sociala företag.\n\n"
    "De idébärare vi möter är oftast ”vanliga medborgare” som för fram sina idéer som just "
    "medborgare. I det här nyhetsbrevet kan du läsa om några av länets sociala företag, bland "
    "annat EVA-kooperativet, men också om länets nystartade sociala företag och om den nya "
    "regionala handlingsplanen för civilsamhälle och social ekonomi."
)
ISSUE_2018_1_SECTIONS = [
    (
        "Nya parter",
        "Partnerskapet har begåvats med ytterligare en aktör: SOFINT – Samordningsförbundet i "
        "Norra Örebro län. Tre av länets samordningsförbund är nu aktiva i Partnerskapet. SOFINT "
        "representeras av Karin Dahlström (kontaktperson i demon), karin.dahlstrom@example.org.",
    ),
    (
        "Nystartade sociala företag",
        "Under de senaste månaderna har tre nya sociala företag startat i Örebro län: Mohass, "
        "Ekonomiska föreningen Tvätten i Karlskoga och Ekonomiska föreningen Integrera i "
        "Karlskoga ”FIK”. De är till stor del ett resultat av förra årets utbildning kring socialt "
        "företagande på Karlskoga folkhögskola.",
    ),
    (
        "Handlingsplan för civilsamhälle och social ekonomi",
        "Region Örebro län har fastställt en fyraårig handlingsplan för civilsamhälle och social "
        "ekonomi. Dess grundläggande mål är ett ökat deltagande och inflytande av civilsamhälle "
        "och social ekonomi i det regionala utvecklings- och tillväxtarbetet. Vill du veta mer, "
        "hör av dig till Per Lindahl (kontaktperson i demon), per.lindahl@example.org.",
    ),
    (
        "Interreg-projektet RaiSE",
        "Region Örebro län medverkar i Interregprojektet RaiSE som ska stärka konkurrenskraften "
        "hos länets sociala företag. Den 4–5 april står Örebro värd för ett projektmöte med "
        "deltagare från sju länder.",
    ),
    (
        "REVES – European Network of Cities and Regions for the Social Economy",
        "Region Örebro län är sedan 20 år medlem i REVES, som i dag har medlemmar i 18 EU-länder. "
        "Från länet är också Stiftelsen Activa medlem.",
    ),
    (
        "Engagerade rådgivare och erfarenhetsutbyte",
        "Att bedriva ett arbetsintegrerande socialt företag är ingen dans på rosor. När vi "
        "besökte EVA-kooperativets nya secondhand-butik målade verksamhetsledaren ändå upp en "
        "positiv bild av framtiden.",
    ),
]


def _subscribers(partnership: Partnership) -> list[Subscriber]:
    """364 active at the end of 2017 and 14 who left during the year, signed up from 2014 on."""
    rng = random.Random(2017)
    people = []
    leaving = set(range(0, 20 * LEFT_IN_2017, 20))  # fourteen of those who came before 2017
    for i in range(ACTIVE_END_2017 + LEFT_IN_2017):
        # Most signed up before 2017; the rest during 2017.
        if i < 290:
            day = D(2014, 3, 1) + datetime.timedelta(days=rng.randrange(0, 1000))
        else:
            day = D(2017, 1, 10) + datetime.timedelta(days=rng.randrange(0, 320))
        left = (
            at(D(2017, 1, 15) + datetime.timedelta(days=rng.randrange(0, 330)))
            if i in leaving
            else None
        )
        people.append((i, at(day), left))
    objs = []
    for i, confirmed, left in people:
        objs.append(
            Subscriber(
                partnership=partnership,
                email=f"prenumerant{i + 1:03d}@example.org",
                language="en" if i % 17 == 0 else "sv",
                state=Subscriber.State.UNSUBSCRIBED if left else Subscriber.State.ACTIVE,
                consent_text="Prenumererade via formuläret på www.so-in.se (demo).",
                consent_at=confirmed,
                confirmed_at=confirmed,
                unsubscribed_at=left,
                source="import:so-in.se (demo)",
                nonce=f"demo{i:028d}",
            )
        )
    Subscriber.objects.bulk_create(objs)
    return list(Subscriber.objects.filter(partnership=partnership))


def _sent(issue: Issue, when: datetime.datetime, subscribers: list[Subscriber]) -> None:
    dispatch = Dispatch.objects.create(issue=issue, state=Dispatch.State.DONE, finished_at=when)
    receivers = [
        s
        for s in subscribers
        if s.confirmed_at
        and s.confirmed_at < when
        and (s.unsubscribed_at is None or s.unsubscribed_at > when)
    ]
    Delivery.objects.bulk_create(
        Delivery(
            dispatch=dispatch,
            subscriber=s,
            email=s.email,
            language=s.language if issue.has_language(s.language) else "sv",
            state=Delivery.State.SENT,
            sent_at=when,
            attempts=1,
            # Those who left soon after an issue left through its link.
            unsubscribed_at=(
                s.unsubscribed_at
                if s.unsubscribed_at and s.unsubscribed_at - when < datetime.timedelta(days=60)
                else None
            ),
        )
        for s in receivers
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(total=len(receivers))
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SENT, sent_at=when)


def seminar_path(partnership: Partnership, seminar: Activity) -> str:
    with translation.override("sv"):
        return reverse(
            "public:activity_detail", kwargs={"partnership": partnership.slug, "pk": seminar.pk}
        )


def seed(*, partnership: Partnership, actor: Any) -> dict[str, int]:
    """Create the demo subscribers and issues if there are none."""
    if Issue.objects.filter(partnership=partnership).exists():
        return {
            "subscribers_active": Subscriber.objects.filter(
                partnership=partnership, state=Subscriber.State.ACTIVE
            ).count()
        }
    subscribers = _subscribers(partnership)
    for number, (day, title, intro) in enumerate(ISSUES_2017, start=1):
        issue = Issue.objects.create(
            partnership=partnership,
            year=2017,
            number=number,
            title_sv=title,
            intro_sv=intro,
            created_by=actor,
        )
        _sent(issue, at(day), subscribers)
    issue = Issue.objects.create(
        partnership=partnership,
        year=2018,
        number=1,
        title_sv="Nyhetsbrev 2018:1",
        title_en="Newsletter 2018:1",
        intro_sv=ISSUE_2018_1_INTRO,
        intro_en=(
            "Interest in social innovation is great. In this issue: new social enterprises in "
            "the county, the region's new action plan for civil society and the social economy, "
            "and the seminars of the spring."
        ),
        created_by=actor,
    )
    for position, (heading, text) in enumerate(ISSUE_2018_1_SECTIONS, start=1):
        Section.objects.create(issue=issue, position=position, heading_sv=heading, text_sv=text)
    seminars = Activity.objects.filter(partnership=partnership, starts_at__year=2018).order_by(
        "starts_at"
    )
    position = len(ISSUE_2018_1_SECTIONS)
    for seminar in seminars:
        position += 1
        deadline = seminar.registration_deadline
        Section.objects.create(
            issue=issue,
            position=position,
            heading_sv=f"Erfarenhetsseminarium: {seminar.title_sv}",
            text_sv=(
                f"{timezone.localtime(seminar.starts_at):%-d/%-m %H:%M}, {seminar.place}."
                + (f" Anmäl ditt deltagande senast {deadline:%-d/%-m}." if deadline else "")
            ),
            link_url=settings.SITE_URL + seminar_path(partnership, seminar),
            link_text_sv="Läs mer och anmäl dig",
        )
    _sent(issue, at(D(2018, 2, 15)), subscribers)
    return {
        "subscribers_active": Subscriber.objects.filter(
            partnership=partnership, state=Subscriber.State.ACTIVE
        ).count(),
        "newsletter_issues": Issue.objects.filter(partnership=partnership).count(),
    }
