"""The shared project list: everyone with funding.view reads it; a partner contact adds and
changes only the projects their own organisation leads."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from soin.audit.models import AuditEntry
from soin.funding import services
from soin.funding.models import Project, ProjectResult

pytestmark = pytest.mark.django_db


def url(world, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"staff:{name}", kwargs={"partnership": world.partnership.slug, **kwargs})


def project_data(world, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "name": "Bergslagens bygdeväxt",
        "lead": world.own_org.pk,
        "partners": [world.other_org.pk],
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "funder": "Jordbruksverket",
        "programme": "leader",
        "budget": "400000",
        "description": "Lokal utveckling.",
    }
    data.update(changes)
    return data


def test_everyone_reads_the_shared_list(world, as_role) -> None:  # type: ignore[no-untyped-def]
    for role in ("partner_contact", "advisor", "national_coordinator"):
        page = as_role(role).get(url(world, "funding_project_list"))
        names = [p.name for p in page.context["projects"]]
        assert sorted(names) == ["Hällefors bygdeprojekt", "Kooperativ utveckling"]
    ongoing = as_role("partner_contact").get(
        url(world, "funding_project_list"), {"when": "ongoing"}
    )
    assert len(ongoing.context["projects"]) == 2
    csv = as_role("partner_contact").get(url(world, "funding_project_export"), {"format": "csv"})
    assert "Hällefors bygdeprojekt" in csv.content.decode("utf-8-sig")


def test_a_partner_contact_adds_a_project_of_their_own_organisation_only(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("partner_contact")
    form = client.get(url(world, "funding_project_create")).context["form"]
    assert list(form.fields["lead"].queryset) == [world.own_org]
    # Another organisation as the lead is not a choice.
    response = client.post(
        url(world, "funding_project_create"), project_data(world, lead=world.other_org.pk)
    )
    assert response.status_code == 200 and "lead" in response.context["form"].errors
    assert not Project.objects.filter(name="Bergslagens bygdeväxt").exists()
    response = client.post(url(world, "funding_project_create"), project_data(world))
    project = Project.objects.get(name="Bergslagens bygdeväxt")
    assert response["Location"] == url(world, "funding_project_detail", pk=project.pk)
    assert project.created_by == world.users["partner_contact"]
    assert project.lead == world.own_org


def test_a_partner_contact_changes_their_own_organisation_s_project_only(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("partner_contact")
    own, other = world.funding_project, world.funding_other_project
    response = client.post(
        url(world, "funding_project_edit", pk=own.pk), project_data(world, name="Nytt namn")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Nytt namn"
    assert AuditEntry.objects.filter(action="project.update", object_pk=str(own.pk)).exists()
    # The other partner's project: refused, and unchanged.
    data = project_data(world, name="Kapat", lead=world.other_org.pk)
    assert client.post(url(world, "funding_project_edit", pk=other.pk), data).status_code == 403
    assert (
        client.post(
            url(world, "funding_project_result_add", pk=other.pk),
            {"noted_on": "2026-01-01", "text": "x"},
        ).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.name == "Kooperativ utveckling"
    assert not other.results.exists()
    page = client.get(url(world, "funding_project_detail", pk=other.pk))
    assert page.status_code == 200 and page.context["can_change"] is False
    # Nor can they hand their own project to another organisation.
    response = client.post(
        url(world, "funding_project_edit", pk=own.pk), project_data(world, lead=world.other_org.pk)
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.lead == world.own_org
    # An advisor may change any project.
    response = as_role("advisor").post(
        url(world, "funding_project_edit", pk=other.pk),
        project_data(world, name="Kooperativ utveckling 2", lead=world.other_org.pk),
    )
    assert response.status_code == 302


def test_the_service_refuses_a_partner_contact_on_another_lead(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from soin.funding import services

    with pytest.raises(ValidationError, match="your own organisation leads"):
        services.project_update(
            project=world.funding_other_project, actor=world.users["partner_contact"], name="x"
        )


def test_results_and_meetings_of_a_project(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("partner_contact")
    project = world.funding_project
    response = client.post(
        url(world, "funding_project_result_add", pk=project.pk),
        {"noted_on": "2026-03-01", "text": "Tolv nya föreningar"},
    )
    assert response.status_code == 302
    assert [r.text for r in project.results.all()] == ["Tolv nya föreningar"]
    # An empty result is refused and nothing kept.
    client.post(
        url(world, "funding_project_result_add", pk=project.pk),
        {"noted_on": "2026-03-02", "text": " "},
    )
    assert ProjectResult.objects.filter(project=project).count() == 1
    # The public seminar can be linked; the internal meeting the contact cannot see cannot.
    client.post(
        url(world, "funding_project_meeting_link", pk=project.pk), {"meeting": world.meeting.pk}
    )
    assert not project.meetings.exists()
    client.post(
        url(world, "funding_project_meeting_link", pk=project.pk), {"meeting": world.activity.pk}
    )
    assert list(project.meetings.all()) == [world.activity]
    page = client.get(url(world, "funding_project_detail", pk=project.pk))
    assert "Tolv nya föreningar" in page.content.decode()
    assert (
        world.activity.title_sv in page.content.decode()
        or world.activity.title_en in page.content.decode()
    )
    client.post(
        url(world, "funding_project_meeting_link", pk=project.pk), {"unlink": world.activity.pk}
    )
    assert not project.meetings.exists()
    # A coordinator sees the internal meeting and may link it.
    as_role("coordinator").post(
        url(world, "funding_project_meeting_link", pk=project.pk), {"meeting": world.meeting.pk}
    )
    assert list(project.meetings.all()) == [world.meeting]
    # The contact is not shown the internal meeting on the project's page, nor may unlink it.
    page = client.get(url(world, "funding_project_detail", pk=project.pk))
    assert page.context["meetings"] == []
    assert world.meeting.title_sv not in page.content.decode()
    response = client.post(
        url(world, "funding_project_meeting_link", pk=project.pk), {"unlink": world.meeting.pk}
    )
    assert response.status_code == 404
    assert list(project.meetings.all()) == [world.meeting]


def test_a_result_dated_in_the_future_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    project = world.funding_project
    with pytest.raises(ValidationError) as error:
        services.project_result_add(
            project=project,
            actor=world.users["coordinator"],
            noted_on=timezone.localdate() + datetime.timedelta(days=1),
            text="Tolv nya föreningar",
        )
    assert error.value.message_dict["noted_on"] == ["The date cannot be in the future."]
    assert not project.results.exists()
