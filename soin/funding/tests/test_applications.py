"""Joint applications through the back office: the financing checks, the workflow with its
refusals (which keep nothing), and the grant that starts the project in the same transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from soin.audit.models import AuditEntry
from soin.funding.models import Application, ApplicationEvent, CoFinancing, Project

pytestmark = pytest.mark.django_db


def url(world, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"staff:{name}", kwargs={"partnership": world.partnership.slug, **kwargs})


def form_data(world, lines=(), **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "title": "Ungdomsverkstan",
        "call": world.funding_call.pk,
        "funder": "",
        "programme": "",
        "lead": world.own_org.pk,
        "partners": [world.other_org.pk],
        "budget": "500000",
        "applied": "300000",
        "description": "Verkstad för unga.",
        "ideas": [world.idea.pk],
        "cofin-TOTAL_FORMS": str(max(len(lines), 1)),
        "cofin-INITIAL_FORMS": "0",
        "cofin-MIN_NUM_FORMS": "0",
        "cofin-MAX_NUM_FORMS": "30",
    }
    for i, (org, amount, kind) in enumerate(lines):
        data[f"cofin-{i}-organisation"] = org.pk
        data[f"cofin-{i}-amount"] = amount
        data[f"cofin-{i}-kind"] = kind
    data.update(changes)
    return data


def test_a_joint_application_is_entered_with_its_co_financing(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("advisor")
    response = client.post(
        url(world, "funding_application_create"),
        form_data(
            world, [(world.own_org, "150000", "cash"), (world.other_org, "50000", "in_kind")]
        ),
    )
    application = Application.objects.get(title="Ungdomsverkstan")
    assert response.status_code == 302
    assert application.status == "planned"
    # Funder and programme come from the call when left empty.
    assert (application.funder, application.programme) == ("Tillväxtverket", "erdf")
    assert list(application.ideas.all()) == [world.idea]
    assert sorted(
        (c.organisation.name, c.amount, c.kind) for c in application.co_financing.all()
    ) == [
        ("Coompanion", Decimal("50000"), "in_kind"),
        ("Hällefors kommun", Decimal("150000"), "cash"),
    ]
    assert application.events.get().kind == ApplicationEvent.Kind.CREATED
    page = client.get(url(world, "funding_application_detail", pk=application.pk))
    assert "Lånecykelpool" in page.content.decode()
    assert page.context["gap"] == Decimal(0)


@pytest.mark.parametrize(
    ("changes", "lines", "field", "message"),
    [
        ({"applied": "600000"}, [], "applied", "cannot be more than the total budget"),
        ({}, [("own", "600000", "cash")], None, "is more than the total budget"),
        (
            {},
            [("own", "150000", "cash"), ("other", "100000", "cash")],
            None,
            "together (550\u00a0000 SEK) are more than the total budget",
        ),
        ({"budget": "0"}, [], "budget", "more than zero"),
    ],
)
def test_financing_that_does_not_add_up_is_refused_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    world, as_role, changes, lines, field, message
) -> None:
    orgs = {"own": world.own_org, "other": world.other_org}
    client = as_role("coordinator")
    response = client.post(
        url(world, "funding_application_create"),
        form_data(world, [(orgs[o], a, k) for o, a, k in lines], **changes),
    )
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert errors and any(message in e for e in errors), form.errors
    assert not Application.objects.filter(title="Ungdomsverkstan").exists()
    assert not CoFinancing.objects.filter(amount=Decimal("600000")).exists()


def test_a_half_filled_co_financing_line_is_refused(world, as_role) -> None:  # type: ignore[no-untyped-def]
    data = form_data(world)
    data["cofin-0-organisation"] = world.own_org.pk
    response = as_role("coordinator").post(url(world, "funding_application_create"), data)
    assert response.status_code == 200
    assert "Fill in the organisation, the amount and the kind" in response.content.decode()
    assert not Application.objects.filter(title="Ungdomsverkstan").exists()


def move(client, world, name: str, **data):  # type: ignore[no-untyped-def]
    return client.post(
        url(world, "funding_application_move", pk=world.funding_application.pk, move=name), data
    )


def test_the_workflow_refuses_wrong_steps_and_missing_data(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("coordinator")
    application = world.funding_application
    today = timezone.localdate()
    # A planned application cannot be granted.
    response = move(
        client, world, "grant", on=today.isoformat(), starts_on="2027-01-01", ends_on="2027-12-31"
    )
    assert response.status_code == 200
    assert "cannot take the step" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "planned"
    assert not Project.objects.filter(application=application).exists()
    # The financing must cover the budget before it is submitted.
    application.co_financing.filter(kind="in_kind").delete()
    response = move(client, world, "submit", on=today.isoformat())
    assert "150\u00a0000 SEK is missing" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.submitted_on) == ("planned", None)
    # A date in the future is refused.
    response = move(client, world, "submit", on=(today + datetime.timedelta(days=2)).isoformat())
    assert response.context["form"].errors["on"] == ["The date cannot be in the future."]
    assert application.events.filter(kind="moved").count() == 0
    # A partner contact cannot take a step at all.
    assert move(as_role("partner_contact"), world, "submit").status_code == 403


def test_granting_starts_the_project_in_the_same_transaction(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("advisor")
    application = world.funding_application
    today = timezone.localdate()
    assert (
        move(
            client, world, "submit", on=(today - datetime.timedelta(days=30)).isoformat()
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted_on == today - datetime.timedelta(days=30)
    # Without the project's period nothing is decided.
    response = move(client, world, "grant", on=today.isoformat())
    assert response.status_code == 200
    assert {"starts_on", "ends_on"} <= set(response.context["form"].errors)
    # A project end before its start is refused by the service, and nothing is kept.
    response = move(
        client, world, "grant", on=today.isoformat(), starts_on="2027-06-01", ends_on="2027-01-01"
    )
    assert response.context["form"].errors["ends_on"] == ["The end cannot come before the start."]
    application.refresh_from_db()
    assert application.status == "submitted" and application.decided_on is None
    assert not Project.objects.filter(application=application).exists()
    # Decided before it was submitted: refused.
    response = move(
        client,
        world,
        "grant",
        on=(today - datetime.timedelta(days=40)).isoformat(),
        starts_on="2027-01-01",
        ends_on="2027-12-31",
    )
    assert "before the application was submitted" in response.content.decode()
    response = move(
        client, world, "grant", on=today.isoformat(), starts_on="2027-01-01", ends_on="2028-12-31"
    )
    project = Project.objects.get(application=application)
    assert response["Location"] == url(world, "funding_project_detail", pk=project.pk)
    application.refresh_from_db()
    assert (application.status, application.decided_on) == ("granted", today)
    assert project.name == application.title
    assert project.lead == world.other_org
    assert list(project.partners.all()) == [world.own_org]
    assert (project.programme, project.budget) == ("erdf", Decimal("1000000"))
    assert (project.starts_on, project.ends_on) == (
        datetime.date(2027, 1, 1),
        datetime.date(2028, 12, 31),
    )
    assert [e.to_state for e in application.events.filter(kind="moved")] == ["submitted", "granted"]
    assert AuditEntry.objects.filter(action="funding_application.grant").count() == 1
    assert AuditEntry.objects.filter(action="project.create", object_pk=str(project.pk)).exists()
    # A decided application no longer changes, and is not granted twice.
    response = client.post(
        url(world, "funding_application_edit", pk=application.pk), form_data(world)
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Gemensam ansökan om lånecyklar"
    response = move(client, world, "reject", on=today.isoformat())
    assert "cannot take the step" in response.content.decode()
    assert Project.objects.filter(application=application).count() == 1


def test_a_rejected_application_records_the_decision(world, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("coordinator")
    today = timezone.localdate()
    move(client, world, "submit", on=today.isoformat())
    response = move(client, world, "reject", on=today.isoformat(), note="För många sökande")
    assert response.status_code == 302
    application = Application.objects.get(pk=world.funding_application.pk)
    assert application.status == "rejected"
    assert application.events.last().note == "För många sökande"
    assert not Project.objects.filter(application=application).exists()
    listing = client.get(url(world, "funding_application_list"), {"status": "rejected"})
    assert [a.pk for a in listing.context["applications"]] == [application.pk]


def test_a_partner_contact_reads_only_the_ideas_of_an_application_they_may_see(  # type: ignore[no-untyped-def]
    world, as_role
) -> None:
    application = world.funding_application
    application.ideas.add(world.referred_idea)
    page_url = url(world, "funding_application_detail", pk=application.pk)
    staff = as_role("advisor").get(page_url).content.decode()
    assert world.idea.title in staff and world.referred_idea.title in staff
    # The world's idea was neither referred to nor channelled by the contact's organisation;
    # the referred one was referred to it.
    contact = as_role("partner_contact").get(page_url)
    assert contact.status_code == 200
    body = contact.content.decode()
    assert world.idea.title not in body
    assert world.referred_idea.title in body
