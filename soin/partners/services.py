"""Every change to partners, their contacts, groups and agreements.

Each function runs in one transaction, checks the business rules, writes an audit entry and, for
agreements, a timeline row in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.normalise import stored_terms, terms_of
from soin.core.text import unique_slug
from soin.partners import workflow
from soin.partners.models import (
    Agreement,
    AgreementEvent,
    AgreementTemplate,
    ContactPerson,
    Group,
    GroupMembership,
    Membership,
    Organisation,
)
from soin.regions.models import Partnership

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "municipality",
    "website",
    "email",
    "description_sv",
    "description_en",
)
# What a partner contact may change on their own organisation's page.
ORGANISATION_OWN_FIELDS = ("website", "email", "description_sv", "description_en")
CONTACT_FIELDS = ("name", "title", "email", "phone", "is_public")


def _unique_slug(partnership: Partnership, name: str, exclude_pk: int | None = None) -> str:
    others = Organisation.objects.filter(partnership=partnership)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return unique_slug(others, name, "organisation")


def _lock(organisation: Organisation) -> Organisation:
    """Lock the organisation's row: two people acting on one organisation at once take turns,
    so a rule checked before a write still holds when the write happens."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check_municipality(partnership: Partnership, municipality: Any) -> None:
    if municipality is not None and municipality.region_id != partnership.region_id:
        raise ValidationError(
            {
                "municipality": _("Choose a municipality in %(region)s.")
                % {"region": partnership.region.name}
            }
        )


def _check_name_free(partnership: Partnership, name: str, exclude_pk: int | None = None) -> None:
    clash = Organisation.objects.filter(partnership=partnership, name__iexact=name.strip())
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already an organisation with this name.")})


@transaction.atomic
def organisation_create(
    *,
    partnership: Partnership,
    actor: Any,
    name: str,
    kind: str,
    municipality: Any = None,
    website: str = "",
    email: str = "",
    description_sv: str = "",
    description_en: str = "",
    joined_on: datetime.date | None = None,
    is_coordinator: bool = False,
) -> Organisation:
    """Create an organisation; with ``joined_on`` it becomes a partner from that day."""
    name = name.strip()
    _check_name_free(partnership, name)
    _check_municipality(partnership, municipality)
    if is_coordinator and partnership.organisations.filter(is_coordinator=True).exists():
        raise ValidationError(_("The partnership already has a coordinating organisation."))
    org = Organisation.objects.create(
        partnership=partnership,
        name=name,
        slug=_unique_slug(partnership, name),
        search_terms=stored_terms(name),
        kind=kind,
        municipality=municipality,
        website=website,
        email=email,
        description_sv=description_sv,
        description_en=description_en,
        is_coordinator=is_coordinator,
    )
    audit_record(actor=actor, action="organisation.create", instance=org)
    if joined_on is not None:
        membership_start(organisation=org, actor=actor, joined_on=joined_on)
    return org


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, own_only: bool = False, **changes: Any
) -> Organisation:
    """Change an organisation's details. ``own_only`` limits the change to what a partner
    contact may edit on their own page."""
    check_fields(changes, ORGANISATION_OWN_FIELDS if own_only else ORGANISATION_FIELDS)
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit_snapshot(org)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        _check_name_free(org.partnership, changes["name"], exclude_pk=org.pk)
    if "municipality" in changes:
        _check_municipality(org.partnership, changes["municipality"])
    changed = apply_changes(org, changes)
    if not changed:
        return org
    if "name" in changed:
        org.slug = _unique_slug(org.partnership, org.name, exclude_pk=org.pk)
        org.search_terms = terms_of(org)
        changed.extend(["slug", "search_terms"])
    org.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, action="organisation.update", instance=org, before=before)
    return org


@transaction.atomic
def organisation_make_coordinator(*, organisation: Organisation, actor: Any) -> Organisation:
    """Make ``organisation`` the one that coordinates the partnership: the counterpart of
    the agreements drafted from now on. Agreements already drafted keep their counterpart."""
    current = (
        Organisation.objects.select_for_update()
        .filter(partnership=organisation.partnership, is_coordinator=True)
        .first()
    )
    if current is not None and current.pk == organisation.pk:
        return current
    if current is not None:
        before = audit_snapshot(current)
        current.is_coordinator = False
        current.save(update_fields=["is_coordinator", "updated_at"])
        audit_record(
            actor=actor, action="organisation.coordinator_end", instance=current, before=before
        )
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit_snapshot(org)
    org.is_coordinator = True
    org.save(update_fields=["is_coordinator", "updated_at"])
    audit_record(actor=actor, action="organisation.coordinator_start", instance=org, before=before)
    if current is not None:
        _redraft_for_new_coordinator(old=current, new=org, actor=actor)
    return org


