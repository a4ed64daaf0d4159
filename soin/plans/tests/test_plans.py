"""The activity plan through the back office: coordinators write it, partners report on their
own items, the follow-up for a plenary meeting (page, PDF, DOCX), and the yearly report."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from soin.activities import services as activity_services
from soin.activities.demo import at
from soin.audit.models import AuditEntry
from soin.core.testing import login
from soin.plans import selectors, services
from soin.plans.models import FollowUp, Item, Plan, PlanEvent

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Messages and pages are checked in English, the source language."""
    with translation.override("en"):
        yield


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    login(client, user)
    return client


def url(name: str, world, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"staff:{name}", kwargs={"partnership": world.partnership.slug, **kwargs})


def test_a_coordinator_writes_and_adopts_a_plan(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["coordinator"])
    response = client.post(
        url("plan_create", world),
        {
            "title_sv": "Verksamhetsplan 2024–2026",
            "title_en": "Activity plan 2024–2026",
            "first_year": "2024",
            "last_year": "2026",
        },
    )
    plan = Plan.objects.get(title_sv="Verksamhetsplan 2024–2026")
    assert response.status_code == 302 and plan.state == Plan.State.DRAFT
    client.post(
        url("plan_area_create", world, pk=plan.pk),
        {"title_sv": "Kunskap och kompetens", "title_en": "Knowledge and skills"},
    )
    area = plan.areas.get()
    response = client.post(
        url("plan_item_create", world, pk=area.pk),
        {
            "area": area.pk,
            "title_sv": "Eldsjälsakademi",
            "title_en": "Academy for local champions",
            "goal_sv": "Tio kurser",
            "responsible": [world.own_org.pk, world.other_org.pk],
        },
    )
    item = Item.objects.get(title_sv="Eldsjälsakademi")
    assert response.status_code == 302
    assert set(item.responsible.all()) == {world.own_org, world.other_org}
    assert item.position == 1
    client.post(url("plan_move", world, pk=plan.pk), {"move": "adopt", "adopted_on": "2024-01-20"})
    plan.refresh_from_db()
    assert plan.state == Plan.State.ADOPTED and plan.adopted_on == D(2024, 1, 20)
    assert [e.to_state for e in plan.events.filter(kind=PlanEvent.Kind.MOVED)] == ["adopted"]
    assert {"plan.create", "plan_area.create", "plan_item.create", "plan.adopt"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    page = client.get(url("plan_detail", world, pk=plan.pk)).content.decode()
    assert "Academy for local champions" in page and "No report yet" in page
    # Closing and reopening, with the reason the reopening needs.
    client.post(url("plan_move", world, pk=plan.pk), {"move": "close"})
    client.post(url("plan_move", world, pk=plan.pk), {"move": "reopen"})
    plan.refresh_from_db()
    assert plan.state == Plan.State.CLOSED
    client.post(url("plan_move", world, pk=plan.pk), {"move": "reopen", "note": "Ny period"})
    plan.refresh_from_db()
    assert plan.state == Plan.State.ADOPTED


def test_bad_input_is_shown_and_nothing_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["coordinator"])
    before = Plan.objects.count()
    response = client.post(
        url("plan_create", world), {"title_sv": "Plan", "first_year": "2026", "last_year": "2024"}
    )
    assert response.status_code == 200
    assert "The last year cannot come before the first." in response.content.decode()
    assert Plan.objects.count() == before
    response = client.post(
        url("plan_item_create", world, pk=world.plan_area.pk),
        {"area": world.plan_area.pk, "title_sv": "Utan ansvarig"},
    )
    assert "Name who is responsible" in response.content.decode()
    assert not Item.objects.filter(title_sv="Utan ansvarig").exists()
    # A draft cannot be adopted without an item.
    client.post(url("plan_move", world, pk=world.plan_draft.pk), {"move": "adopt"})
    world.plan_draft.refresh_from_db()
    assert world.plan_draft.state == Plan.State.DRAFT
    response = client.post(
        url("plan_edit", world, pk=world.plan_draft.pk),
        {
            "title_sv": "Utkast",
            "first_year": "2023",
            "last_year": "2025",
            "adopted_on": "2023-01-01",
        },
    )
    assert "adopt it instead" in response.content.decode()
    world.plan_draft.refresh_from_db()
    assert world.plan_draft.adopted_on is None and world.plan_draft.title_sv != "Utkast"
    # An area of another plan cannot take the item.
    other_area = services.area_create(plan=world.plan_draft, actor=None, title_sv="Annat")
    with pytest.raises(ValidationError) as error:
        services.item_update(item=world.plan_item_own, actor=None, area=other_area)
    assert "area" in error.value.message_dict


