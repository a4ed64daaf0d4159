"""The public application form, the applicant's private page and the follow-up report sent
through it, in both languages; mails from the worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from soin.audit.models import AuditEntry
from soin.core.testing import build_world, post_form
from soin.grants import services
from soin.grants.models import BudgetLine, Grant, GrantEvent
from soin.grants.tests.helpers import application_post
from soin.grants.validators import luhn_ok, normalise_org_number

pytestmark = pytest.mark.django_db


def apply_url(world, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("public:grant_apply", kwargs={"partnership": world.partnership.slug})


def status_url(world, grant: Grant, token: str | None = None) -> str:  # type: ignore[no-untyped-def]
    with translation.override(grant.language):
        return reverse(
            "public:grant_status",
            kwargs={
                "partnership": world.partnership.slug,
                "token": token or services.grant_token(grant),
            },
        )


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_org_numbers_are_checked_by_format_and_check_digit() -> None:
    assert normalise_org_number("802455-6576") == "802455-6576"
    assert normalise_org_number("802455 6576") == "802455-6576"
    assert normalise_org_number("8024556576") == "802455-6576"
    assert luhn_ok("5560360793")  # a well-known company's number
    for wrong in ("802455-6577", "80245-56576", "802455-657", "abcdef-ghij", ""):
        with pytest.raises(ValidationError):
            normalise_org_number(wrong)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_application_from_the_web_form_is_kept_with_its_budget(world, language) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    page = client.get(apply_url(world, language))
    assert page.status_code == 200
    # The Art. 13 information is on the form, in the visitor's language.
    with translation.override(language):
        information = services.consent_information(partnership=world.partnership)
    assert escape(information) in page.content.decode()
    response = post_form(
        client, apply_url(world, language), application_post(world.partnership, language=language)
    )
    assert response.status_code == 302
    grant = Grant.objects.get(title="Bymöten om framtiden")
    assert grant.language == language
    assert grant.channel == Grant.Channel.WEB and grant.state == Grant.State.RECEIVED
    assert grant.contact_email == "Test.Sokande@example.org"
    assert grant.consent_text.startswith(information)
    assert [(b.item, b.amount) for b in grant.budget_lines.all()] == [
        ("Lokalhyra för bymöten", 6000),
        ("Material", 4000),
    ]
    assert list(grant.events.values_list("kind", flat=True)) == [GrantEvent.Kind.RECEIVED]
    thanks = client.get(response["Location"])
    assert services.grant_token(grant) in thanks.content.decode()
    assert thanks["Cache-Control"] == "private, no-store"


def test_the_applicants_personal_data_stays_out_of_the_audit_log(world) -> None:  # type: ignore[no-untyped-def]
    post_form(Client(), apply_url(world), application_post(world.partnership))
    grant = Grant.objects.get(title="Bymöten om framtiden")
    entry = AuditEntry.objects.get(action="grant.create", object_pk=str(grant.pk))
    text = f"{entry.object_repr} {entry.before} {entry.after}"
    # Neither the address as typed nor its canonical form.
    for personal in (
        "Test Sökande",
        "Test.Sokande@example.org",
        "test.sokande@example.org",
        "070-000 00 00",
        "nonce",
    ):
        assert personal not in text
    assert entry.after["org_number"] == "802455-6576"


def _nothing_kept(world) -> bool:  # type: ignore[no-untyped-def]
    return not Grant.objects.filter(title="Bymöten om framtiden").exists() and not (
        BudgetLine.objects.filter(item="Lokalhyra för bymöten").exists()
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"org_number": "802455-6577"}, "org_number", "check digit"),
        ({"org_number": "80-2455"}, "org_number", "NNNNNN-NNNN"),
        ({"amount_applied": "25001"}, "amount_applied", "at most 25\u00a0000\u00a0kr"),
        ({"amount_applied": "10001"}, "amount_applied", "budget's total, 10\u00a0000\u00a0kr"),
        ({"consent": ""}, "consent", "required"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    world, overrides, field, message
) -> None:
    response = post_form(
        Client(), apply_url(world), application_post(world.partnership, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert _nothing_kept(world)


def test_a_budget_is_required_and_each_line_needs_item_and_amount(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = post_form(client, apply_url(world), application_post(world.partnership, lines=[]))
    assert response.status_code == 200
    assert "at least one line" in " ".join(response.context["budget"].non_form_errors())
    response = post_form(
        client,
        apply_url(world),
        application_post(world.partnership, lines=[("Lokalhyra för bymöten", "")]),
    )
    assert response.context["budget"].forms[0].errors["amount"]
    assert _nothing_kept(world)


def test_sums_beyond_what_the_database_keeps_are_refused_next_to_the_field(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    huge = "3000000000"
    response = post_form(
        client,
        apply_url(world),
        application_post(world.partnership, lines=[("Lokalhyra", huge)], co_financing=huge),
    )
    assert response.status_code == 200
    assert response.context["budget"].forms[0].errors["amount"]
    assert response.context["form"].errors["co_financing"]
    assert _nothing_kept(world)


def test_the_swedish_form_answers_in_swedish(world) -> None:  # type: ignore[no-untyped-def]
    response = post_form(
        Client(),
        apply_url(world, "sv"),
        application_post(world.partnership, language="sv", amount_applied="30000"),
    )
    with translation.override("sv"):
        from django.utils.translation import gettext

        expected = gettext("The partnership grants at most %(limit)s per application.") % {
            "limit": services.kronor(25000)
        }
    assert expected in response.context["form"].errors["amount_applied"]
    assert 'lang="sv"' in response.content.decode()[:200]
    assert _nothing_kept(world)


def test_the_form_is_rate_limited_per_address(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_IDEA_FORM_PER_HOUR = 1
    client = Client()
    first = post_form(client, apply_url(world), application_post(world.partnership))
    assert first.status_code == 302
    second = post_form(
        client, apply_url(world), application_post(world.partnership, title="Ett till projekt")
    )
    assert second.status_code == 429
    assert "Many applications" in second.context["notice"]
    assert not Grant.objects.filter(title="Ett till projekt").exists()
    # The idea form's count is its own.
    from soin.core.models import RateLimitHit

    scopes = set(RateLimitHit.objects.values_list("scope", flat=True))
    # (Caps on mails to one address, "mail:…", are counted by the services that send them.)
    assert {s for s in scopes if not s.startswith("mail:")} == {"grant"}


def test_a_robot_filling_in_the_hidden_field_gets_thanks_and_nothing_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    response = post_form(
        Client(),
        apply_url(world),
        application_post(world.partnership, homepage="http://spam.example"),
    )
    assert response.status_code == 200
    assert "Thank you for your application" in response.content.decode()
    assert _nothing_kept(world)


def test_changed_privacy_information_must_be_read_again(world) -> None:  # type: ignore[no-untyped-def]
    response = post_form(
        Client(), apply_url(world), application_post(world.partnership, consent_shown="old")
    )
    assert "has changed" in response.context["notice"]
    assert _nothing_kept(world)


def test_the_private_page_shows_the_state_and_a_get_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    before = (Grant.objects.get(pk=world.grant.pk).updated_at, GrantEvent.objects.count())
    page = client.get(status_url(world, world.grant))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert world.grant.title in page.content.decode()
    assert before == (Grant.objects.get(pk=world.grant.pk).updated_at, GrantEvent.objects.count())
    # Not yet decided: no follow-up form, and a POST is refused without a change.
    assert not page.context["may_report"]
    client.post(status_url(world, world.grant), {"done": "x", "outcome": "y", "costs": "1"})
    assert not Grant.objects.get(pk=world.grant.pk).has_followup


def test_a_forged_or_revoked_token_opens_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    token = services.grant_token(world.grant)
    assert client.get(status_url(world, world.grant, token[:-2] + "xx")).status_code == 404
    assert (
        client.get(
            status_url(world, world.grant, f"{world.grant_approved.pk}-" + token.split("-")[1])
        ).status_code
        == 404
    )
    Grant.objects.filter(pk=world.grant.pk).update(nonce="another")
    assert client.get(status_url(world, world.grant, token)).status_code == 404


def test_the_applicant_sends_the_follow_up_through_the_private_link(world) -> None:  # type: ignore[no-untyped-def]
    grant = world.grant_approved  # approved, applied in English
    client = Client()
    url = status_url(world, grant)
    assert url.startswith("/en/")
    page = client.get(url)
    assert page.context["may_report"]
    refused = client.post(url, {"done": "", "outcome": "A plan", "costs": "8000"})
    assert refused.context["form"].errors["done"]
    assert not Grant.objects.get(pk=grant.pk).has_followup
    sent = client.post(url, {"done": "Six evenings", "outcome": "A plan", "costs": "8200"})
    assert sent.status_code == 200 and sent.context["sent"]
    grant.refresh_from_db()
    assert (grant.followup_done, grant.followup_outcome, grant.followup_costs) == (
        "Six evenings",
        "A plan",
        8200,
    )
    event = grant.events.get(kind=GrantEvent.Kind.FOLLOWUP)
    assert event.actor is None
    # Once in, it is shown, not asked for again.
    again = client.post(url, {"done": "Other", "outcome": "Other", "costs": "1"})
    assert not again.context["may_report"]
    grant.refresh_from_db()
    assert grant.followup_done == "Six evenings"
    assert grant.events.filter(kind=GrantEvent.Kind.FOLLOWUP).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_receipt_is_mailed_by_the_worker_in_the_applicants_language(  # type: ignore[no-untyped-def]
    reference_data, settings, language
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    run_worker()
    mail.outbox.clear()
    response = post_form(
        Client(), apply_url(world, language), application_post(world.partnership, language=language)
    )
    assert response.status_code == 302
    assert mail.outbox == []  # sent by the worker, not by the request
    run_worker()
    grant = Grant.objects.get(title="Bymöten om framtiden")
    assert [m.to for m in mail.outbox] == [["Test.Sokande@example.org"]]
    message = mail.outbox[0]
    assert grant.title in message.subject
    assert services.grant_token(grant) in message.body
    assert f"/{language}/{world.partnership.slug}/grants/application/" in message.body
    with translation.override(language):
        from django.utils.translation import gettext

        expected = gettext("We have received your application: %(title)s") % {"title": grant.title}
    assert message.subject == expected