def _redraft_for_new_coordinator(*, old: Organisation, new: Organisation, actor: Any) -> None:
    """Drafts not yet signed are to be signed with the new coordinator: move them over, with
    the new name in their text. Signed agreements stay as they were signed."""
    drafts = Agreement.objects.select_for_update().filter(
        counterpart=old, state=Agreement.State.DRAFT
    )
    for agreement in drafts:
        before = audit_snapshot(agreement)
        agreement.counterpart = new
        fields = ["counterpart"]
        for field in AGREEMENT_TEXT_FIELDS:
            value = getattr(agreement, field)
            if old.name in value:
                setattr(agreement, field, value.replace(old.name, new.name))
                fields.append(field)
        agreement.save(update_fields=fields)
        AgreementEvent.objects.create(
            agreement=agreement,
            kind=AgreementEvent.Kind.EDITED,
            actor=actor,
            note=_("The counterpart is now %(name)s.") % {"name": new.name},
        )
        audit_record(actor=actor, action="agreement.counterpart", instance=agreement, before=before)


@transaction.atomic
def membership_start(
    *, organisation: Organisation, actor: Any, joined_on: datetime.date
) -> Membership:
    """Make the organisation a partner from ``joined_on``."""
    organisation = _lock(organisation)
    if organisation.memberships.filter(left_on__isnull=True).exists():
        raise ValidationError(_("%(name)s is already a partner.") % {"name": organisation.name})
    if organisation.memberships.filter(left_on__gte=joined_on).exists():
        raise ValidationError(
            {"joined_on": _("The new membership must start after the previous one ended.")}
        )
    membership = Membership.objects.create(organisation=organisation, joined_on=joined_on)
    audit_record(
        actor=actor,
        action="membership.start",
        instance=membership,
        partnership=organisation.partnership,
    )
    return membership


@transaction.atomic
def membership_end(*, organisation: Organisation, actor: Any, left_on: datetime.date) -> Membership:
    """End the organisation's current membership on ``left_on`` (its last day as a partner);
    its seats in the partnership's groups end with it."""
    organisation = _lock(organisation)
    membership = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, left_on__isnull=True)
        .first()
    )
    if membership is None:
        raise ValidationError(_("%(name)s is not a partner.") % {"name": organisation.name})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A partner cannot leave before it joined.")})
    before = audit_snapshot(membership)
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        action="membership.end",
        instance=membership,
        before=before,
        partnership=organisation.partnership,
    )
    for seat in organisation.group_memberships.filter(until__isnull=True):
        group_membership_end(seat=seat, actor=actor, until=max(left_on, seat.since))
    return membership


@transaction.atomic
def group_membership_add(
    *, organisation: Organisation, actor: Any, group: str, since: datetime.date
) -> GroupMembership:
    """Give the organisation a seat in ``group`` from ``since``."""
    if group not in Group.values:
        raise ValidationError({"group": _("Choose one of the partnership's groups.")})
    organisation = _lock(organisation)
    if (
        not organisation.memberships.filter(joined_on__lte=since)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=since))
        .exists()
    ):
        raise ValidationError(
            {
                "since": _(
                    "Only a partner can sit in the partnership's groups: %(name)s was not "
                    "a partner on that day."
                )
                % {"name": organisation.name}
            }
        )
    if organisation.group_memberships.filter(group=group, until__isnull=True).exists():
        raise ValidationError(_("%(name)s is already in this group.") % {"name": organisation.name})
    seat = GroupMembership.objects.create(organisation=organisation, group=group, since=since)
    audit_record(
        actor=actor,
        action="group_membership.add",
        instance=seat,
        partnership=organisation.partnership,
    )
    return seat


