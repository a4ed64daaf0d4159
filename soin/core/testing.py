"""Builders for tests: a small world of two partnerships with people in every role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from soin.accounts.models import Role, User
from soin.activities import services as activity_services
from soin.activities.models import Activity, MeetingItem, Registration
from soin.ideas import services as idea_services
from soin.ideas.models import Attachment, Challenge, Idea
from soin.knowledge.models import Entry, EntryImage, EntryLink, News
from soin.newsletter.models import Delivery, Issue, Section, Subscriber
from soin.partners import selectors as partner_selectors
from soin.partners import services as partner_services
from soin.partners.models import Agreement, ContactPerson, GroupMembership, Organisation
from soin.regions.models import Partnership, Region
from soin.regions.services import partnership_create
from soin.reports.models import KeyFigure, YearlyReport

ANON = "anonymous"
CONTACT = "partner_contact"
ADVISOR = "advisor"
COORDINATOR = "coordinator"
OTHER = "other_coordinator"
NATIONAL = "national_coordinator"
ROLES = (ANON, CONTACT, ADVISOR, COORDINATOR, OTHER, NATIONAL)


def ensure_reference_data() -> None:
    """Make sure Sweden's regions and municipalities and the shared challenges exist (a
    transactional test empties the database, migrations' rows included)."""
    from soin.ideas.reference import load_challenges
    from soin.regions.models import Municipality
    from soin.regions.reference import load_reference_data

    if Region.objects.count() != 21 or Municipality.objects.count() != 290:
        load_reference_data(Region, Municipality)
    if Challenge.objects.filter(partnership__isnull=True).count() != 7:
        load_challenges(Challenge)


def make_partnership(*, slug: str, region_code: str) -> Partnership:
    region = Region.objects.get(code=region_code)
    return partnership_create(
        actor=None,
        slug=slug,
        name_sv=f"Partnerskapet {region.name_sv}",
        name_en=f"The partnership of {region.name_en}",
        region=region,
    )


def make_organisation(
    partnership: Partnership,
    name: str,
    kind: str = Organisation.Kind.ASSOCIATION,
    *,
    partner: bool = True,
    coordinator: bool = False,
) -> Organisation:
    return partner_services.organisation_create(
        partnership=partnership,
        actor=None,
        name=name,
        kind=kind,
        joined_on=datetime.date(2017, 1, 1) if partner else None,
        is_coordinator=coordinator,
    )


def make_user(
    email: str,
    kind: str | None = None,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
) -> User:
    user = User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
    if kind:
        Role.objects.create(
            user=user, kind=kind, partnership=partnership, organisation=organisation
        )
    return user


def login(client: Any, user: User) -> None:
    """Log ``user`` in on a test client as the back office requires: the password step
    (``force_login``) and the second factor, as the code step leaves it: a confirmed
    authenticator app remembered in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_app(user).persistent_id
    session.save()


def post_form(client: Any, url: str, data: dict[str, Any], **extra: Any) -> Any:
    """Post a public form as a browser does: open its page first, then send ``data`` with the
    page's stamp (``soin.core.submissions``) unless ``data`` brings one of its own."""
    import re

    if "started" not in data:
        page = client.get(url, **extra).content.decode()
        found = re.search(r'name="started" value="([^"]*)"', page)
        data = {**data, "started": found.group(1) if found else ""}
    return client.post(url, data, **extra)