def test_others_may_not_write_the_plan(world) -> None:  # type: ignore[no-untyped-def]
    for role in ("advisor", "partner_contact", "national_coordinator"):
        client = client_for(world.users[role])
        response = client.post(
            url("plan_item_edit", world, pk=world.plan_item_own.pk),
            {"area": world.plan_area.pk, "title_sv": "Ändrad", "responsible_text": "X"},
        )
        assert response.status_code == 403, role
        response = client.post(url("plan_move", world, pk=world.plan.pk), {"move": "close"})
        assert response.status_code == 403, role
    world.plan_item_own.refresh_from_db()
    world.plan.refresh_from_db()
    assert world.plan_item_own.title_sv == "Lokala mötesplatser"
    assert world.plan.state == Plan.State.ADOPTED


def test_a_partner_contact_reports_on_their_own_item_only(world) -> None:  # type: ignore[no-untyped-def]
    contact = world.users["partner_contact"]
    client = client_for(contact)
    response = client.post(
        url("plan_followup_create", world, pk=world.plan_item_own.pk),
        {"status": "delayed", "text": "Lokalen är inte klar.", "reported_on": "2021-06-01"},
    )
    assert response.status_code == 302
    report = world.plan_item_own.followups.latest("reported_on")
    assert (report.status, report.reported_by, report.reported_on) == (
        "delayed",
        contact,
        D(2021, 6, 1),
    )
    count = FollowUp.objects.count()
    for item in (world.plan_item_other, world.plan_item_board):
        assert client.get(url("plan_followup_create", world, pk=item.pk)).status_code == 403
        response = client.post(
            url("plan_followup_create", world, pk=item.pk), {"status": "done", "text": "Klart"}
        )
        assert response.status_code == 403
    with pytest.raises(ValidationError, match="your organisation is responsible for"):
        services.followup_create(item=world.plan_item_other, actor=contact, status="done", text="x")
    assert FollowUp.objects.count() == count
    # The item's page offers the report only where the contact may make it.
    own = client.get(url("plan_item", world, pk=world.plan_item_own.pk)).content.decode()
    other = client.get(url("plan_item", world, pk=world.plan_item_other.pk)).content.decode()
    assert "Report on the item" in own and "Report on the item" not in other
    assert "Lokalen är inte klar." in own
    # Coordinators and advisors report on every item.
    response = client_for(world.users["advisor"]).post(
        url("plan_followup_create", world, pk=world.plan_item_board.pk),
        {"status": "on_track", "text": "Två nya medlemmar.", "reported_on": "2021-02-01"},
    )
    assert response.status_code == 302
    assert world.plan_item_board.followups.get().reported_by == world.users["advisor"]


