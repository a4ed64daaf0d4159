"""The impact pages through HTTP, as the people who use them: analyses with their impact map,
results, payback and sensitivity; the parts; XLSX and PDF; the bank of proxies."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL, OTHER, login
from soin.impact import services
from soin.impact.models import Analysis, FinancialProxy, Outcome

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(world, role: str = COORDINATOR) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    login(client, world.users[role])
    return client


def url(name: str, world, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"staff:{name}", kwargs={"partnership": world.partnership.slug, **kwargs})


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's words, tags dropped and spaces squeezed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(body))


def test_the_landing_page_lists_analyses_with_their_ratio(world) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world, ADVISOR).get(url("impact", world))
    assert response.status_code == 200
    page = text(response)
    assert "Lånecyklarnas värde" in page and "3.25" in page
    # Another partnership's analysis is not listed.
    assert "Värmlands analys" not in page
    assert url("impact_proxies", world) in response.content.decode()


def test_the_analysis_page_shows_the_map_results_payback_and_sensitivity(world) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world).get(url("impact_analysis", world, pk=world.impact_analysis.pk))
    page = text(response)
    assert "Outcomes for Deltagare" in page and "Inputs of Deltagare" in page
    assert "1,417,500" in page and "1,134,000" in page and "907,200" in page
    assert "Total present value (SEK) 3,246,409" in page
    assert "SROI ratio 3.25" in page
    assert "Net SROI ratio 2.25" in page
    assert "Payback period 9 months" in page
    # What the payback period means is said beside it, and the bounds of the sensitivity steps.
    assert (
        "The payback period is the time from the start of the first year until the present "
        "values, added up year by year, reach the investment" in page
    )
    assert "A share is kept between 0 and 100 percent and a duration between 1 and 50" in page
    # Sensitivity: deadweight 10 points lower raises the ratio, the 0 % rate gives 3.46.
    assert "Deadweight, every outcome 10 percentage points lower 3.68" in page
    assert "10 percentage points higher 2.81" in page
    assert "Discount rate 0 % 3.46 6 %" in page
    assert "Proxy of “Arbete efter insatsen” 20 % lower 2.60 20 % higher 3.90" in page
    # The chart of the present value per year, drawn with its numbers.
    assert '<svg role="img"' in response.content.decode()
    assert "Present value per year (SEK)" in page


def test_an_analysis_is_built_through_its_pages(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, ADVISOR)
    response = client.post(
        url("impact_analysis_new", world),
        {
            "title": "Kulturfestivalen",
            "entry": world.entry.pk,
            "first_year": "2019",
            "discount_rate": "3.5",
        },
    )
    analysis = Analysis.objects.get(title="Kulturfestivalen")
    assert response.status_code == 302 and response["Location"].endswith(f"/{analysis.pk}/")
    page = text(client.get(url("impact_analysis", world, pk=analysis.pk)))
    assert "no ratio without an investment" in page
    client.post(
        url("impact_stakeholder_add", world, pk=analysis.pk),
        {"name": "Besökare", "description": "De som kommer"},
    )
    stakeholder = analysis.stakeholders.get()
    client.post(
        url("impact_input_add", world, pk=analysis.pk),
        {"stakeholder": stakeholder.pk, "description": "Arrangemang", "value": "100000"},
    )
    response = client.post(
        url("impact_outcome_add", world, pk=analysis.pk),
        {
            "stakeholder": stakeholder.pk,
            "output": "500 besökare",
            "description": "Fler möten",
            "indicator": "Antal besökare som träffat någon ny",
            "quantity": "100",
            "proxy_value": "1000",
            "proxy_source": "Exempelvärde för testet",
            "deadweight": "0",
            "displacement": "0",
            "attribution": "50",
            "drop_off": "0",
            "duration": "2",
        },
    )
    assert response.status_code == 302
    analysis.discount_rate = D(0)
    analysis.save()
    page = text(client.get(url("impact_analysis", world, pk=analysis.pk)))
    # 100 × 1 000 × 50 % = 50 000 a year for two years, undiscounted, over 100 000: 1.00.
    assert "Total present value (SEK) 100,000" in page
    assert "SROI ratio 1.00" in page
    assert "Payback period 2 years" in page
    # Change the outcome, then remove it and its stakeholder's parts.
    outcome = analysis.outcomes.get()
    response = client.post(
        url("impact_outcome_edit", world, pk=analysis.pk, item=outcome.pk),
        {
            "stakeholder": stakeholder.pk,
            "description": "Fler möten",
            "indicator": "Antal",
            "quantity": "200",
            "proxy_value": "1000",
            "proxy_source": "Exempelvärde för testet",
            "deadweight": "0",
            "displacement": "0",
            "attribution": "50",
            "drop_off": "0",
            "duration": "2",
        },
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.quantity == D(200)
    client.post(url("impact_outcome_remove", world, pk=analysis.pk, item=outcome.pk))
    item = analysis.inputs.get()
    client.post(url("impact_input_remove", world, pk=analysis.pk, item=item.pk))
    client.post(url("impact_stakeholder_remove", world, pk=analysis.pk, item=stakeholder.pk))
    assert not analysis.stakeholders.exists() and not analysis.outcomes.exists()


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world)
    analysis = world.impact_analysis
    before = Outcome.objects.count()
    response = client.post(
        url("impact_outcome_add", world, pk=analysis.pk),
        {
            "stakeholder": world.impact_stakeholder.pk,
            "description": "Något",
            "indicator": "Antal",
            "quantity": "5",
            "deadweight": "120",
            "displacement": "0",
            "attribution": "0",
            "drop_off": "0",
            "duration": "60",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "Deadweight (%): Enter a percentage from 0 to 100." in page
    assert "Duration (years): Enter a duration from 1 to 50 years." in page
    assert Outcome.objects.count() == before
    # The service's rule (a proxy from the bank or one's own) shows next to its field.
    response = client.post(
        url("impact_outcome_add", world, pk=analysis.pk),
        {
            "stakeholder": world.impact_stakeholder.pk,
            "description": "Något",
            "indicator": "Antal",
            "quantity": "5",
            "deadweight": "0",
            "displacement": "0",
            "attribution": "0",
            "drop_off": "0",
            "duration": "1",
        },
    )
    assert "Choose a proxy from the bank or enter its value in SEK for this analysis." in text(
        response
    )
    assert Outcome.objects.count() == before
    # The stakeholder's name is unique in the analysis.
    response = client.post(
        url("impact_stakeholder_add", world, pk=analysis.pk), {"name": "deltagare"}
    )
    assert "The analysis already has a stakeholder of that name." in text(response)


def test_the_national_coordinator_reads_but_does_not_change(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, NATIONAL)
    page = client.get(url("impact_analysis", world, pk=world.impact_analysis.pk))
    assert page.status_code == 200
    assert (
        url("impact_analysis_edit", world, pk=world.impact_analysis.pk) not in page.content.decode()
    )
    assert (
        client.get(url("impact_analysis_edit", world, pk=world.impact_analysis.pk)).status_code
        == 403
    )
    assert client_for(world, CONTACT).get(url("impact", world)).status_code == 403
    # Another partnership's analysis is not found under this partnership's address.
    assert (
        client_for(world)
        .get(url("impact_analysis", world, pk=world.impact_other_analysis.pk))
        .status_code
        == 404
    )


def test_a_newer_proxy_version_is_announced_and_can_be_taken(world) -> None:  # type: ignore[no-untyped-def]
    new = services.proxy_new_version(
        proxy=world.impact_proxy,
        actor=world.users[NATIONAL],
        partnership=None,
        value=D(160000),
        price_year=2018,
    )
    services.proxy_move(proxy=new, actor=world.users[NATIONAL], move="approve")
    client = client_for(world)
    analysis_url = url("impact_analysis", world, pk=world.impact_analysis.pk)
    page = text(client.get(analysis_url))
    assert "A newer version of this proxy exists (version 2, 160,000 SEK)." in page
    assert "SROI ratio 3.25" in page
    response = client.post(
        url(
            "impact_outcome_proxy_update",
            world,
            pk=world.impact_analysis.pk,
            item=world.impact_outcome.pk,
        )
    )
    assert response.status_code == 302
    page = text(client.get(analysis_url))
    assert "A newer version" not in page
    assert "SROI ratio 3.46" in page  # 160 000 / 150 000 × 3.2464


def test_the_analysis_downloads_as_a_workbook(world) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    analysis = world.impact_analysis
    first = analysis.outcomes.get()
    # A second outcome of the same stakeholder, worth nothing, so the figures stay the same.
    services.outcome_add(
        analysis=analysis,
        actor=None,
        stakeholder=first.stakeholder,
        description="Bättre hälsa",
        indicator="Antal deltagare",
        quantity=D(0),
        proxy=first.proxy,
        deadweight=D(0),
        displacement=D(0),
        attribution=D(0),
        drop_off=D(0),
        duration=1,
    )
    response = client_for(world, ADVISOR).get(
        url("impact_analysis_download", world, pk=world.impact_analysis.pk, fmt="xlsx")
        + "?language=en"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Impact map", "Impact per year", "Sensitivity"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Total present value (SEK)"] == 3246409
    assert summary["SROI ratio"] == 3.25
    assert summary["Payback period"] == "9 months"
    years = list(book["Impact per year"].iter_rows(values_only=True))
    assert years[0] == ("Outcome", "2017", "2018", "2019")
    assert years[1] == ("Arbete efter insatsen", 1417500, 1134000, 907200)
    impact_map = list(book["Impact map"].iter_rows(min_row=2, values_only=True))
    assert impact_map[0][0] == "Deltagare" and impact_map[0][13] == 1417500
    # The stakeholder's inputs stand once, so the column adds up to the investment.
    assert len(impact_map) == 2 and sum(r[1] or 0 for r in impact_map) == 1000000
    sensitivity = {r[0]: r for r in book["Sensitivity"].iter_rows(min_row=2, values_only=True)}
    assert sensitivity["Discount rate"][2] == 3.46


def test_the_analysis_downloads_as_a_pdf(world) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2

    response = client_for(world).get(
        url("impact_analysis_download", world, pk=world.impact_analysis.pk, fmt="pdf")
        + "?language=en"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    pdf = pypdfium2.PdfDocument(response.content)
    words = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    words = re.sub(r"\s+", " ", words)
    assert "Lånecyklarnas värde" in words
    assert "Impact map" in words and "Sensitivity" in words
    assert "3,246,409" in words and "3.25" in words and "9 months" in words


def test_the_bank_lists_searches_and_exports_approved_proxies(world) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    client = client_for(world, ADVISOR)
    page = text(client.get(url("impact_proxies", world)))
    assert "Arbete efter insatsen" in page
    # The proposal waits in its own list, not in the bank.
    assert "Proposals awaiting a decision" in page and "Minskat försörjningsstöd" in page
    found = text(client.get(url("impact_proxies", world) + "?q=nothing-like-it"))
    assert "No approved proxies match." in found
    filtered = text(client.get(url("impact_proxies", world) + "?stakeholder=Deltagare"))
    assert "Arbete efter insatsen" in filtered
    csv = client.get(url("impact_proxies_download", world, fmt="csv"))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Stakeholder;Outcome;Indicator;Proxy value")
    assert lines[1].startswith("Deltagare;Arbete efter insatsen;")
    assert len(lines) == 2
    xlsx = client.get(url("impact_proxies_download", world, fmt="xlsx"))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][:6] == (
        "Deltagare",
        "Arbete efter insatsen",
        "Antal deltagare i arbete ett år senare",
        150000,
        "SEK",
        2017,
    )


def test_a_proxy_is_proposed_approved_and_versioned_through_the_pages(world) -> None:  # type: ignore[no-untyped-def]
    advisor = client_for(world, ADVISOR)
    response = advisor.post(
        url("impact_proxy_propose", world),
        {
            "stakeholder": "Deltagare",
            "outcome": "Ökat välbefinnande",
            "indicator": "Antal deltagare",
            "value": "20000",
            "currency": "sek",
            "price_year": "2018",
            "source": "Exempelvärde för testet",
        },
    )
    proxy = FinancialProxy.objects.get(outcome="Ökat välbefinnande")
    assert response.status_code == 302
    assert proxy.state == "proposed" and proxy.currency == "SEK"
    assert proxy.proposed_in == world.partnership
    detail = url("impact_proxy", world, pk=proxy.pk)
    # The advisor sees no approve button, and may not approve.
    assert "Approve" not in text(advisor.get(detail))
    move = url("impact_proxy_move", world, pk=proxy.pk)
    assert advisor.post(move, {"move": "approve"}).status_code == 403
    # The national coordinator approves (from any partnership's address).
    national = client_for(world, NATIONAL)
    assert "Approve" in text(national.get(detail))
    national.post(move, {"move": "approve"})
    proxy.refresh_from_db()
    assert proxy.state == "approved"
    # A new version, proposed by the advisor, replaces it once approved.
    response = advisor.post(
        url("impact_proxy_new_version", world, pk=proxy.pk),
        {
            "stakeholder": "Deltagare",
            "outcome": "Ökat välbefinnande",
            "indicator": "Antal deltagare",
            "value": "25000",
            "currency": "SEK",
            "price_year": "2019",
            "source": "Exempelvärde för testet, uppdaterat",
        },
    )
    new = FinancialProxy.objects.get(previous=proxy)
    assert response.status_code == 302 and new.version == 2
    national.post(url("impact_proxy_move", world, pk=new.pk), {"move": "approve"})
    proxy.refresh_from_db()
    assert proxy.state == "retired" and proxy.value == D(20000)
    page = text(advisor.get(detail))
    assert "Replaced by a newer version" in page and "Versions" in page and "25,000" in page
    # A rejection without a reason is refused with a message.
    other = services.proxy_propose(
        actor=world.users[COORDINATOR],
        partnership=world.partnership,
        stakeholder="A",
        outcome="B",
        indicator="C",
        value=D(1),
        price_year=2018,
        source="D",
    )
    response = national.post(
        url("impact_proxy_move", world, pk=other.pk), {"move": "reject"}, follow=True
    )
    assert "Give the reason." in text(response)
    other.refresh_from_db()
    assert other.state == "proposed"


def test_a_coordinator_of_another_partnership_reaches_the_bank_only_under_their_own_address(  # type: ignore[no-untyped-def]
    world,
) -> None:
    client = client_for(world, OTHER)
    mine = reverse(
        "staff:impact_proxy",
        kwargs={"partnership": world.other_partnership.slug, "pk": world.impact_proxy.pk},
    )
    assert client.get(mine).status_code == 200
    assert client.get(url("impact_proxy", world, pk=world.impact_proxy.pk)).status_code == 403


def test_the_landing_page_does_not_ask_more_of_the_database_with_more_analyses(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("impact", world)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        analysis = services.analysis_create(
            partnership=world.partnership,
            actor=None,
            title=f"Analys {n}",
            idea=world.idea,
            first_year=2018,
        )
        stakeholder = services.stakeholder_add(analysis=analysis, actor=None, name="Deltagare")
        services.input_add(
            analysis=analysis, actor=None, stakeholder=stakeholder, description="X", value=D(10)
        )
        services.outcome_add(
            analysis=analysis,
            actor=None,
            stakeholder=stakeholder,
            description="Y",
            indicator="Z",
            quantity=D(1),
            proxy=world.impact_proxy,
        )
    assert queries() == before


def test_a_joint_project_is_analysed_and_its_page_lists_the_analysis(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, ADVISOR)
    project = world.funding_project
    both = {
        "title": "Projektets värde",
        "idea": world.idea.pk,
        "project": project.pk,
        "first_year": "2019",
        "discount_rate": "3.5",
    }
    refused = client.post(url("impact_analysis_new", world), both)
    assert refused.status_code == 200 and "one joint project" in text(refused)
    assert not Analysis.objects.filter(title="Projektets värde").exists()
    del both["idea"]
    response = client.post(url("impact_analysis_new", world), both)
    analysis = Analysis.objects.get(title="Projektets värde")
    assert response.status_code == 302 and analysis.project == project
    project_page = reverse(
        "staff:funding_project_detail",
        kwargs={"partnership": world.partnership.slug, "pk": project.pk},
    )
    assert "Projektets värde" in text(client.get(project_page))
    assert project.name in text(client.get(url("impact_analysis", world, pk=analysis.pk)))
    # A partner contact reads the project but not its analyses.
    contact_page = text(client_for(world, CONTACT).get(project_page))
    assert "Impact analyses" not in contact_page and "Projektets värde" not in contact_page
    # Another partnership's project is refused.
    with pytest.raises(ValidationError) as error:
        services.analysis_create(
            partnership=world.other_partnership,
            actor=None,
            title="Fel",
            first_year=2019,
            project=project,
        )
    assert error.value.message_dict["project"] == ["Choose a project of this partnership."]
