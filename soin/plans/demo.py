"""Demo data for plans: L&SEK's activity plan 2011–2012 (seed 000), the partnership's
predecessor, with its areas, items and responsible partners; and the partnership's plan
2017–2019 (seed 001: the partnership "utarbetar en flerårig verksamhetsplan") followed up at
the plenary meetings of 2017. The follow-up texts are invented, reported by the demo users."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from soin.accounts.models import Role, User
from soin.activities.models import Activity, Kind
from soin.partners.models import Organisation
from soin.plans import services
from soin.plans.models import Plan
from soin.regions.models import Partnership

D = datetime.date

# Seed 000: (area sv, area en, [(title sv, title en, description sv, description en,
# responsible organisations, responsible in words)]).
LSEK_2011: list[tuple[str, str, list[tuple[str, str, str, str, list[str], str]]]] = [
    (
        "Kunskap och kompetens",
        "Knowledge and skills",
        [
            (
                "Eldsjälsakademi",
                "Academy for local champions",
                "För att bilda opinion och öka kunskapen om lokal utveckling och social ekonomi "
                "har initiativ tagits med utbildningsaktörer på flera nivåer (studieförbund, "
                "folkhögskolor och universitet) för att bilda en Eldsjälsakademi i Örebro län. "
                "Eldsjälsakademin kommer att invigas under våren 2011, invigningen skall ses som "
                "en början på den process som behövs med alla inblandade och som kommer "
                "fortsätta under perioden.\n\nInom akademin erbjuds föreläsningar och seminarier "
                "i ämnen kring lokal utveckling och social ekonomi, både kortare och längre "
                "utbildningar, på plats och på distans/nätet.",
                "To shape opinion and raise knowledge of local development and the social "
                "economy, an initiative has been taken with educational bodies at several levels "
                "(study associations, folk high schools and the university) to found an Academy "
                "for local champions (Eldsjälsakademi) in Örebro County. The academy will be "
                "inaugurated in the spring of 2011; the inauguration is to be seen as the start "
                "of the process needed with everyone involved, which will continue throughout "
                "the period.\n\nThe academy offers lectures and seminars on local development "
                "and the social economy, both shorter and longer courses, on site and at a "
                "distance/online.",
                ["Arbetarnas bildningsförbund"],
                "",
            ),
            (
                "Eldsjälsmässa",
                "Fair for local champions",
                "En årlig mötesplats skapas, en Eldsjälsmässa, för att ge tillfälle till idé- och "
                "erfarenhetsutbyte, affärsmöjligheter och kompetensutveckling, för länets aktörer "
                "i social ekonomi.",
                "A yearly meeting place is created, a fair for local champions "
                "(Eldsjälsmässa), to give the county's actors in the social economy the chance "
                "to exchange ideas and experience, find business opportunities and develop "
                "their skills.",
                [],
                "Eldsjälsakademin i samarbete med L&SEKs medlemmar",
            ),
            (
                "Årets Eldsjäl",
                "Local champion of the year",
                "Föreningen L&SEK skall fortsätta att utse Årets Eldsjäl och dela ut priset "
                "tillsammans med Regionförbundet Örebro län.",
                "The L&SEK association is to go on choosing the local champion of the year "
                "(Årets Eldsjäl) and award the prize together with Regionförbundet Örebro län.",
                [],
                "Styrelsen",
            ),
            (
                "Forskning",
                "Research",
                "Föreningen L&SEK skall ta initiativ för att forskningen kring ideell sektor och "
                "social ekonomi ökas. Samverkan med universitetet bör initieras för att utveckla "
                "metoder och befästa kunskapsutveckling i projekt/föreningar/företag i social "
                "ekonomi, bland annat genom att lyfta fram goda exempel och underlätta lärande "
                "och erfarenhetsutbyte.",
                "The L&SEK association is to take initiatives to increase research on the "
                "non-profit sector and the social economy. Cooperation with the university "
                "should be started to develop methods and consolidate the growth of knowledge "
                "in projects, associations and enterprises of the social economy, among other "
                "things by highlighting good examples and making learning and the exchange of "
                "experience easier.",
                [],
                "Styrelsen",
            ),
        ],
    ),
    (
        "Innovationer och entreprenörskap",
        "Innovation and entrepreneurship",
        [
            (
                "Rådgivning",
                "Advice",
                "Arbetet med rådgivning och stöd till kooperativ, sociala företag, "
                "utvecklingsgrupper, byalag och ideell sektor, är en central uppgift för "
                "föreningen L&SEK. Den sociala ekonomin som drivkraft för entreprenörskap, och "
                "de sociala företagens möjligheter att skapa jobb, nya vägar till jobb, och ökat "
                "arbetskraftsutbud behöver tas tillvara bättre. Denna potential behövs i svåra "
                "arbetsmarknadslägen, men också i långsiktiga tillväxtprogram och insatser för "
                "företags- och tillväxtpolitik.\n\nIdéburna organisationer och föreningar i "
                "länet bör utmanas till innovationsarbete på angelägna områden. Att utveckla nya "
                "vägar till arbete, nå dem som står långt i från arbetsmarknaden, utveckla fler "
                "insatser för att stimulera entreprenörskap och företagande.",
                "Advice and support to cooperatives, social enterprises, local development "
                "groups, village associations and the non-profit sector is a central task of "
                "the L&SEK association. The social economy as a driving force for "
                "entrepreneurship, and the social enterprises' ability to create jobs, new "
                "paths to work and a larger labour supply, need to be made better use of. This "
                "potential is needed when the labour market is difficult, but also in long-term "
                "growth programmes and in business and growth policy.\n\nThe county's "
                "non-profit organisations and associations should be challenged to innovate in "
                "pressing fields: developing new paths to work, reaching those far from the "
                "labour market, and developing more ways to encourage entrepreneurship and "
                "enterprise.",
                ["Länsbygderådet Örebro län", "Coompanion"],
                "",
            ),
            (
                "Ekonomiskt stöd",
                "Financial support",
                "Initiativ tas för att hitta en modell för hur små och smidiga ekonomiska stöd "
                "till utvecklingsinitiativ ska finnas och permanentas. Föreningen har tidigare "
                "arbetat med sk L&SEK-stöd, en modell som kan utvecklas och kombineras med "
                "rådgivning.",
                "Initiatives are taken to find a model for small and flexible financial support "
                "to development initiatives, and to make it permanent. The association has "
                "earlier worked with the so-called L&SEK grants, a model that can be developed "
                "and combined with advice.",
                ["Länsbygderådet Örebro län", "Coompanion"],
                "",
            ),
            (
                "Lokala partnerskap",
                "Local partnerships",
                "Lokala partnerskap mellan de olika samhällssektorerna i likhet med arbetet i "
                "Leader behövs för att bidra till långsiktig stabilitet. Lokalt samarbete mellan "
                "den sociala ekonomins aktörer och näringslivet kan öppna möjligheter till "
                "sponsring, praktikplatser, ömsesidigt idé- och erfarenhetsutbyte.\n\nGenom "
                "främst Länsbygderådet fortsätter Leader-arbetet, vilket bland annat innebär att "
                "informera, inspirera och stödja de Leaderområden som finns inom Örebro län. "
                "Modellen som används inom Leader kan också inspirera till att bygga lokala "
                "partnerskap inom L&SEKs verksamhetsområde.",
                "Local partnerships between the sectors of society, like the work in Leader, "
                "are needed for long-term stability. Local cooperation between the actors of "
                "the social economy and business can open the way to sponsorship, work "
                "placements and a mutual exchange of ideas and experience.\n\nThe Leader work "
                "goes on, mainly through Länsbygderådet, which among other things means "
                "informing, inspiring and supporting the Leader areas in Örebro County. The "
                "model used in Leader can also inspire local partnerships within L&SEK's field "
                "of work.",
                ["Länsbygderådet Örebro län"],
                "",
            ),
            (
                "Nyckeltal",
                "Key figures",
                "Att synliggöra L&SEKs arbete och den sociala ekonomins potential genom att "
                "kontinuerligt presentera ”Tillståndet i den sociala ekonomin”, med nyckeltal om "
                "sektorn – antal utvecklingsgrupper, företag, löne- och skattebetalningar, "
                "ideellt arbete.",
                "To make L&SEK's work and the potential of the social economy visible by "
                "regularly presenting “The state of the social economy”, with key figures of "
                "the sector: the number of development groups and enterprises, wages and taxes "
                "paid, voluntary work.",
                ["Coompanion"],
                "",
            ),
            (
                "Regionalt utvecklingscentrum för ideell sektor",
                "Regional development centre for the non-profit sector",
                "Föreningen L&SEK skall aktivt delta i det arbete som pågår i Örebro läns "
                "landsting, kring bildandet av ett regionalt utvecklingscentrum för ideell "
                "sektor. Frivilligarbetare behöver fler kontaktpunkter och möjligheter att ingå "
                "i och skapa nätverk med likasinnade inom hela Örebro län.",
                "The L&SEK association is to take an active part in the work under way in "
                "Örebro County Council to found a regional development centre for the "
                "non-profit sector. Volunteers need more points of contact and more chances to "
                "join and build networks with like-minded people across Örebro County.",
                [],
                "Styrelsen",
            ),
        ],
    ),
    (
        "Mötesplatser",
        "Meeting places",
        [
            (
                "Nätverksbygge",
                "Building networks",
                "Föreningen skall aktivt delta i arbetet i PLUS (partnerskapet för lokal "
                "utveckling och social ekonomi). Vi skall vara med i genomförandet av arbetet "
                "med det projekt i PLUS som beviljats medel från ERUF, regionalfonden, och som "
                "syftar till att utveckla samarbetet i plattformen och öka affärsmöjligheterna "
                "för de ingående företagen och grupperna. Vi skall också vara med och ansöka om "
                "genomförande av projekt med syfte att starta sociala företag och "
                "stödstrukturer för sådana i de fem länen i PLUS. Föreningen skall i övrigt "
                "delta aktivt i olika nätverk inom den sociala ekonomin såväl nationellt som "
                "internationellt.",
                "The association is to take an active part in PLUS (the partnership for local "
                "development and the social economy). We are to help carry out the PLUS project "
                "granted money from the ERDF, the regional fund, which aims to develop the "
                "cooperation in the platform and increase the business opportunities of its "
                "enterprises and groups. We are also to take part in applying for projects to "
                "start social enterprises, and support structures for them, in the five counties "
                "of PLUS. The association is otherwise to take an active part in networks of "
                "the social economy, nationally as well as internationally.",
                ["Coompanion"],
                "",
            ),
            (
                "Medlemmar",
                "Members",
                "Föreningen L&SEK behöver utvecklas med fler medlemmar från såväl ideell sektor "
                "som kommuner och det privata näringslivet.",
                "The L&SEK association needs to grow with more members from the non-profit "
                "sector as well as from the municipalities and private business.",
                [],
                "Styrelsen",
            ),
            (
                "Kommunerna",
                "The municipalities",
                "Delaktighet kan med fördel användas som motor i utvecklingen av den sociala "
                "ekonomin.\n\nSärskilda insatser skall riktas mot kommunerna för att erbjuda "
                "modeller för att få igång ett ”underifrånperspektiv”, med brett deltagande i "
                "utformandet av konkreta visioner av framtida arbetsliv och boende exempelvis i "
                "kommunernas arbete med lokala översiktsplaner och liknande. Det ger upphov till "
                "idéer för jobb, sysselsättning, gemenskap, ökad livskvalitet. Föreningen L&SEK "
                "kan bl a ta initiativ till att hitta modeller för hur kommunens lokaler kan "
                "vara en resurs för det lokala föreningslivet i deras lokala utvecklingsarbete.",
                "Participation can well be used as an engine in developing the social "
                "economy.\n\nSpecial efforts are to be aimed at the municipalities, offering "
                "models for a “bottom-up perspective”, with broad participation in shaping "
                "concrete visions of future working life and housing, for example in the "
                "municipalities' work on local comprehensive plans and the like. This gives "
                "rise to ideas for jobs, occupation, community and a better quality of life. "
                "The L&SEK association can, among other things, take the initiative to find "
                "models for how the municipality's premises can be a resource for local "
                "associations in their local development work.",
                ["Länsbygderådet Örebro län"],
                "",
            ),
            (
                "Information",
                "Information",
                "Utveckling av insatserna för opinionsbildning bl a genom att aktualisera och "
                "komplettera kontaktlistor för information och informationsträffar samt att "
                "hålla föreningens hemsida aktuell.",
                "Developing the work of shaping opinion, among other things by updating and "
                "completing the contact lists for information and information meetings, and "
                "keeping the association's website up to date.",
                [],
                "Verksamhetsledaren",
            ),
        ],
    ),
]

# The partnership's plan 2017–2019: (area sv, area en, [(key, title sv, title en, goal sv,
# goal en, responsible organisations, responsible in words)]).
PARTNERSHIP_2017: list[tuple[str, str, list[tuple[str, str, str, str, str, list[str], str]]]] = [
    (
        "Idéer och rådgivning",
        "Ideas and advice",
        [
            (
                "outreach",
                "Uppsökande verksamhet i länets kommuner",
                "Outreach in the county's municipalities",
                "Minst sex uppsökande stopp om året, så att idéer möts i hela länet.",
                "At least six outreach stops a year, so that ideas are met across the county.",
                ["Stiftelsen Cesam"],
                "",
            ),
            (
                "advice",
                "Rådgivning till sociala företag och kooperativ",
                "Advice to social enterprises and cooperatives",
                "Varje idé som vill bli ett företag får rådgivning om företagsform och "
                "finansiering.",
                "Every idea that wants to become an enterprise gets advice on the form of "
                "enterprise and on funding.",
                ["Coompanion"],
                "",
            ),
            (
                "documentation",
                "Dokumentation av sociala innovationer",
                "Documenting social innovations",
                "Varje idé dokumenteras enligt partnerskapets mall; de som vill publiceras i "
                "kunskapsbanken.",
                "Every idea is documented with the partnership's template; those who wish are "
                "published in the knowledge bank.",
                ["Stiftelsen Cesam", "Örebro universitet"],
                "",
            ),
        ],
    ),
    (
        "Lärande och mötesplatser",
        "Learning and meeting places",
        [
            (
                "seminars",
                "Erfarenhets- och lärseminarier",
                "Experience and learning seminars",
                "Tre seminarier om året i olika delar av länet.",
                "Three seminars a year in different parts of the county.",
                ["Stiftelsen Cesam", "Hallsbergs kommun"],
                "",
            ),
            (
                "north",
                "Mötesplats för social ekonomi i norra länet",
                "A meeting place for the social economy in the north of the county",
                "En återkommande mötesplats i Hällefors för föreningar, kommun och företag.",
                "A recurring meeting place in Hällefors for associations, the municipality and "
                "businesses.",
                ["Hällefors kommun"],
                "",
            ),
        ],
    ),
    (
        "Information och kommunikation",
        "Information and communication",
        [
            (
                "newsletter",
                "Nyhetsbrev och webbplats",
                "Newsletter and website",
                "Fyra nyhetsbrev om året och en webbplats som hålls aktuell.",
                "Four newsletters a year and a website kept up to date.",
                [],
                "Samordnaren",
            ),
        ],
    ),
]

C, A, P = Role.Kind.COORDINATOR, Role.Kind.ADVISOR, Role.Kind.PARTNER_CONTACT
# (item key, plenary meeting day, status, reporter's role, text) — invented follow-ups.
FOLLOWUPS_2017: list[tuple[str, D, str, str, str]] = [
    (
        "outreach",
        D(2017, 2, 7),
        "not_started",
        C,
        "Orter och datum för vårens stopp planeras med kommunernas kontaktpersoner; det första "
        "stoppet blir i Askersund i maj.",
    ),
    (
        "north",
        D(2017, 2, 7),
        "not_started",
        P,
        "Kommunen har erbjudit lokal och bjuder in till ett första möte i samband med stormötet "
        "i Hällefors i maj.",
    ),
    (
        "outreach",
        D(2017, 5, 11),
        "on_track",
        C,
        "Tre stopp är gjorda (Askersund, Fellingsbro och Örebro/Varberga) och två till är "
        "bokade; flera idéer har redan kommit in.",
    ),
    (
        "advice",
        D(2017, 5, 11),
        "on_track",
        A,
        "Två idéer om sociala företag har fått rådgivning om företagsform; en av dem har "
        "lämnats över till Coompanion för fortsatt stöd.",
    ),
    (
        "documentation",
        D(2017, 5, 11),
        "delayed",
        A,
        "Mallen används för de nya idéerna, men de äldre idéerna är ännu inte dokumenterade. "
        "Vi tar ikapp under hösten.",
    ),
    (
        "seminars",
        D(2017, 5, 11),
        "on_track",
        C,
        "Det första seminariet hålls i Bredsjö den 30 maj; hösten planeras tillsammans med "
        "Hallsbergs kommun och Stiftelsen Activa.",
    ),
    (
        "north",
        D(2017, 5, 11),
        "on_track",
        P,
        "Första träffen hölls i samband med stormötet, med ett tjugotal deltagare från "
        "föreningar och kommunen. Nästa träff blir i oktober.",
    ),
    (
        "outreach",
        D(2017, 9, 28),
        "on_track",
        C,
        "Fem stopp är gjorda; stoppet i Degerfors den 2 oktober blir årets sjätte.",
    ),
    (
        "documentation",
        D(2017, 9, 28),
        "on_track",
        A,
        "Samtliga idéer från våren är dokumenterade enligt mallen och den första posten är "
        "publicerad i kunskapsbanken.",
    ),
    (
        "seminars",
        D(2017, 9, 28),
        "on_track",
        C,
        "Seminariet i Hallsberg den 18 september hölls; det tredje blir i Örebro i november.",
    ),
    (
        "newsletter",
        D(2017, 9, 28),
        "delayed",
        C,
        "Tre nyhetsbrev har gått ut; webbplatsens nya kalender blev försenad och kommer i oktober.",
    ),
    (
        "outreach",
        D(2017, 11, 29),
        "done",
        C,
        "Årets sex uppsökande stopp är genomförda och 15 idéer har mötts under året.",
    ),
    (
        "advice",
        D(2017, 11, 29),
        "on_track",
        A,
        "Idén om ett Maker Space har utvecklats till en ansökan; rådgivningen fortsätter med "
        "tre sociala företag under nästa år.",
    ),
    (
        "seminars",
        D(2017, 11, 29),
        "done",
        C,
        "Årets tre seminarier är hållna, det sista i Örebro den 13 november.",
    ),
    (
        "north",
        D(2017, 11, 29),
        "on_track",
        P,
        "Tre träffar har hållits under året. Till våren prövar vi att flytta träffarna mellan "
        "orterna i norra länet.",
    ),
    (
        "newsletter",
        D(2017, 11, 29),
        "done",
        C,
        "Årets fjärde nyhetsbrev har gått ut och nyhetsbrevet har 364 prenumeranter.",
    ),
]


def _orgs(partnership: Partnership, names: list[str]) -> list[Organisation]:
    found = {
        o.name: o for o in Organisation.objects.filter(partnership=partnership, name__in=names)
    }
    return [found[n] for n in names if n in found]


def _demo_user(kind: str) -> User | None:
    """The invented demo user in ``kind`` (soin.core.demo.DEMO_USERS)."""
    from soin.core.demo import DEMO_USERS

    emails = [email for email, _name, role, _org in DEMO_USERS if role == kind]
    return User.objects.filter(email__in=emails).order_by("pk").first()


def _seed_lsek(partnership: Partnership, actor: Any) -> Plan:
    plan = services.plan_create(
        partnership=partnership,
        actor=actor,
        title_sv="L&SEK:s verksamhetsplan 2011–2012",
        title_en="L&SEK's activity plan 2011–2012",
        first_year=2011,
        last_year=2012,
    )
    for area_sv, area_en, items in LSEK_2011:
        area = services.area_create(plan=plan, actor=actor, title_sv=area_sv, title_en=area_en)
        for title_sv, title_en, text_sv, text_en, orgs, words in items:
            names = orgs
            missing = [n for n in names if not _orgs(partnership, [n])]
            services.item_create(
                area=area,
                actor=actor,
                title_sv=title_sv,
                title_en=title_en,
                description_sv=text_sv,
                description_en=text_en,
                responsible=_orgs(partnership, names),
                # An organisation the installation does not know is named in words.
                responsible_text=", ".join([*missing, *([words] if words else [])]),
            )
    plan = services.plan_move(plan=plan, actor=actor, move="adopt", adopted_on=D(2011, 1, 1))
    return services.plan_move(plan=plan, actor=actor, move="close")


def _seed_partnership(partnership: Partnership, actor: Any) -> Plan:
    plan = services.plan_create(
        partnership=partnership,
        actor=actor,
        title_sv="Partnerskapets verksamhetsplan 2017–2019",
        title_en="The partnership's activity plan 2017–2019",
        first_year=2017,
        last_year=2019,
    )
    items = {}
    for area_sv, area_en, rows in PARTNERSHIP_2017:
        area = services.area_create(plan=plan, actor=actor, title_sv=area_sv, title_en=area_en)
        for key, title_sv, title_en, goal_sv, goal_en, orgs, words in rows:
            missing = [n for n in orgs if not _orgs(partnership, [n])]
            items[key] = services.item_create(
                area=area,
                actor=actor,
                title_sv=title_sv,
                title_en=title_en,
                goal_sv=goal_sv,
                goal_en=goal_en,
                responsible=_orgs(partnership, orgs),
                responsible_text=", ".join([*missing, *([words] if words else [])]),
            )
    plan = services.plan_move(plan=plan, actor=actor, move="adopt", adopted_on=D(2017, 2, 7))
    meetings = {
        timezone.localtime(m.starts_at).date(): m
        for m in Activity.objects.filter(
            partnership=partnership, kind=Kind.PLENARY, starts_at__year=2017
        )
    }
    reporters: dict[str, User | None] = {kind: _demo_user(kind) for kind in (C, A, P)}
    for key, day, status, kind, text in FOLLOWUPS_2017:
        reporter = reporters[kind]
        item = items[key]
        services.followup_create(
            item=item,
            actor=reporter or actor,
            status=status,
            text=text,
            reported_on=day,
            meeting=meetings.get(day),
        )
    return plan


def seed(*, partnership: Partnership, actor: User) -> dict[str, Any]:
    """Create the demo plans that are missing."""
    existing = set(Plan.objects.filter(partnership=partnership).values_list("title_sv", flat=True))
    if "L&SEK:s verksamhetsplan 2011–2012" not in existing:
        _seed_lsek(partnership, actor)
    if "Partnerskapets verksamhetsplan 2017–2019" not in existing:
        _seed_partnership(partnership, actor)
    return {"plans": Plan.objects.filter(partnership=partnership).count()}