def test_reports_are_checked_and_a_refusal_keeps_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["coordinator"])
    count = FollowUp.objects.count()
    target = url("plan_followup_create", world, pk=world.plan_item_other.pk)
    response = client.post(target, {"status": "done", "text": "", "reported_on": "2099-01-01"})
    page = response.content.decode()
    assert response.status_code == 200 and "error-summary" in page
    response = client.post(target, {"status": "done", "text": "Klart", "reported_on": "2099-01-01"})
    assert "A report cannot be dated in the future." in response.content.decode()
    # Presented at a meeting: dated no later than the meeting.
    response = client.post(
        target,
        {
            "status": "done",
            "text": "Klart",
            "reported_on": "2021-04-01",
            "meeting": world.plan_meeting.pk,
        },
    )
    assert "dated no later than the meeting" in response.content.decode()
    # Only an adopted plan takes reports.
    services.plan_move(plan=world.plan, actor=None, move="close")
    response = client.post(target, {"status": "done", "text": "Klart", "reported_on": "2021-04-01"})
    assert "adopted plan only" in response.content.decode()
    assert FollowUp.objects.count() == count


def test_the_status_as_of_a_day_is_the_latest_report_then(world) -> None:  # type: ignore[no-untyped-def]
    item = world.plan_item_other
    for day, status in [(D(2020, 3, 1), "not_started"), (D(2021, 9, 1), "on_track")]:
        services.followup_create(item=item, actor=None, status=status, text="…", reported_on=day)
    services.followup_create(
        item=item, actor=None, status="done", text="Klart", reported_on=D(2022, 5, 5)
    )
    item = selectors.item_get_for(
        user=world.users["coordinator"], partnership=world.partnership, pk=item.pk
    )
    assert selectors.status_on(item, D(2020, 2, 28)) is None
    assert selectors.status_on(item, D(2020, 3, 1)).status == "not_started"  # type: ignore[union-attr]
    assert selectors.status_on(item, D(2022, 5, 4)).status == "on_track"  # type: ignore[union-attr]
    assert selectors.status_on(item, None).status == "done"  # type: ignore[union-attr]
    page = client_for(world.users["coordinator"]).get(url("plan", world)).content.decode()
    assert "Done" in page and "2022-05-05" in page


def _second_meeting(world):  # type: ignore[no-untyped-def]
    """A plenary meeting in the autumn of 2021, after the world's in March."""
    return activity_services.activity_create(
        partnership=world.partnership,
        actor=None,
        kind="plenary",
        title_sv="Stormöte i Kumla",
        title_en="Plenary meeting in Kumla",
        starts_at=at(D(2021, 10, 6), 13),
        ends_at=at(D(2021, 10, 6), 16),
        is_public=False,
    )


def test_the_follow_up_for_a_plenary_meeting(world) -> None:  # type: ignore[no-untyped-def]
    autumn = _second_meeting(world)
    services.followup_create(
        item=world.plan_item_other,
        actor=None,
        status="delayed",
        text="Rådgivaren är föräldraledig.",
        reported_on=D(2021, 5, 2),
    )
    services.followup_create(
        item=world.plan_item_own,
        actor=None,
        status="done",
        text="Tre mötesplatser hölls.",
        reported_on=D(2021, 12, 1),
    )
    client = client_for(world.users["partner_contact"])
    page = client.get(url("plan_meeting", world, pk=autumn.pk)).content.decode()
    # Since the previous plenary meeting (10 March): the May report; the March report was the
    # previous meeting's and the December one comes after.
    assert "Rådgivaren är föräldraledig." in page
    assert "Två mötesplatser har hållits i Hällefors." not in page
    assert "Tre mötesplatser hölls." not in page
    assert "Reports since the previous plenary meeting on 10 March 2021." in page
    # The status on the meeting's day: the own item still on track, not yet done.
    assert "On track" in page and ">Done<" not in page
    # The contact is offered a report at this meeting on their own item only.
    own_report = url("plan_followup_create", world, pk=world.plan_item_own.pk)
    other_report = url("plan_followup_create", world, pk=world.plan_item_other.pk)
    assert f"{own_report}?meeting={autumn.pk}" in page and other_report not in page
    march = client.get(url("plan_meeting", world, pk=world.plan_meeting.pk)).content.decode()
    assert "Två mötesplatser har hållits i Hällefors." in march
    assert "this is the first plenary meeting" in march
    # Attaching a report to the meeting: dated the meeting's day, back to its page.
    form = client.get(f"{own_report}?meeting={autumn.pk}").content.decode()
    assert f'<option value="{autumn.pk}" selected>' in form
    response = client.post(
        own_report, {"status": "on_track", "text": "Tredje träffen bokad.", "meeting": autumn.pk}
    )
    assert response["Location"] == url("plan_meeting", world, pk=autumn.pk)
    report = FollowUp.objects.get(text="Tredje träffen bokad.")
    assert report.meeting == autumn and report.reported_on == D(2021, 10, 6)
    # The meeting's page links to the follow-up; a meeting of a year without a plan does not.
    detail = client.get(url("activity_detail", world, pk=autumn.pk)).content.decode()
    assert url("plan_meeting", world, pk=autumn.pk) in detail
    later = activity_services.activity_create(
        partnership=world.partnership,
        actor=None,
        kind="plenary",
        title_sv="Stormöte 2024",
        starts_at=at(D(2024, 2, 6), 13),
        ends_at=at(D(2024, 2, 6), 16),
        is_public=False,
    )
    detail = client.get(url("activity_detail", world, pk=later.pk)).content.decode()
    assert "Follow-up of the activity plan" not in detail
    assert client.get(url("plan_meeting", world, pk=later.pk)).status_code == 404


