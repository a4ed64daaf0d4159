"""Yearly reports and key figures: the rules of their services, and the report's life through
the back office (narrative, publish with frozen figures, reopen)."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soin.audit.models import AuditEntry
from soin.core.errors import TransitionNotAllowed
from soin.core.testing import ADVISOR, COORDINATOR, login
from soin.ideas import services as idea_services
from soin.regions.models import Municipality
from soin.reports import documents, selectors, services
from soin.reports.models import KeyFigure, Measure, ReportEvent, YearlyReport
from soin.reports.tests.documents import docx_tables, docx_text, html_tables, html_text

pytestmark = pytest.mark.django_db


def test_a_report_per_partnership_and_year(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    with pytest.raises(ValidationError) as error:
        services.report_create(partnership=world.partnership, actor=coordinator, year=2017)
    assert "2017" in str(error.value)
    with pytest.raises(ValidationError):
        services.report_create(
            partnership=world.partnership, actor=coordinator, year=timezone.localdate().year + 1
        )
    # The other partnership has its own 2017.
    other = services.report_create(partnership=world.other_partnership, actor=None, year=2017)
    assert other.state == YearlyReport.State.DRAFT
    assert ReportEvent.objects.filter(report=other, kind="created").count() == 1
    assert AuditEntry.objects.filter(
        action="yearly_report.create", object_pk=str(other.pk)
    ).exists()


def test_the_narrative_is_checked_and_saved_whole(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    report = world.report
    with pytest.raises(ValidationError):
        services.report_update(report=report, actor=coordinator, narrative={"nothing": {"sv": "x"}})
    with pytest.raises(ValidationError):
        services.report_update(
            report=report,
            actor=coordinator,
            narrative={"background": {"sv": "Bra"}, "projects": {"sv": "x" * 20_001}},
        )
    report.refresh_from_db()
    assert report.narrative == {}  # nothing of the refused change was kept
    services.report_update(
        report=report,
        actor=coordinator,
        narrative={"background": {"sv": "Så började det.\r\n\r\nSedan växte det.", "en": "How"}},
    )
    report.refresh_from_db()
    assert report.text("background", "sv") == "Så började det.\n\nSedan växte det."
    assert report.events.filter(kind="edited").count() == 1
    html = documents.report_html(report, "sv")
    assert "<p>Så började det.</p>" in html and "<p>Sedan växte det.</p>" in html


def test_publishing_freezes_the_figures(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    report = services.report_move(report=world.report, actor=coordinator, move="publish")
    assert report.version == 1 and report.published_by == coordinator
    frozen = html_tables(documents.report_html(report, "en"))
    # The data changes after publication: a new idea of 2017, a partner leaves in 2017.
    idea_services.idea_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="phone",
        received_on=datetime.date(2017, 10, 1),
        title="Sent inkommen idé",
        description="Kom efteråt.",
        carrier_category="private",
    )
    from soin.partners.services import membership_end

    membership_end(
        organisation=world.own_org, actor=coordinator, left_on=datetime.date(2017, 6, 30)
    )
    from soin.regions.services import partnership_update

    partnership_update(partnership=world.partnership, actor=coordinator, about_en="Changed.")
    report.refresh_from_db()
    assert html_tables(documents.report_html(report, "en")) == frozen
    assert "Changed." not in documents.report_html(report, "en")
    live = documents.outline(YearlyReport(partnership=world.partnership, year=2017), "en")
    assert len(live.sections) and live != documents.outline(report, "en")
    # Reopening needs a reason, lets the frozen figures go and shows the data as it is.
    with pytest.raises(ValidationError):
        services.report_move(report=report, actor=coordinator, move="reopen")
    report = services.report_move(
        report=report, actor=coordinator, move="reopen", note="En idé kom till"
    )
    assert report.figures == {}
    reopened = html_tables(documents.report_html(report, "en"))
    assert reopened != frozen
    assert "Changed." in documents.report_html(report, "en")
    ideas = next(rows for caption, rows in reopened.items() if caption == "The ideas of the year")
    assert "Sent inkommen idé" in [r[0] for r in ideas]
    report = services.report_move(report=report, actor=coordinator, move="publish")
    assert report.version == 2
    moves = list(report.events.filter(kind="moved").values_list("to_state", "note"))
    assert moves == [("published", ""), ("draft", "En idé kom till"), ("published", "")]
    # The first version's figures stay with its publication on the timeline.
    first = report.events.filter(kind="moved", to_state="published").first()
    assert first is not None and len(first.figures["ideas"]) == len(report.figures["ideas"]) - 1
    # The audit log keeps the steps without the whole frozen document.
    entry = AuditEntry.objects.filter(action="yearly_report.publish").latest("pk")
    assert "figures" not in (entry.after or {})


def test_a_published_report_cannot_be_edited_and_only_coordinators_publish(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionNotAllowed) as error:
        services.report_move(report=world.report, actor=world.users[ADVISOR], move="publish")
    assert error.value.code == "role"
    with pytest.raises(TransitionNotAllowed) as error:
        services.report_update(
            report=world.published_report,
            actor=world.users[COORDINATOR],
            narrative={"background": {"sv": "Ny"}},
        )
    assert error.value.code == "state"
    with pytest.raises(TransitionNotAllowed):
        services.report_move(report=world.report, actor=None, move="reopen", note="x")


def test_the_report_through_the_back_office(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[COORDINATOR])
    kwargs = {"partnership": "orebro", "year": 2017}
    response = client.post(
        reverse("staff:report_edit", kwargs=kwargs),
        {"background_sv": "Vår historia.", "background_en": "Our story.", "projects_sv": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:report", kwargs=kwargs) + "?language=en")
    assert "Our story." in page.content.decode()
    assert page.content.decode().count("<svg") == 2  # the map and the challenges chart
    response = client.post(reverse("staff:report_move", kwargs=kwargs), {"move": "reopen"})
    assert response.status_code == 302  # a draft cannot be reopened: said as a message
    follow = client.get(reverse("staff:report", kwargs=kwargs))
    assert "kan inte ta steget" in follow.content.decode()
    client.post(reverse("staff:report_move", kwargs=kwargs), {"move": "publish"})
    assert YearlyReport.objects.get(pk=world.report.pk).state == "published"
    edit = client.get(reverse("staff:report_edit", kwargs=kwargs))
    assert edit.status_code == 302  # published: back to the report with a message
    # The published report is public, as a page and as files; the draft was not.
    public = client.get(reverse("public:report", kwargs=kwargs))
    assert public.status_code == 200 and "Vår historia." in public.content.decode()
    docx = client.get(
        reverse("public:report_download", kwargs={**kwargs, "fmt": "docx"})
    ).getvalue()
    assert "Vår historia." in docx_text(docx)
    pdf = client.get(reverse("staff:report_download", kwargs={**kwargs, "fmt": "pdf"}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("staff:report_download", kwargs={**kwargs, "fmt": "odt"})).status_code
        == 404
    )


def test_the_command_writes_each_format(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("html", "docx", "pdf"):
        output = tmp_path / f"rapport.{fmt}"
        call_command(
            "yearly_report",
            partnership="orebro",
            year=2017,
            format=fmt,
            output=str(output),
            language="en",
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        assert output.stat().st_size > 1000
    assert "Activity report 2017" in html_text((tmp_path / "rapport.html").read_text())
    # A year without a report started gives the report as the data has it.
    call_command(
        "yearly_report",
        partnership="orebro",
        year=2015,
        format="html",
        output=str(tmp_path / "2015.html"),
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    assert not YearlyReport.objects.filter(year=2015).exists()
    with pytest.raises(CommandError, match="no partnership 'nowhere'"):
        call_command(
            "yearly_report",
            partnership="nowhere",
            year=2017,
            format="pdf",
            output=str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "yearly_report",
            partnership="orebro",
            year=2017,
            format="pdf",
            output=str(tmp_path / "missing" / "x.pdf"),
        )


def test_volunteer_hours_as_full_time_equivalents() -> None:
    # Seed 001 annex 10: 7 376 619 hours of voluntary work stated as 10 485 full-time
    # equivalents, as that source counted (703.5 hours each).
    assert selectors.fte(Decimal(7376619), Decimal("703.5")) == 10485
    assert selectors.fte(Decimal(1700), Decimal(1700)) == 1
    assert selectors.fte(Decimal(3399), Decimal(1700)) == 1  # whole ones only
    assert selectors.fte(Decimal(849), Decimal(1700)) == 0


def test_key_figures_per_year_and_municipality(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    p = world.partnership
    kumla = Municipality.objects.get(code="1881")
    nora = Municipality.objects.get(code="1884")
    for municipality, value in ((kumla, 3), (nora, 2)):
        services.key_figure_create(
            partnership=p,
            actor=coordinator,
            year=2016,
            municipality=municipality,
            measure=Measure.COOPERATIVES,
            value=Decimal(value),
            source="Coompanion",
        )
    with pytest.raises(ValidationError, match="redan registrerat"):
        services.key_figure_create(
            partnership=p,
            actor=coordinator,
            year=2016,
            municipality=kumla,
            measure=Measure.COOPERATIVES,
            value=Decimal(4),
            source="Coompanion",
        )
    with pytest.raises(ValidationError):
        services.key_figure_create(
            partnership=p,
            actor=coordinator,
            year=2016,
            municipality=Municipality.objects.get(code="1780"),  # Karlstad, Värmland
            measure=Measure.COOPERATIVES,
            value=Decimal(1),
            source="Coompanion",
        )
    series = {y.year: y for y in selectors.economy_series(partnership=p)}
    assert series[2016].values[Measure.COOPERATIVES] == 5  # the municipalities added up
    assert series[2016].fte == selectors.fte(Decimal(7376619), p.fte_hours)
    # The region's own figure wins over the sum of its municipalities.
    regional = services.key_figure_create(
        partnership=p,
        actor=coordinator,
        year=2016,
        measure=Measure.COOPERATIVES,
        value=Decimal(40),
        source="SCB",
        source_url="https://www.scb.se/",
    )
    series = {y.year: y for y in selectors.economy_series(partnership=p)}
    assert series[2016].values[Measure.COOPERATIVES] == 40
    assert ("SCB", "https://www.scb.se/") in series[2016].sources
    services.key_figure_update(figure=regional, actor=coordinator, value=Decimal(41))
    assert KeyFigure.objects.get(pk=regional.pk).value == 41
    services.key_figure_delete(figure=regional, actor=coordinator)
    assert not KeyFigure.objects.filter(pk=regional.pk).exists()
    assert AuditEntry.objects.filter(action="key_figure.delete").count() == 1
    # Changing the hours per full-time equivalent changes the figure shown.
    from soin.regions.services import partnership_update

    partnership_update(partnership=p, actor=coordinator, fte_hours=Decimal("703.5"))
    p.refresh_from_db()
    series = {y.year: y for y in selectors.economy_series(partnership=p)}
    assert series[2016].fte == 10485


def test_key_figures_through_the_pages(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[COORDINATOR])
    url = reverse("staff:economy", kwargs={"partnership": "orebro"})
    bad = client.post(
        url, {"year": "2016", "measure": "volunteer_hours", "value": "-5", "source": ""}
    )
    assert bad.status_code == 200 and KeyFigure.objects.count() == 1
    again = client.post(
        url, {"year": "2016", "measure": "volunteer_hours", "value": "5", "source": "Egen"}
    )
    assert again.status_code == 200
    assert "redan" in again.content.decode()  # already entered for that year and place
    ok = client.post(
        url,
        {"year": "2015", "measure": "volunteer_hours", "value": "7000000", "source": "Egen"},
    )
    assert ok.status_code == 302
    public = client.get(reverse("public:economy", kwargs={"partnership": "orebro"}))
    text = html_text(public.content.decode())
    assert "Regionens kartläggning" in text
    chart = client.get(
        reverse(
            "public:economy_chart", kwargs={"partnership": "orebro", "measure": "volunteer_hours"}
        )
    )
    assert chart.status_code == 200 and b"7\xc2\xa0376\xc2\xa0619" in chart.content


def test_the_sitemap_lists_published_reports_only(client, world) -> None:  # type: ignore[no-untyped-def]
    xml = client.get("/sitemap.xml").content.decode()
    assert "/sv/orebro/reports/2016/</loc>" in xml
    assert "/en/orebro/reports/2016/" in xml
    assert "/reports/2017/" not in xml  # the draft
    assert "/sv/orebro/social-economy/</loc>" in xml


def test_the_public_report_names_only_ideas_published_in_the_bank(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    from soin.ideas.models import Idea

    referred = world.referred_idea
    Idea.objects.filter(pk=referred.pk).update(outcome_note="Internt: ring Kalle")
    report = services.report_move(report=world.report, actor=coordinator, move="publish")
    staff = next(
        rows
        for caption, rows in html_tables(documents.report_html(report, "sv")).items()
        if caption == "Årets idéer"
    )
    assert "Kulturfestival" in [r[0] for r in staff]
    assert "Internt: ring Kalle" in [r[3] for r in staff]
    client = Client()
    page = client.get(reverse("public:report", kwargs={"partnership": "orebro", "year": 2017}))
    public = html_text(page.content.decode())
    assert "Kulturfestival" not in public and "Internt" not in public
    assert "publicerad i kunskapsbanken" in public
    docx = client.get(
        reverse(
            "public:report_download", kwargs={"partnership": "orebro", "year": 2017, "fmt": "docx"}
        )
    ).getvalue()
    assert "Kulturfestival" not in docx_text(docx) and "Internt" not in docx_text(docx)


def test_names_that_are_not_plain_text_still_draw(world) -> None:  # type: ignore[no-untyped-def]
    """A dollar pair is not maths, a control character does not break Word or SVG."""
    from soin.activities.models import Activity
    from soin.ideas.models import Idea

    coordinator = world.users[COORDINATOR]
    world.other_org.name = "Kostar $\\foo$ kr"
    world.other_org.save(update_fields=["name"])
    Activity.objects.get(pk=world.activity.pk).hosts.add(world.other_org)
    Idea.objects.filter(pk=world.referred_idea.pk).update(title="Tab\x0bbed")
    client = Client()
    login(client, coordinator)
    chart = client.get(
        reverse("staff:statistics_chart", kwargs={"partnership": "orebro", "key": "engagement"})
        + "?year=&municipality="
    )
    assert chart.status_code == 200
    assert "Kostar $\\foo$ kr" in chart.content.decode()
    docx = client.get(
        reverse(
            "staff:report_download", kwargs={"partnership": "orebro", "year": 2017, "fmt": "docx"}
        )
    )
    assert docx.status_code == 200
    ideas = docx_tables(docx.content)["Årets idéer"]
    assert "Tabbed" in [row[0] for row in ideas]


def test_a_key_figure_not_entered_is_empty_not_zero(world) -> None:  # type: ignore[no-untyped-def]
    services.key_figure_create(
        partnership=world.partnership,
        actor=None,
        year=2017,
        measure=Measure.WAGES,
        value=Decimal(1000),
        source="SCB",
    )
    table = selectors.economy_table(partnership=world.partnership)
    rows = dict(table.rows)
    hours = table.columns.index(str(Measure.VOLUNTEER_HOURS.label))
    assert rows["2017"][hours] is None and rows["2016"][hours] == 7376619
    page = Client().get(reverse("public:economy", kwargs={"partnership": "orebro"}))
    cells = html_tables(page.content.decode())["Nyckeltal för den sociala ekonomin"]
    by_year = {row[0]: row for row in cells[1:]}
    assert by_year["2017"][hours + 1] == "–" and by_year["2016"][hours + 1] == "7 376 619"