@transaction.atomic
def group_membership_end(
    *, seat: GroupMembership, actor: Any, until: datetime.date
) -> GroupMembership:
    """End a seat in a group on ``until``."""
    seat = GroupMembership.objects.select_for_update().get(pk=seat.pk)
    if seat.until is not None:
        raise ValidationError(_("This seat has already ended."))
    if until < seat.since:
        raise ValidationError({"until": _("A seat cannot end before it began.")})
    before = audit_snapshot(seat)
    seat.until = until
    seat.save(update_fields=["until"])
    audit_record(
        actor=actor,
        action="group_membership.end",
        instance=seat,
        before=before,
        partnership=seat.organisation.partnership,
    )
    return seat


@transaction.atomic
def contact_create(*, organisation: Organisation, actor: Any, **fields: Any) -> ContactPerson:
    """Add a contact person to an organisation."""
    check_fields(fields, CONTACT_FIELDS)
    contact = ContactPerson.objects.create(organisation=organisation, **fields)
    audit_record(
        actor=actor, action="contact.create", instance=contact, partnership=organisation.partnership
    )
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, actor: Any, **changes: Any) -> ContactPerson:
    """Change a contact person's details."""
    check_fields(changes, CONTACT_FIELDS)
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    before = audit_snapshot(contact)
    changed = apply_changes(contact, changes)
    if changed:
        contact.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="contact.update",
            instance=contact,
            before=before,
            partnership=contact.organisation.partnership,
        )
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, actor: Any) -> None:
    """Remove a contact person."""
    partnership = contact.organisation.partnership
    before = audit_snapshot(contact)
    audit_record(
        actor=actor,
        action="contact.delete",
        instance=contact,
        before=before,
        partnership=partnership,
        deleted=True,
    )
    contact.delete()


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@transaction.atomic
def agreement_draft(
    *, organisation: Organisation, template: AgreementTemplate, actor: Any
) -> Agreement:
    """Draft an agreement for ``organisation`` from ``template``, with the coordinator as the
    counterpart; the template's text is copied in with the parties' names filled."""
    partnership = organisation.partnership
    if template.partnership_id != partnership.pk:
        raise ValidationError({"template": _("Choose one of this partnership's templates.")})
    organisation = _lock(organisation)
    counterpart = partnership.organisations.filter(is_coordinator=True).first()
    if counterpart is None:
        raise ValidationError(
            _("Mark the organisation that coordinates the partnership before drafting agreements.")
        )
    if organisation.agreements.exclude(state=Agreement.State.ENDED).exists():
        raise ValidationError(
            _("%(name)s already has an agreement in force or in draft.")
            % {"name": organisation.name}
        )
    # In the coordinator's own agreement (seed 001 annex 1) the other party is the region.
    if organisation.pk == counterpart.pk:
        raise ValidationError(
            _("The coordinator's agreement is drafted on the partner that commissions it.")
        )
    values = {"coordinator": counterpart.name, "partner": organisation.name, "partnership": ""}
    texts: dict[str, str] = {}
    for lang in ("sv", "en"):
        values["partnership"] = getattr(partnership, f"name_{lang}")
        for field in ("preamble", "coordinator_commitments", "partner_commitments"):
            texts[f"{field}_{lang}"] = _fill(getattr(template, f"{field}_{lang}"), values)
    agreement = Agreement.objects.create(
        partnership=partnership,
        organisation=organisation,
        counterpart=counterpart,
        template=template,
        **texts,
    )
    AgreementEvent.objects.create(
        agreement=agreement, kind=AgreementEvent.Kind.DRAFTED, actor=actor, note=template.name_sv
    )
    audit_record(actor=actor, action="agreement.draft", instance=agreement)
    return agreement


AGREEMENT_TEXT_FIELDS = (
    "preamble_sv",
    "preamble_en",
    "coordinator_commitments_sv",
    "coordinator_commitments_en",
    "partner_commitments_sv",
    "partner_commitments_en",
)


