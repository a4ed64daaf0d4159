"""The back office: registering an application, the decision, payments in parts, the
follow-up and closing, the list's filters; decision mails from the worker."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from soin.audit.models import AuditEntry
from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL, build_world, login
from soin.grants import services
from soin.grants.models import Grant, GrantEvent
from soin.grants.tests.helpers import application_post, municipality

S = Grant.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The services' messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def staff(world, role: str = COORDINATOR) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[role])
    client.cookies["django_language"] = "en"
    return client


def url(world, name: str, grant: Grant | None = None) -> str:  # type: ignore[no-untyped-def]
    kwargs = {"partnership": world.partnership.slug}
    if grant is not None:
        kwargs["pk"] = grant.pk
    return reverse(f"staff:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def test_staff_register_an_application_that_came_by_letter(world) -> None:  # type: ignore[no-untyped-def]
    data = application_post(world.partnership, channel="post", received_on="2017-02-01")
    data.update(language="en", contact_email="")
    response = staff(world, ADVISOR).post(url(world, "grant_register"), data)
    assert response.status_code == 302, response.context["form"].errors
    grant = Grant.objects.get(title="Bymöten om framtiden")
    assert response.status_code == 302
    assert grant.channel == Grant.Channel.POST and grant.number == "2017-002"
    assert grant.registered_by == world.users[ADVISOR] and grant.language == "en"
    # The same rules as the web form.
    refused = staff(world).post(
        url(world, "grant_register"),
        {**data, "title": "För mycket", "amount_applied": "26000"},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["amount_applied"]
    assert not Grant.objects.filter(title="För mycket").exists()


def test_approving_through_the_page(world) -> None:  # type: ignore[no-untyped-def]
    client = staff(world)
    grant = world.grant  # applied for 10 000
    too_much = client.post(
        url(world, "grant_approve", grant), {"amount_granted": "10001"}, follow=True
    )
    assert any("more than the amount applied for" in m for m in messages_of(too_much))
    assert Grant.objects.get(pk=grant.pk).state == S.RECEIVED
    client.post(
        url(world, "grant_approve", grant),
        {"amount_granted": "7500", "conditions": "Report by December."},
    )
    grant.refresh_from_db()
    assert (grant.state, grant.amount_granted, grant.conditions) == (
        S.APPROVED,
        7500,
        "Report by December.",
    )
    assert grant.decided_by == world.users[COORDINATOR]
    event = grant.events.get(kind=GrantEvent.Kind.APPROVED)
    assert (event.from_state, event.to_state, event.amount) == (S.RECEIVED, S.APPROVED, 7500)
    # Decided once: a second decision is refused.
    again = client.post(url(world, "grant_reject", grant), {"reason": "No"}, follow=True)
    assert any("cannot take the step" in m for m in messages_of(again))
    assert Grant.objects.get(pk=grant.pk).state == S.APPROVED


def test_a_rejection_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    client = staff(world)
    grant = world.grant
    response = client.post(url(world, "grant_reject", grant), {"reason": "  "}, follow=True)
    assert messages_of(response) and Grant.objects.get(pk=grant.pk).state == S.RECEIVED
    with pytest.raises(ValidationError) as error:
        services.grant_reject(grant=grant, actor=world.users[COORDINATOR], reason=" ")
    assert "reason" in error.value.message_dict
    client.post(url(world, "grant_reject", grant), {"reason": "Outside the call."})
    grant.refresh_from_db()
    assert (grant.state, grant.decision_reason, grant.amount_granted) == (
        S.REJECTED,
        "Outside the call.",
        None,
    )


def test_only_a_coordinator_decides(world) -> None:  # type: ignore[no-untyped-def]
    response = staff(world, ADVISOR).post(
        url(world, "grant_approve", world.grant), {"amount_granted": "5000"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.grant_approve(grant=world.grant, actor=world.users[ADVISOR], amount_granted=1)
    assert Grant.objects.get(pk=world.grant.pk).state == S.RECEIVED


def test_payments_in_parts_never_beyond_the_grant(world) -> None:  # type: ignore[no-untyped-def]
    grant = world.grant_approved  # 8 000 granted, 4 000 paid
    client = staff(world, ADVISOR)
    assert grant.state == S.PARTLY_PAID
    beyond = client.post(
        url(world, "grant_payment_add", grant),
        {"paid_on": "2017-06-01", "amount": "4001"},
        follow=True,
    )
    assert any("cannot exceed the amount granted" in m for m in messages_of(beyond))
    assert services.paid_total(grant) == 4000
    client.post(url(world, "grant_payment_add", grant), {"paid_on": "2017-06-01", "amount": "1500"})
    grant.refresh_from_db()
    assert grant.state == S.PARTLY_PAID and services.paid_total(grant) == 5500
    client.post(url(world, "grant_payment_add", grant), {"paid_on": "2017-07-01", "amount": "2500"})
    grant.refresh_from_db()
    assert grant.state == S.PAID and services.paid_total(grant) == 8000
    # Paid in full: nothing more can be paid.
    with pytest.raises(ValidationError):
        services.payment_add(grant=grant, actor=None, paid_on=datetime.date(2017, 8, 1), amount=1)
    moves = [(e.kind, e.to_state, e.amount) for e in grant.events.filter(kind=GrantEvent.Kind.PAID)]
    assert moves == [("paid", S.PARTLY_PAID, 4000), ("paid", "", 1500), ("paid", S.PAID, 2500)]
    # A rejected or undecided application is never paid.
    with pytest.raises(ValidationError):
        services.payment_add(
            grant=world.grant, actor=None, paid_on=datetime.date(2017, 8, 1), amount=1
        )


def test_follow_up_by_staff_then_close(world) -> None:  # type: ignore[no-untyped-def]
    grant = world.grant_approved
    client = staff(world)
    early = client.post(url(world, "grant_close", grant), follow=True)
    assert any("follow-up report is in" in m for m in messages_of(early))
    client.post(
        url(world, "grant_followup_register", grant),
        {"done": "Six evenings.", "outcome": "A plan.", "costs": "8100"},
    )
    grant.refresh_from_db()
    assert grant.has_followup and grant.followup_costs == 8100
    client.post(url(world, "grant_close", grant))
    grant.refresh_from_db()
    assert grant.state == S.CLOSED
    kinds = list(grant.events.values_list("kind", flat=True))
    assert kinds == ["received", "approved", "paid", "followup", "closed"]
    # A follow-up for an undecided application is refused.
    with pytest.raises(ValidationError):
        services.followup_submit(grant=world.grant, actor=None, done="x", outcome="y", costs=1)


def test_the_list_filters_by_state_and_year(world) -> None:  # type: ignore[no-untyped-def]
    client = staff(world, "national_coordinator")
    everything = client.get(url(world, "grant_list"))
    assert {g.pk for g in everything.context["grants"]} == {
        world.grant.pk,
        world.grant_approved.pk,
    }
    paid = client.get(url(world, "grant_list"), {"state": S.PARTLY_PAID})
    assert [g.pk for g in paid.context["grants"]] == [world.grant_approved.pk]
    assert [g.paid for g in paid.context["grants"]] == [4000]
    of_2017 = client.get(url(world, "grant_list"), {"year": "2017"})
    assert [g.pk for g in of_2017.context["grants"]] == [world.grant_approved.pk]


def test_the_detail_page_shows_what_each_role_may_do(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = staff(world).get(url(world, "grant_detail", world.grant))
    assert coordinator.context["may_decide"]
    advisor = staff(world, ADVISOR).get(url(world, "grant_detail", world.grant))
    assert not advisor.context["may_decide"]
    approved = staff(world, ADVISOR).get(url(world, "grant_detail", world.grant_approved))
    assert approved.context["may_pay"] and approved.context["left"] == 4000
    assert not approved.context["may_close"]


def test_the_applicants_contact_details_are_for_those_who_handle_grants(world) -> None:  # type: ignore[no-untyped-def]
    address = world.grant.contact_email
    advisor = staff(world, ADVISOR).get(url(world, "grant_detail", world.grant))
    assert address in advisor.content.decode()
    national = staff(world, NATIONAL).get(url(world, "grant_detail", world.grant))
    page = national.content.decode()
    assert national.status_code == 200 and address not in page
    assert world.grant.contact_name not in page and world.grant.title in page


def test_decisions_keep_personal_data_out_of_the_audit_log(world) -> None:  # type: ignore[no-untyped-def]
    services.grant_reject(grant=world.grant, actor=world.users[COORDINATOR], reason="No.")
    entry = AuditEntry.objects.get(action="grant.rejected")
    assert "sokande@example.org" not in str(entry.before) + str(entry.after)
    assert entry.before["state"] == S.RECEIVED and entry.after["state"] == S.REJECTED


@pytest.mark.django_db(transaction=True)
def test_the_decision_is_mailed_by_the_worker_in_the_applicants_language(  # type: ignore[no-untyped-def]
    reference_data, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    mail.outbox.clear()
    coordinator = world.users[COORDINATOR]
    english = services.grant_register(
        partnership=world.partnership,
        actor=coordinator,
        channel="email",
        received_on=datetime.date(2017, 5, 2),
        language="en",
        budget_lines=[("Material", 5000)],
        association_name="Byalaget i Vretstorp",
        org_number="802455-6576",
        municipality=municipality(world.partnership, "Hallsberg"),
        contact_name="Test Sökande",
        contact_email="english@example.org",
        contact_phone="",
        title="Village meetings",
        purpose="Three meetings.",
        amount_applied=5000,
        co_financing=0,
    )
    client = staff(world)
    client.post(
        url(world, "grant_approve", english), {"amount_granted": "4000", "conditions": "Report."}
    )
    client.post(url(world, "grant_reject", world.grant), {"reason": "Outside the call."})
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    by_address = {m.to[0]: m for m in mail.outbox if "receiv" not in m.subject}
    approved = by_address["english@example.org"]
    assert approved.subject == "Your application is approved: Village meetings"
    assert "4\u00a0000\u00a0kr" in approved.body and "Report." in approved.body
    assert services.grant_token(english) in approved.body and "/en/" in approved.body
    # The other applied in Swedish: their mail is in Swedish, with the reason.
    rejected = by_address["sokande@example.org"]
    with translation.override("sv"):
        from django.utils.translation import gettext

        subject = gettext("Decision on your application: %(title)s") % {"title": world.grant.title}
    assert rejected.subject == subject
    assert "Outside the call." in rejected.body and "/sv/" in rejected.body


def test_a_payment_dated_in_the_future_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    grant = world.grant_approved
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.payment_add(grant=grant, actor=None, paid_on=tomorrow, amount=1000)
    assert error.value.message_dict["paid_on"] == ["A payment cannot be dated in the future."]
    assert services.paid_total(grant) == 4000