def test_the_follow_up_as_pdf_and_docx(world) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2
    from docx import Document

    client = client_for(world.users["coordinator"])
    pk = world.plan_meeting.pk
    response = client.get(url("plan_meeting_file", world, pk=pk, fmt="pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = " ".join(
        " ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))
    )
    assert "Follow-up of the activity plan" in text
    assert "Meeting places" in text and "Local meeting places" in text
    assert "Två mötesplatser har hållits i Hällefors." in text
    assert "Styrelsen" in text and "No report yet" in text
    response = client.get(url("plan_meeting_file", world, pk=pk, fmt="docx"))
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Meeting places"]
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == [
        "Item",
        "Responsible",
        "Status on 10 March 2021",
        "Reported since the previous meeting",
    ]
    by_item = {r[0]: r for r in rows[1:]}
    assert by_item["Local meeting places"][1] == "Hällefors kommun"
    assert by_item["Local meeting places"][2] == "On track"
    assert "Två mötesplatser har hållits i Hällefors." in by_item["Local meeting places"][3]
    assert by_item["More members"][1:] == ["Styrelsen", "No report yet", "–"]
    assert client.get(url("plan_meeting_file", world, pk=pk, fmt="odt")).status_code == 404


def test_the_yearly_report_includes_the_follow_up_frozen_at_publication(world) -> None:  # type: ignore[no-untyped-def]
    from soin.reports import documents
    from soin.reports import services as report_services
    from soin.reports.tests.documents import docx_tables, html_tables

    coordinator = world.users["coordinator"]
    services.followup_create(
        item=world.plan_item_own,
        actor=None,
        status="done",
        text="Klart.",
        reported_on=D(2022, 1, 10),
    )
    report = report_services.report_create(
        partnership=world.partnership, actor=coordinator, year=2021
    )
    report = report_services.report_move(report=report, actor=coordinator, move="publish")
    frozen = report.figures["plan"]
    assert frozen["title"]["en"] == "Activity plan 2020–2022"
    items = {i["title"]["sv"]: i for i in frozen["items"]}
    # At the end of 2021: on track (the 2022 report is after the year).
    assert items["Lokala mötesplatser"]["status"] == "on_track"
    assert [r["text"] for r in items["Lokala mötesplatser"]["reports"]] == [
        "Två mötesplatser har hållits i Hällefors."
    ]
    assert "reported_by" not in items["Lokala mötesplatser"]["reports"][0]
    assert items["Fler medlemmar"]["status"] == ""
    # A report made after publication does not change the published report.
    services.followup_create(
        item=world.plan_item_board,
        actor=None,
        status="done",
        text="Sent",
        reported_on=D(2021, 12, 30),
    )
    for tables in (
        html_tables(documents.report_html(report, "en")),
        docx_tables(documents.report_docx(report, "en")),
    ):
        header, *rows = tables["Follow-up of the activity plan, 2021"]
        assert header[-2:] == ["Status at the end of the year", "Reported during the year"]
        by_item = {r[1]: r for r in rows}
        assert by_item["Local meeting places"][2:4] == ["Hällefors kommun", "On track"]
        assert "10 March 2021, On track: Två mötesplatser" in by_item["Local meeting places"][4]
        assert by_item["More members"][2:] == ["Styrelsen", "No report yet", "–"]
    # A year no plan covers has no follow-up.
    draft = report_services.report_create(
        partnership=world.partnership, actor=coordinator, year=2019
    )
    assert documents.figures_for(draft)["plan"] is None
    assert not any(
        c.startswith("Follow-up") for c in html_tables(documents.report_html(draft, "en"))
    )


def test_the_demo_plans(reference_data) -> None:  # type: ignore[no-untyped-def]
    """The plans' demo on the demo partners, people and meetings it builds on."""
    from soin.activities import demo as activities_demo
    from soin.core import demo as core_demo
    from soin.partners import demo as partners_demo
    from soin.plans import demo
    from soin.reports.documents import outline
    from soin.reports.models import YearlyReport

    partnership = core_demo.ensure_partnership()
    partners_demo.seed(partnership=partnership)
    core_demo.ensure_users(partnership)
    coordinator = core_demo.User.objects.get(email="samordnare@example.org")
    activities_demo.seed(partnership=partnership, actor=coordinator)
    assert demo.seed(partnership=partnership, actor=coordinator) == {"plans": 2}
    assert demo.seed(partnership=partnership, actor=coordinator) == {"plans": 2}  # idempotent
    lsek = Plan.objects.get(first_year=2011)
    assert lsek.state == Plan.State.CLOSED
    assert [a.title_sv for a in lsek.areas.all()] == [
        "Kunskap och kompetens",
        "Innovationer och entreprenörskap",
        "Mötesplatser",
    ]
    items = {i.title_sv: i for i in Item.objects.filter(area__plan=lsek)}
    assert len(items) == 13
    assert [o.name for o in items["Eldsjälsakademi"].responsible.all()] == [
        "Arbetarnas bildningsförbund"
    ]
    assert {o.name for o in items["Rådgivning"].responsible.all()} == {
        "Länsbygderådet Örebro län",
        "Coompanion",
    }
    assert items["Information"].responsible_text == "Verksamhetsledaren"
    assert not items["Medlemmar"].responsible.exists()
    assert all(i.title_en and i.description_en for i in items.values())
    plan = Plan.objects.get(first_year=2017)
    reports = FollowUp.objects.filter(item__area__plan=plan)
    assert reports.count() >= 10 and not reports.filter(meeting__isnull=True).exists()
    assert {r.reported_by.email for r in reports} == {  # type: ignore[union-attr]
        "samordnare@example.org",
        "radgivare@example.org",
        "kontakt@example.org",
    }
    # The 2017 report shows the plan's follow-up at the year's end.
    report = YearlyReport.objects.create(partnership=partnership, year=2017)
    doc = outline(report, "en")
    meetings = next(s for s in doc.sections if s.key == "meetings")
    table = next(b for b in meetings.blocks if b.caption.startswith("Follow-up of the activity"))
    assert table.caption == "Follow-up of the activity plan, 2017"
    assert len(table.rows) == 6
    outreach = next(r for r in table.rows if r[1] == "Outreach in the county's municipalities")
    assert outreach[2:4] == ["Stiftelsen Cesam", "Done"]