@transaction.atomic
def agreement_update(*, agreement: Agreement, actor: Any, **changes: Any) -> Agreement:
    """Change a draft agreement's text."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    workflow.ensure_allowed(agreement, "edit")
    check_fields(changes, AGREEMENT_TEXT_FIELDS)
    before = audit_snapshot(agreement)
    changed = apply_changes(agreement, changes)
    if changed:
        agreement.save(update_fields=changed)
        AgreementEvent.objects.create(
            agreement=agreement, kind=AgreementEvent.Kind.EDITED, actor=actor
        )
        audit_record(actor=actor, action="agreement.update", instance=agreement, before=before)
    return agreement


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    actor: Any,
    signed_on: datetime.date,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> Agreement:
    """Record that both parties signed the agreement; its text is frozen from now on."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    target = workflow.ensure_allowed(agreement, "sign")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The agreement cannot end before it starts.")})
    before = audit_snapshot(agreement)
    agreement.state = target
    agreement.signed_on, agreement.valid_from, agreement.valid_until = (
        signed_on,
        valid_from,
        valid_until,
    )
    agreement.save(update_fields=["state", "signed_on", "valid_from", "valid_until"])
    AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.SIGNED, actor=actor)
    audit_record(actor=actor, action="agreement.sign", instance=agreement, before=before)
    return agreement


@transaction.atomic
def agreement_end(
    *, agreement: Agreement, actor: Any, ended_on: datetime.date, reason: str
) -> Agreement:
    """End a signed agreement on ``ended_on`` with a reason."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    target = workflow.ensure_allowed(agreement, "end")
    if agreement.valid_from and ended_on < agreement.valid_from:
        raise ValidationError({"ended_on": _("An agreement cannot end before it was valid.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement ends.")})
    before = audit_snapshot(agreement)
    agreement.state = target
    agreement.ended_on, agreement.end_reason = ended_on, reason.strip()
    agreement.save(update_fields=["state", "ended_on", "end_reason"])
    AgreementEvent.objects.create(
        agreement=agreement, kind=AgreementEvent.Kind.ENDED, actor=actor, note=agreement.end_reason
    )
    audit_record(actor=actor, action="agreement.end", instance=agreement, before=before)
    return agreement


@transaction.atomic
def agreement_templates_install(*, partnership: Partnership, actor: Any) -> list[AgreementTemplate]:
    """Give the partnership the standard agreements of seed 001 (annex 1–7) that it lacks."""
    from soin.partners.standard_agreements import (
        COORDINATOR_EN,
        COORDINATOR_SV,
        PREAMBLE_EN,
        PREAMBLE_SV,
        STANDARD_AGREEMENTS,
    )

    created = []
    for spec in STANDARD_AGREEMENTS:
        if partnership.agreement_templates.filter(key=spec["key"]).exists():
            continue
        template = AgreementTemplate.objects.create(
            partnership=partnership,
            key=spec["key"],
            name_sv=spec["name_sv"],
            name_en=spec["name_en"],
            kinds=[str(k) for k in spec["kinds"]],
            preamble_sv=spec.get("preamble_sv", PREAMBLE_SV),
            preamble_en=spec.get("preamble_en", PREAMBLE_EN),
            coordinator_commitments_sv="\n".join(spec.get("coordinator_sv", COORDINATOR_SV)),
            coordinator_commitments_en="\n".join(spec.get("coordinator_en", COORDINATOR_EN)),
            partner_commitments_sv="\n".join(spec["partner_sv"]),
            partner_commitments_en="\n".join(spec["partner_en"]),
        )
        audit_record(actor=actor, action="agreement_template.create", instance=template)
        created.append(template)
    return created


@transaction.atomic
def contact_anonymise(*, contact: ContactPerson, actor: Any) -> dict[str, int]:
    """Remove a contact person whose data is to be erased: a contact person is their name and
    how to reach them, so nothing of the row is worth keeping. Their copies in the audit log
    are replaced by a mark; the entry recording the removal names no one. Return how many
    rows were changed, per kind."""
    from soin.retention.redact import redact_audit, words_of

    contact = (
        ContactPerson.objects.select_for_update()
        .select_related("organisation__partnership")
        .get(pk=contact.pk)
    )
    found = words_of(contact.name, contact.email, contact.phone)
    audits = redact_audit(contact, found)
    partnership = contact.organisation.partnership
    pk = contact.pk
    contact.delete()
    # The row is gone; the entry keeps its id and the organisation, not the person's name.
    contact.pk, contact.name = pk, ""
    audit_record(
        actor=actor,
        action="contact.anonymise",
        instance=contact,
        partnership=partnership,
        before={"organisation": contact.organisation_id},
        deleted=True,
    )
    return {"partner_contacts": 1, "audit_entries": audits}