def authenticator_app(user: User) -> Any:
    """Return the user's confirmed authenticator app (a TOTP device), set one up if needed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def current_code(device: Any, *, steps_ahead: int = 0) -> str:
    """Return the code an authenticator app with ``device``'s key shows now (or that many
    time steps later: a code once accepted is not accepted again)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def browser_login(page: Any, base_url: str, user: User, password: str) -> None:
    """Log ``user`` in through the real login form in a browser: the password, then the code
    from their authenticator app (set up for them if they have none)."""
    from django.urls import reverse

    device = authenticator_app(user)
    page.goto(base_url + reverse("staff:login"))
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/login/code/**")
    page.fill("#id_code", current_code(device))
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@dataclass
class World:
    """Two partnerships; in the first, an organisation of the partner contact ("own") and
    another one ("other"), each with a contact, a group seat and an agreement."""

    partnership: Partnership
    other_partnership: Partnership
    coordinator_org: Organisation
    own_org: Organisation
    other_org: Organisation
    own_contact: ContactPerson
    other_contact: ContactPerson
    own_agreement: Agreement
    other_agreement: Agreement
    seat: GroupMembership
    contact_role: Role
    users: dict[str, User | None]
    idea: Idea
    attachment: Attachment
    regional_challenge: Challenge
    idea_token: str
    referred_idea: Idea
    activity: Activity
    meeting: Activity
    meeting_item: MeetingItem
    registration: Registration
    registration_token: str
    subscriber: Subscriber
    pending_subscriber: Subscriber
    draft_issue: Issue
    sent_issue: Issue
    section: Section
    delivery: Delivery
    entry: Entry
    draft_entry: Entry
    entry_image: EntryImage
    draft_image: EntryImage
    draft_link: EntryLink
    news: News
    draft_news: News
    report: YearlyReport
    published_report: YearlyReport
    key_figure: KeyFigure
    # Records of the later apps, set by each app's ``testing.extend`` (see EXTENSIONS).
    extra: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


# Apps that add their records to the world: ``<app>.testing.extend(world)`` sets
# ``world.extra[name]``, read back as ``world.<name>``.
EXTENSIONS = (
    "soin.funding",
    "soin.plans",
    "soin.grants",
    "soin.impact",
    "soin.privacy",
    "soin.retention",
)


def build_world() -> World:
    p = make_partnership(slug="orebro", region_code="18")
    q = make_partnership(slug="varmland", region_code="17")
    cesam = make_organisation(p, "Stiftelsen Cesam", Organisation.Kind.FOUNDATION, coordinator=True)
    own = make_organisation(p, "Hällefors kommun", Organisation.Kind.MUNICIPALITY)
    other = make_organisation(p, "Coompanion", Organisation.Kind.COOPERATIVE_DEVELOPMENT)
    make_organisation(q, "Värmlands förening", coordinator=True)
    contacts = [
        partner_services.contact_create(
            organisation=org,
            actor=None,
            name=f"Kontakt {org.name}",
            email="kontakt@example.org",
            is_public=True,
        )
        for org in (own, other)
    ]
    agreements = []
    for org in (own, other):
        template = partner_selectors.templates_for_kind(partnership=p, kind=org.kind)[0]
        agreements.append(
            partner_services.agreement_draft(organisation=org, template=template, actor=None)
        )
    seat = partner_services.group_membership_add(
        organisation=other,
        actor=None,
        group="working_committee",
        since=datetime.date(2017, 1, 1),
    )
    users: dict[str, User | None] = {
        ANON: None,
        CONTACT: make_user("contact@example.org", Role.Kind.PARTNER_CONTACT, p, own),
        ADVISOR: make_user("advisor@example.org", Role.Kind.ADVISOR, p),
        COORDINATOR: make_user("coordinator@example.org", Role.Kind.COORDINATOR, p),
        OTHER: make_user("other@example.org", Role.Kind.COORDINATOR, q),
        NATIONAL: make_user("national@example.org", Role.Kind.NATIONAL_COORDINATOR),
    }
    coordinator = users[COORDINATOR]
    idea, token = idea_services.idea_submit(
        partnership=p,
        consent_text="Samtycke",
        title="Lånecykelpool",
        description="Cyklar att låna för den som saknar bil.",
        carrier_category="private",
        carrier_name="Idé Bärare",
        carrier_phone="070-174 06 60",
    )
    idea = idea_services.idea_move(idea=idea, actor=coordinator, move="register")
    referred = idea_services.idea_register(
        partnership=p,
        actor=coordinator,
        channel="outreach",
        received_on=datetime.date(2017, 5, 2),
        title="Kulturfestival",
        description="En festival för hela byn.",
        carrier_category="association",
    )
    referred = idea_services.idea_move(idea=referred, actor=coordinator, move="take")
    referred = idea_services.idea_move(
        idea=referred, actor=coordinator, move="refer", referred_to=own
    )
    attachment = idea_services.attachment_add(
        idea=idea,
        actor=coordinator,
        upload=SimpleUploadedFile("anteckningar.txt", "Anteckningar från mötet".encode()),
    )
    activity, meeting, item, registration, registration_token = build_activities(
        p, coordinator, other
    )
    newsletter = build_newsletter(p, coordinator)
    world = World(
        partnership=p,
        other_partnership=q,
        coordinator_org=cesam,
        own_org=own,
        other_org=other,
        own_contact=contacts[0],
        other_contact=contacts[1],
        own_agreement=agreements[0],
        other_agreement=agreements[1],
        seat=seat,
        contact_role=Role.objects.get(user=users[CONTACT]),
        users=users,
        idea=idea,
        attachment=attachment,
        regional_challenge=idea_services.challenge_add(
            partnership=p,
            actor=None,
            name_sv="Attraktiv landsbygd",
            name_en="Attractive countryside",
        ),
        idea_token=token,
        referred_idea=referred,
        activity=activity,
        meeting=meeting,
        meeting_item=item,
        registration=registration,
        registration_token=registration_token,
        **newsletter,
        **build_knowledge(p, coordinator, idea),
        **build_reports(p, coordinator),
        extra={},
    )
    for app in EXTENSIONS:
        import_module(f"{app}.testing").extend(world)
    return world


def build_reports(p: Partnership, coordinator: User | None) -> dict[str, Any]:
    """A draft yearly report for 2017, a published one for 2016, and a key figure."""
    from soin.reports import services as report_services

    report = report_services.report_create(partnership=p, actor=coordinator, year=2017)
    published = report_services.report_create(partnership=p, actor=coordinator, year=2016)
    published = report_services.report_move(report=published, actor=coordinator, move="publish")
    # Publishing queued the drawing of the 2016 report's files (when the world is built
    # outside a test's transaction). The tests that want the files ask for them; a worker
    # started by another test has its own work to do, not six PDF and DOCX drawings first.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path__endswith=".draw_report_files").delete()
    figure = report_services.key_figure_create(
        partnership=p,
        actor=coordinator,
        year=2016,
        measure="volunteer_hours",
        value=Decimal("7376619"),
        source="Regionens kartläggning",
    )
    return {"report": report, "published_report": published, "key_figure": figure}


def build_activities(
    p: Partnership, coordinator: User | None, other: Organisation
) -> tuple[Activity, Activity, MeetingItem, Registration, str]:
    """A public seminar a month ahead that takes registrations (one person registered), and
    an internal working-committee meeting (without the partner contact's organisation) with
    an action in its minutes."""
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=30)
    activity = activity_services.activity_create(
        partnership=p,
        actor=coordinator,
        kind="experience_seminar",
        title_sv="Idrott, ungdomar och integration",
        title_en="Sport, young people and integration",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Idrottens Hus",
        address="Karlsgatan 28, Örebro",
        registration_open=True,
        capacity=2,
        registration_deadline=timezone.localdate(start) - datetime.timedelta(days=7),
        hosts=[other],
    )
    registration, registration_token = activity_services.registration_create(
        activity=activity,
        name="Anna Deltagare",
        email="anna@example.org",
        consent_text="Samtycke",
    )
    meeting = activity_services.activity_create(
        partnership=p,
        actor=coordinator,
        kind="working_committee",
        title_sv="Arbetsutskottet",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        participants=[other],
    )
    item = activity_services.meeting_item_add(
        activity=meeting, actor=coordinator, kind="action", text="Boka lokal", responsible=other
    )
    return activity, meeting, item, registration, registration_token


# The smallest PNG: one white pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4cb0000000049454e44ae426082"
)


def build_newsletter(p: Partnership, coordinator: User | None) -> dict[str, Any]:
    """An active and a pending subscriber, a draft issue with an illustrated section, and an
    issue sent to the active subscriber (through the sender, to Django's mail backend)."""
    from soin.newsletter import sender
    from soin.newsletter import services as newsletter_services
    from soin.newsletter.models import Dispatch

    subscriber = Subscriber.objects.create(
        partnership=p,
        email="prenumerant@example.org",
        language="sv",
        state=Subscriber.State.ACTIVE,
        consent_text="Samtycke",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
        source="test",
        nonce="a" * 32,
    )
    newsletter_services.subscriber_subscribe(
        partnership=p,
        email="ny@example.org",
        consent_text="Samtycke",
        source="test",
    )
    pending = Subscriber.objects.get(partnership=p, email="ny@example.org")
    sent = newsletter_services.issue_create(
        partnership=p, actor=coordinator, year=2018, title_sv="Nyhetsbrev 2018:1", intro_sv="Hej!"
    )
    newsletter_services.section_add(
        issue=sent, actor=coordinator, heading_sv="Nya parter", text_sv="SOFINT har anslutit."
    )
    newsletter_services.issue_send(issue=sent, actor=coordinator)
    dispatch = Dispatch.objects.get(issue=sent)
    # Sent to Django's in-memory outbox, so that tests with a real SMTP server see only
    # their own mails.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        sender.run(dispatch.pk)
    sent.refresh_from_db()
    draft = newsletter_services.issue_create(
        partnership=p, actor=coordinator, year=2018, title_sv="Nyhetsbrev 2018:2"
    )
    section = newsletter_services.section_add(
        issue=draft,
        actor=coordinator,
        heading_sv="Erfarenhetsseminarier",
        text_sv="Välkommen!",
        image=SimpleUploadedFile("bild.png", PNG),
        image_alt_sv="Deltagare i samtal",
    )
    return {
        "subscriber": subscriber,
        "pending_subscriber": pending,
        "draft_issue": draft,
        "sent_issue": sent,
        "section": section,
        "delivery": Delivery.objects.get(dispatch=dispatch, subscriber=subscriber),
    }


def build_knowledge(p: Partnership, coordinator: User | None, idea: Idea) -> dict[str, Any]:
    """A published entry with an image, a draft made from the idea with an image and a link,
    a published and a draft news item."""
    from soin.knowledge import services as knowledge_services

    inclusive = Challenge.objects.get(partnership__isnull=True, key="inclusive-societies")
    entry = knowledge_services.entry_create(
        partnership=p,
        actor=coordinator,
        kind="existing",
        title_sv="Läxhjälp i idrottsföreningen",
        title_en="Homework help at the sports club",
        summary_sv="Läxhjälp före träningen.",
        summary_en="Homework help before training.",
        solution_type="education",
        challenges=[inclusive],
        new_for="target_group",
        evidence_level="documented",
        can_spread="yes",
    )
    image = knowledge_services.entry_image_add(
        entry=entry,
        actor=coordinator,
        upload=SimpleUploadedFile("bild.png", PNG),
        alt_sv="Barn vid ett bord",
        alt_en="Children at a table",
    )
    entry = knowledge_services.entry_move(entry=entry, actor=coordinator, move="submit")
    entry = knowledge_services.entry_move(
        entry=entry, actor=coordinator, move="publish", seen_version=entry.version
    )
    draft = knowledge_services.entry_create(partnership=p, actor=coordinator, idea=idea)
    draft_image = knowledge_services.entry_image_add(
        entry=draft,
        actor=coordinator,
        upload=SimpleUploadedFile("cykel.png", PNG),
        alt_sv="En cykel",
        alt_en="A bicycle",
    )
    draft_link = knowledge_services.entry_link_add(
        entry=draft, actor=coordinator, url="https://example.org/cyklar", label_sv="Mer om cyklar"
    )
    news = knowledge_services.news_create(
        partnership=p, actor=coordinator, title_sv="Nya parter", body_sv="Välkomna!"
    )
    news = knowledge_services.news_publish(news=news, actor=coordinator, seen_version=news.version)
    draft_news = knowledge_services.news_create(
        partnership=p, actor=coordinator, title_sv="Utkast", body_sv="Inte klart."
    )
    return {
        "entry": entry,
        "draft_entry": draft,
        "entry_image": image,
        "draft_image": draft_image,
        "draft_link": draft_link,
        "news": news,
        "draft_news": draft_news,
    }


def abroad(w: World) -> dict[str, Any]:
    """The other partnership's records, under the names the world gives its own: where the
    world has ``w.idea``, ``abroad(w)["idea"]`` is an idea of ``w.other_partnership``.

    The object-level access tests put these into the first partnership's addresses. Built on
    first use, so only the tests that ask pay for it; one record stands for several names
    where one of its kind is enough."""
    if "abroad" not in w.extra:
        records = build_abroad(w)
        for app in EXTENSIONS:
            add = getattr(import_module(f"{app}.testing"), "extend_abroad", None)
            if add is not None:
                add(w, records)
        w.extra["abroad"] = records
    return w.extra["abroad"]


def build_abroad(w: World) -> dict[str, Any]:
    """In the other partnership: a partner with a contact, an agreement and a seat, a
    regional challenge, an idea from the web form with a file, a public seminar taking
    registrations with an action, a published entry with an image and a link, a published
    news item, a draft newsletter issue with a section and a pending subscriber, a draft
    report and a key figure. Their names and years are not the first partnership's, so an
    address by slug or year cannot find a record of the first partnership by chance."""
    from soin.knowledge import services as knowledge_services
    from soin.newsletter import services as newsletter_services
    from soin.reports import services as report_services

    q = w.other_partnership
    coordinator = w.users[OTHER]
    org = make_organisation(q, "Skogsföreningen", Organisation.Kind.ASSOCIATION)
    contact = partner_services.contact_create(
        organisation=org, actor=None, name="Kontakt i Värmland", email="v@example.org"
    )
    template = partner_selectors.templates_for_kind(partnership=q, kind=org.kind)[0]
    agreement = partner_services.agreement_draft(organisation=org, template=template, actor=None)
    seat = partner_services.group_membership_add(
        organisation=org, actor=None, group="working_committee", since=datetime.date(2017, 1, 1)
    )
    idea, token = idea_services.idea_submit(
        partnership=q,
        consent_text="Samtycke",
        title="Skogsbad i Värmland",
        description="Vandringar i skogen för den som är ny i bygden.",
        carrier_category="private",
        carrier_name="Värmländsk Bärare",
    )
    attachment = idea_services.attachment_add(
        idea=idea,
        actor=coordinator,
        upload=SimpleUploadedFile("skog.txt", b"Anteckningar om skogen"),
    )
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=40)
    activity = activity_services.activity_create(
        partnership=q,
        actor=coordinator,
        kind="experience_seminar",
        title_sv="Skogen som mötesplats",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Föreningshuset",
        registration_open=True,
        capacity=10,
    )
    registration, registration_token = activity_services.registration_create(
        activity=activity, name="Värmländsk Deltagare", email="vd@example.org", consent_text="Ja"
    )
    item = activity_services.meeting_item_add(
        activity=activity, actor=coordinator, kind="action", text="Boka buss"
    )
    entry = knowledge_services.entry_create(
        partnership=q,
        actor=coordinator,
        kind="existing",
        title_sv="Skogsbad för nyanlända",
        title_en="Forest bathing for newcomers",
        summary_sv="Vandringar med samtal.",
        summary_en="Walks with conversation.",
        solution_type="education",
        challenges=[Challenge.objects.get(partnership__isnull=True, key="inclusive-societies")],
        new_for="target_group",
        evidence_level="documented",
        can_spread="yes",
    )
    image = knowledge_services.entry_image_add(
        entry=entry,
        actor=coordinator,
        upload=SimpleUploadedFile("skog.png", PNG),
        alt_sv="En skog",
        alt_en="A forest",
    )
    link = knowledge_services.entry_link_add(
        entry=entry, actor=coordinator, url="https://example.org/skog", label_sv="Om skogen"
    )
    entry = knowledge_services.entry_move(entry=entry, actor=coordinator, move="submit")
    entry = knowledge_services.entry_move(
        entry=entry, actor=coordinator, move="publish", seen_version=entry.version
    )
    news = knowledge_services.news_create(
        partnership=q, actor=coordinator, title_sv="Värmländska nyheter", body_sv="Hej!"
    )
    news = knowledge_services.news_publish(news=news, actor=coordinator, seen_version=news.version)
    issue = newsletter_services.issue_create(
        partnership=q, actor=coordinator, year=2019, title_sv="Värmlandsbrevet 2019:1"
    )
    section = newsletter_services.section_add(
        issue=issue, actor=coordinator, heading_sv="Skogen", text_sv="Välkommen ut!"
    )
    newsletter_services.subscriber_subscribe(
        partnership=q, email="v-prenumerant@example.org", consent_text="Ja", source="test"
    )
    subscriber = Subscriber.objects.get(partnership=q, email="v-prenumerant@example.org")
    report = report_services.report_create(partnership=q, actor=coordinator, year=2014)
    figure = report_services.key_figure_create(
        partnership=q,
        actor=coordinator,
        year=2014,
        measure="volunteer_hours",
        value=Decimal("1000"),
        source="Regionens kartläggning",
    )
    return {
        **dict.fromkeys(("own_org", "other_org"), org),
        **dict.fromkeys(("own_contact", "other_contact"), contact),
        **dict.fromkeys(("own_agreement", "other_agreement"), agreement),
        "seat": seat,
        "contact_role": Role.objects.get(user=coordinator),
        "regional_challenge": idea_services.challenge_add(
            partnership=q, actor=None, name_sv="Skogsbygd", name_en="Forest country"
        ),
        **dict.fromkeys(("idea", "referred_idea"), idea),
        "idea_token": token,
        "attachment": attachment,
        **dict.fromkeys(("activity", "meeting"), activity),
        "meeting_item": item,
        "registration": registration,
        "registration_token": registration_token,
        **dict.fromkeys(("entry", "draft_entry"), entry),
        **dict.fromkeys(("entry_image", "draft_image"), image),
        "draft_link": link,
        **dict.fromkeys(("news", "draft_news"), news),
        **dict.fromkeys(("draft_issue", "sent_issue"), issue),
        "section": section,
        **dict.fromkeys(("subscriber", "pending_subscriber"), subscriber),
        **dict.fromkeys(("report", "published_report"), report),
        "key_figure": figure,
    }
