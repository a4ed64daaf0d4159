from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from soin.audit.models import AuditEntry
from soin.core.errors import TransitionNotAllowed
from soin.core.testing import COORDINATOR, make_organisation
from soin.partners import selectors, services
from soin.partners.models import Agreement, AgreementEvent, Organisation
from soin.regions.models import Municipality

D = datetime.date


def test_drafting_an_agreement_copies_the_template_with_the_parties_names(world) -> None:
    agreement = world.own_agreement
    assert agreement.counterpart == world.coordinator_org
    assert "Stiftelsen Cesam" in agreement.preamble_sv
    assert "Hällefors kommun" in agreement.preamble_sv
    assert "Partnerskapet Örebro län" in agreement.preamble_sv
    assert "The partnership of Örebro County" in agreement.preamble_en
    assert (
        agreement.commitments("partner", "sv")[0] == "utse en ansvarig tjänsteman som kontaktperson"
    )
    # Later edits to the template leave the agreement as it was drafted.
    template = agreement.template
    template.partner_commitments_sv = "något helt annat"
    template.save()
    agreement.refresh_from_db()
    assert "något helt annat" not in agreement.partner_commitments_sv


def test_every_kind_of_partner_has_a_template_from_the_annexes(world) -> None:
    for kind in Organisation.Kind.values:
        assert selectors.templates_for_kind(partnership=world.partnership, kind=kind), kind


def test_signing_freezes_the_text_and_leaves_a_timeline_row_and_audit_entry(world) -> None:
    actor = world.users[COORDINATOR]
    agreement = services.agreement_sign(
        agreement=world.own_agreement,
        actor=actor,
        signed_on=D(2017, 3, 1),
        valid_from=D(2017, 3, 1),
    )
    assert agreement.state == Agreement.State.SIGNED
    assert agreement.events.filter(kind=AgreementEvent.Kind.SIGNED, actor=actor).count() == 1
    entry = AuditEntry.objects.get(action="agreement.sign", object_pk=str(agreement.pk))
    assert entry.actor == actor
    assert entry.before["state"] == "draft" and entry.after["state"] == "signed"
    with pytest.raises(TransitionNotAllowed):
        services.agreement_update(agreement=agreement, actor=actor, preamble_sv="Ändrat")
    with pytest.raises(TransitionNotAllowed):
        services.agreement_sign(
            agreement=agreement, actor=actor, signed_on=D(2017, 3, 2), valid_from=D(2017, 3, 2)
        )


def test_a_refused_change_writes_nothing(world) -> None:
    actor = world.users[COORDINATOR]
    agreement = services.agreement_sign(
        agreement=world.own_agreement,
        actor=actor,
        signed_on=D(2017, 3, 1),
        valid_from=D(2017, 3, 1),
    )
    events, entries = agreement.events.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.agreement_end(agreement=agreement, actor=actor, ended_on=D(2018, 1, 1), reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.agreement_end(
            agreement=agreement, actor=actor, ended_on=D(2016, 1, 1), reason="Flyttar"
        )
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.SIGNED
    assert agreement.events.count() == events
    assert AuditEntry.objects.count() == entries


def test_an_ended_agreement_lets_a_new_one_be_drafted(world) -> None:
    actor = world.users[COORDINATOR]
    org = world.own_org
    template = world.own_agreement.template
    with pytest.raises(ValidationError):
        services.agreement_draft(organisation=org, template=template, actor=actor)
    signed = services.agreement_sign(
        agreement=world.own_agreement,
        actor=actor,
        signed_on=D(2017, 3, 1),
        valid_from=D(2017, 3, 1),
    )
    services.agreement_end(
        agreement=signed, actor=actor, ended_on=D(2019, 12, 31), reason="Nytt avtal"
    )
    again = services.agreement_draft(organisation=org, template=template, actor=actor)
    assert again.state == Agreement.State.DRAFT


def test_a_template_from_another_partnership_is_refused(world) -> None:
    foreign = world.other_partnership.agreement_templates.first()
    with pytest.raises(ValidationError):
        services.agreement_draft(organisation=world.other_org, template=foreign, actor=None)


def test_partners_join_and_leave_over_time(world) -> None:
    p = world.partnership
    newcomer = services.organisation_create(
        partnership=p,
        actor=None,
        name="Ny förening",
        kind=Organisation.Kind.ASSOCIATION,
        joined_on=D(2017, 6, 1),
    )
    services.membership_end(organisation=newcomer, actor=None, left_on=D(2017, 12, 31))
    on = lambda day: set(selectors.partners_on(partnership=p, day=day))  # noqa: E731
    assert newcomer not in on(D(2017, 5, 31))
    assert newcomer in on(D(2017, 6, 1))
    assert newcomer in on(D(2017, 12, 31))
    assert newcomer not in on(D(2018, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_start(organisation=newcomer, actor=None, joined_on=D(2017, 12, 1))
    services.membership_start(organisation=newcomer, actor=None, joined_on=D(2019, 1, 1))
    assert newcomer in on(D(2019, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_start(organisation=newcomer, actor=None, joined_on=D(2020, 1, 1))


def test_a_partner_cannot_leave_before_it_joined(world) -> None:
    with pytest.raises(ValidationError):
        services.membership_end(organisation=world.own_org, actor=None, left_on=D(2016, 1, 1))


def test_the_municipality_must_lie_in_the_partnerships_region(world) -> None:
    karlstad = Municipality.objects.get(code="1780")
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            partnership=world.partnership,
            actor=None,
            name="X",
            kind=Organisation.Kind.ASSOCIATION,
            municipality=karlstad,
        )
    assert "municipality" in error.value.message_dict
    assert not Organisation.objects.filter(name="X").exists()


def test_names_are_unique_within_a_partnership_only(world) -> None:
    with pytest.raises(ValidationError):
        make_organisation(world.partnership, "hällefors kommun")
    other = make_organisation(world.other_partnership, "Hällefors kommun")
    assert other.slug == world.own_org.slug


def test_a_partner_contact_changes_only_what_their_page_allows(world) -> None:
    contact = world.users["partner_contact"]
    services.organisation_update(
        organisation=world.own_org, actor=contact, own_only=True, description_sv="Vi är en kommun."
    )
    with pytest.raises(ValidationError):
        services.organisation_update(
            organisation=world.own_org, actor=contact, own_only=True, name="Nytt namn"
        )
    world.own_org.refresh_from_db()
    assert world.own_org.name == "Hällefors kommun"
    entry = AuditEntry.objects.filter(action="organisation.update").latest("pk")
    assert entry.actor == contact
    assert entry.changed_fields() == [("description_sv", "", "Vi är en kommun.")]


def test_renaming_moves_the_slug_and_unchanged_saves_write_no_audit(world) -> None:
    before = AuditEntry.objects.count()
    services.organisation_update(organisation=world.own_org, actor=None, name="Hällefors kommun")
    assert AuditEntry.objects.count() == before
    org = services.organisation_update(organisation=world.own_org, actor=None, name="Hällefors K")
    assert org.slug == "hallefors-k"


def test_group_seats_begin_and_end(world) -> None:
    seat = world.seat
    groups = selectors.group_members_on(partnership=world.partnership, day=D(2017, 6, 1))
    assert groups["working_committee"] == [world.other_org]
    with pytest.raises(ValidationError):
        services.group_membership_add(
            organisation=world.other_org, actor=None, group="working_committee", since=D(2017, 2, 1)
        )
    services.group_membership_end(seat=seat, actor=None, until=D(2017, 12, 31))
    groups = selectors.group_members_on(partnership=world.partnership, day=D(2018, 1, 1))
    assert groups["working_committee"] == []


def test_the_coordinating_organisation_can_change_hands(world) -> None:
    with pytest.raises(ValidationError):
        make_organisation(world.partnership, "Ännu en samordnare", coordinator=True)
    signed = services.agreement_sign(
        agreement=world.other_agreement,
        actor=None,
        signed_on=D(2017, 1, 1),
        valid_from=D(2017, 1, 1),
    )
    new = services.organisation_make_coordinator(organisation=world.other_org, actor=None)
    assert new.is_coordinator
    world.coordinator_org.refresh_from_db()
    assert not world.coordinator_org.is_coordinator
    actions = list(
        AuditEntry.objects.filter(action__startswith="organisation.coordinator")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["organisation.coordinator_end", "organisation.coordinator_start"]
    # Drafts move to the new coordinator, with its name in their text; signed ones stay.
    world.own_agreement.refresh_from_db()
    assert world.own_agreement.counterpart == world.other_org
    assert "Coompanion" in world.own_agreement.preamble_sv
    assert "Stiftelsen Cesam" not in world.own_agreement.preamble_sv
    assert world.own_agreement.events.filter(kind="edited").exists()
    signed.refresh_from_db()
    assert signed.counterpart == world.coordinator_org


def test_only_partners_sit_in_groups_and_leaving_ends_the_seats(world) -> None:
    outsider = make_organisation(world.partnership, "Utomstående", partner=False)
    with pytest.raises(ValidationError) as error:
        services.group_membership_add(
            organisation=outsider, actor=None, group="working_committee", since=D(2017, 1, 1)
        )
    assert "since" in error.value.message_dict
    services.membership_end(organisation=world.other_org, actor=None, left_on=D(2018, 6, 30))
    world.seat.refresh_from_db()
    assert world.seat.until == D(2018, 6, 30)


def test_the_database_refuses_a_second_open_membership_or_agreement(world) -> None:
    from django.db import IntegrityError, transaction

    from soin.partners.models import Membership

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(organisation=world.own_org, joined_on=D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            partnership=world.partnership,
            organisation=world.own_org,
            counterpart=world.coordinator_org,
            preamble_sv="x",
            preamble_en="x",
            coordinator_commitments_sv="x",
            coordinator_commitments_en="x",
            partner_commitments_sv="x",
            partner_commitments_en="x",
        )


def names(world, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    orgs = selectors.organisations_for_staff(partnership=world.partnership, query=query)
    return {o.name for o in orgs}


@pytest.mark.parametrize(
    "query", ["kommun", "Hällefors", "hallefors", "kommunen", "hällefors kommun"]
)
def test_the_list_of_partners_reads_a_search_as_the_bank_does(world, query) -> None:  # type: ignore[no-untyped-def]
    assert "Hällefors kommun" in names(world, query)


def test_partners_are_found_by_the_parts_of_their_names(world) -> None:  # type: ignore[no-untyped-def]
    make_organisation(world.partnership, "Nora matkooperativ ekonomisk förening")
    assert names(world, "kooperativet") == {"Nora matkooperativ ekonomisk förening"}
    assert names(world, "föreningar nora") == {"Nora matkooperativ ekonomisk förening"}
    assert names(world, "nora kommun") == set()
    assert names(world, "vindkraft") == set()


def test_a_renamed_partner_is_found_by_its_new_name(world) -> None:  # type: ignore[no-untyped-def]
    services.organisation_update(organisation=world.own_org, actor=None, name="Hällefors bibliotek")
    assert names(world, "biblioteket") == {"Hällefors bibliotek"}
    assert names(world, "kommun") == set()
