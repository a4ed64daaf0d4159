"""Every write on small development grants: the application (public form or registered by
staff), the decision, the payments, the follow-up report and closing."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.tokens import object_token
from soin.grants import workflow
from soin.grants.models import BudgetLine, Grant, GrantEvent, Payment, max_amount
from soin.grants.validators import normalise_org_number
from soin.regions.models import Municipality, Partnership

S = Grant.State
TOKEN_PURPOSE = "grant-status"
# The applicant's contact details are kept out of the audit log: the log is kept for years,
# the application's personal data only as long as the grant needs it.
PERSONAL_FIELDS = ("contact_name", "contact_email", "contact_phone", "consent_text")
APPLICATION_FIELDS = (
    "association_name",
    "org_number",
    "municipality",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title",
    "purpose",
    "amount_applied",
    "co_financing",
)


def grant_token(grant: Grant) -> str:
    """Return the secret part of the applicant's private link; it is stored nowhere."""
    return object_token(TOKEN_PURPOSE, grant.pk, grant.nonce)


def kronor(amount: int) -> str:
    """Return ``amount`` written the Swedish way, with a space between thousands."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def consent_information(*, partnership: Partnership) -> str:
    """Return the information GDPR Art. 13 requires at collection, in the active language.
    The exact text shown is stored with the application."""
    return _(
        "%(controller)s is responsible for the personal data you give here (the contact "
        "person's name, e-mail and phone). We use it to handle the application, to tell you of "
        "the decision, to pay out a grant and to ask for the follow-up report. The legal basis "
        "is the handling of your application, a task of public interest that you ask us to "
        "perform. The application is read by %(partnership)s's staff and the coordinators who "
        "decide on it. An application sent to a public body becomes an official document. The "
        "contact details are kept as long as the grant's accounts must be kept. You have the "
        "right to see, correct and have erased the data about you, and to complain to the "
        "Swedish Authority for Privacy Protection (IMY). Contact: %(email)s."
    ) % {
        "controller": settings.SOIN_OPERATOR_NAME,
        "partnership": partnership.name,
        "email": partnership.contact_email or settings.SOIN_OPERATOR_EMAIL,
    }


def _snapshot(grant: Grant) -> dict[str, Any]:
    data = audit_snapshot(grant)
    for name in PERSONAL_FIELDS:
        data.pop(name, None)
    return data


def _event(
    grant: Grant,
    kind: str,
    *,
    actor: Any,
    from_state: str = "",
    amount: int | None = None,
    note: str = "",
) -> GrantEvent:
    return GrantEvent.objects.create(
        grant=grant,
        kind=kind,
        from_state=from_state,
        to_state=grant.state if from_state != grant.state else "",
        amount=amount,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _lock(grant: Grant) -> Grant:
    return Grant.objects.select_for_update().select_related("partnership").get(pk=grant.pk)


def _next_number(partnership: Partnership, received_on: datetime.date) -> str:
    # Lock the partnership's row so that two applications arriving at once get different numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    prefix = f"{received_on.year}-"
    count = Grant.objects.filter(partnership=partnership, number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def _check_application(
    partnership: Partnership, fields: dict[str, Any], lines: Sequence[tuple[str, int]]
) -> dict[str, Any]:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    data = {name: fields.get(name) for name in APPLICATION_FIELDS}
    for name in (
        "association_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "title",
        "purpose",
    ):
        data[name] = str(data[name] or "").strip()
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name, message in (
        ("association_name", _("Write the association's name.")),
        ("contact_name", _("Write the contact person's name.")),
        ("title", _("Give the project a short title.")),
        ("purpose", _("Describe the project's purpose.")),
    ):
        if not data[name]:
            refuse(name, message)
    try:
        data["org_number"] = normalise_org_number(str(data["org_number"] or ""))
    except ValidationError as error:
        refuse("org_number", error.messages[0])
    municipality = data["municipality"]
    if (
        not isinstance(municipality, Municipality)
        or municipality.region_id != partnership.region_id
    ):
        refuse(
            "municipality",
            _("Choose a municipality in %(region)s.") % {"region": partnership.region.name},
        )
    lines = [(str(item).strip(), int(amount)) for item, amount in lines]
    if not lines:
        refuse("budget", _("Give at least one line of the budget."))
    for item, amount in lines:
        if not item or amount <= 0:
            refuse("budget", _("Every budget line needs an item and an amount above zero."))
            break
    applied = data["amount_applied"]
    if applied is None or int(applied) <= 0:
        refuse("amount_applied", _("Write the amount you apply for."))
    else:
        applied = int(applied)
        limit = max_amount()
        if applied > limit:
            refuse(
                "amount_applied",
                _("The partnership grants at most %(limit)s per application.")
                % {"limit": kronor(limit)},
            )
        total = sum(amount for _item, amount in lines)
        if lines and applied > total:
            refuse(
                "amount_applied",
                _("The amount applied for cannot be more than the budget's total, %(total)s.")
                % {"total": kronor(total)},
            )
    co_financing = data["co_financing"]
    if co_financing is None or int(co_financing) < 0:
        refuse("co_financing", _("Write the co-financing and own contribution (0 if none)."))
    if errors:
        raise ValidationError(errors)
    return data


def _create(
    *,
    partnership: Partnership,
    actor: Any,
    channel: str,
    received_on: datetime.date,
    language: str,
    budget_lines: Sequence[tuple[str, int]],
    consent_text: str,
    fields: dict[str, Any],
) -> Grant:
    data = _check_application(partnership, fields, budget_lines)
    grant = Grant.objects.create(
        partnership=partnership,
        number=_next_number(partnership, received_on),
        channel=channel,
        received_on=received_on,
        language=language if language in ("sv", "en") else "sv",
        consent_at=timezone.now() if consent_text else None,
        consent_text=consent_text,
        nonce=secrets.token_hex(16),
        registered_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(grant=grant, position=index, item=item.strip(), amount=int(amount))
        for index, (item, amount) in enumerate(budget_lines)
    )
    _event(grant, GrantEvent.Kind.RECEIVED, actor=actor)
    after = _snapshot(grant)
    after["budget"] = [[item.strip(), int(amount)] for item, amount in budget_lines]
    audit_record(
        actor=actor, action="grant.create", instance=grant, partnership=partnership, after=after
    )
    if grant.contact_email:
        from soin.grants.tasks import send_receipt

        grant_id = grant.pk
        transaction.on_commit(lambda: send_receipt.enqueue(grant_id=grant_id))
    return grant


@transaction.atomic
def grant_submit(
    *,
    partnership: Partnership,
    consent_text: str,
    language: str,
    budget_lines: Sequence[tuple[str, int]],
    **fields: Any,
) -> tuple[Grant, str]:
    """Take in an application from the public form. Return it and the secret part of the
    applicant's private link; the receipt is mailed after commit."""
    if not consent_text:
        raise ValidationError(_("The application cannot be received without consent."))
    if not str(fields.get("contact_email") or "").strip():
        raise ValidationError({"contact_email": _("Write an e-mail address for the decision.")})
    grant = _create(
        partnership=partnership,
        actor=None,
        channel=Grant.Channel.WEB,
        received_on=timezone.localdate(),
        language=language,
        budget_lines=budget_lines,
        consent_text=consent_text,
        fields=fields,
    )
    return grant, grant_token(grant)


@transaction.atomic
def grant_register(
    *,
    partnership: Partnership,
    actor: Any,
    channel: str,
    received_on: datetime.date,
    language: str,
    budget_lines: Sequence[tuple[str, int]],
    **fields: Any,
) -> Grant:
    """Register an application that came by letter or e-mail."""
    if channel not in (Grant.Channel.POST, Grant.Channel.EMAIL):
        raise ValidationError({"channel": _("Choose how the application came in.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The day received cannot be in the future.")})
    return _create(
        partnership=partnership,
        actor=actor,
        channel=channel,
        received_on=received_on,
        language=language,
        budget_lines=budget_lines,
        consent_text="",
        fields=fields,
    )


def _decided(grant: Grant, kind: str, actor: Any, before: dict[str, Any], note: str) -> Grant:
    grant.save(
        update_fields=[
            "state",
            "amount_granted",
            "conditions",
            "decision_reason",
            "decided_on",
            "decided_by",
            "updated_at",
        ]
    )
    _event(grant, kind, actor=actor, from_state=S.RECEIVED, amount=grant.amount_granted, note=note)
    audit_record(
        actor=actor,
        action=f"grant.{kind}",
        instance=grant,
        partnership=grant.partnership,
        before=before,
        after=_snapshot(grant),
    )
    if grant.contact_email:
        from soin.grants.tasks import send_decision

        grant_id = grant.pk
        transaction.on_commit(lambda: send_decision.enqueue(grant_id=grant_id))
    return grant


@transaction.atomic
def grant_approve(
    *,
    grant: Grant,
    actor: Any,
    amount_granted: int,
    conditions: str = "",
    decided_on: datetime.date | None = None,
) -> Grant:
    """Approve the application for ``amount_granted`` (at most the amount applied for); the
    decision is mailed to the applicant in their language."""
    grant = _lock(grant)
    workflow.ensure_allowed(grant, "approve", actor)
    if amount_granted is None or amount_granted <= 0:
        raise ValidationError({"amount_granted": _("Write the amount granted.")})
    if amount_granted > grant.amount_applied:
        raise ValidationError(
            {
                "amount_granted": _(
                    "The amount granted cannot be more than the amount applied for, %(applied)s."
                )
                % {"applied": kronor(grant.amount_applied)}
            }
        )
    before = _snapshot(grant)
    grant.state = S.APPROVED
    grant.amount_granted = amount_granted
    grant.conditions = conditions.strip()
    grant.decision_reason = ""
    grant.decided_on = decided_on or timezone.localdate()
    grant.decided_by = actor if getattr(actor, "pk", None) else None
    return _decided(grant, GrantEvent.Kind.APPROVED, actor, before, grant.conditions)


@transaction.atomic
def grant_reject(
    *, grant: Grant, actor: Any, reason: str, decided_on: datetime.date | None = None
) -> Grant:
    """Reject the application; a reason is required and is mailed to the applicant."""
    grant = _lock(grant)
    workflow.ensure_allowed(grant, "reject", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the application.")})
    before = _snapshot(grant)
    grant.state = S.REJECTED
    grant.amount_granted = None
    grant.conditions = ""
    grant.decision_reason = reason.strip()
    grant.decided_on = decided_on or timezone.localdate()
    grant.decided_by = actor if getattr(actor, "pk", None) else None
    return _decided(grant, GrantEvent.Kind.REJECTED, actor, before, grant.decision_reason)


def paid_total(grant: Grant) -> int:
    return int(grant.payments.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def payment_add(
    *, grant: Grant, actor: Any, paid_on: datetime.date, amount: int, note: str = ""
) -> Payment:
    """Pay out a part of the grant. The total paid never exceeds the amount granted; the grant
    becomes partly paid, or paid once the total reaches the amount granted."""
    # Lock the grant so that two people paying at once cannot together pay too much.
    grant = _lock(grant)
    workflow.ensure_allowed(grant, "pay", actor)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Write the amount paid.")})
    granted = int(grant.amount_granted or 0)
    already = paid_total(grant)
    if already + amount > granted:
        raise ValidationError(
            {
                "amount": _(
                    "The payments cannot exceed the amount granted: %(granted)s granted, "
                    "%(paid)s already paid, %(left)s left."
                )
                % {
                    "granted": kronor(granted),
                    "paid": kronor(already),
                    "left": kronor(granted - already),
                }
            }
        )
    if grant.decided_on and paid_on < grant.decided_on:
        raise ValidationError({"paid_on": _("A payment cannot be made before the decision.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    payment = Payment.objects.create(
        grant=grant,
        paid_on=paid_on,
        amount=amount,
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    from_state = grant.state
    before = _snapshot(grant)
    grant.state = S.PAID if already + amount == granted else S.PARTLY_PAID
    grant.save(update_fields=["state", "updated_at"])
    _event(
        grant,
        GrantEvent.Kind.PAID,
        actor=actor,
        from_state=from_state,
        amount=amount,
        note=f"{paid_on:%Y-%m-%d}" + (f" {payment.note}" if payment.note else ""),
    )
    audit_record(
        actor=actor,
        action="grant.pay",
        instance=payment,
        partnership=grant.partnership,
        after=audit_snapshot(payment),
    )
    if from_state != grant.state:
        audit_record(
            actor=actor,
            action="grant.move",
            instance=grant,
            partnership=grant.partnership,
            before=before,
            after=_snapshot(grant),
        )
    return payment


@transaction.atomic
def followup_submit(
    *, grant: Grant, actor: Any, done: str, outcome: str, costs: int | None
) -> Grant:
    """Take in the follow-up report (what was done, the outcome, the actual costs), from the
    applicant's private link (``actor`` None) or registered by staff. It comes in once."""
    grant = _lock(grant)
    workflow.ensure_followup_allowed(grant)
    errors: dict[str, str] = {}
    if not done.strip():
        errors["done"] = _("Tell what was done in the project.")
    if not outcome.strip():
        errors["outcome"] = _("Tell what came out of the project.")
    if costs is None or costs < 0:
        errors["costs"] = _("Write what the project cost.")
    if errors:
        raise ValidationError(errors)
    before = _snapshot(grant)
    grant.followup_done = done.strip()
    grant.followup_outcome = outcome.strip()
    grant.followup_costs = costs
    grant.followup_at = timezone.now()
    grant.save(
        update_fields=[
            "followup_done",
            "followup_outcome",
            "followup_costs",
            "followup_at",
            "updated_at",
        ]
    )
    _event(grant, GrantEvent.Kind.FOLLOWUP, actor=actor, from_state=grant.state, amount=costs)
    audit_record(
        actor=actor,
        action="grant.followup",
        instance=grant,
        partnership=grant.partnership,
        before=before,
        after=_snapshot(grant),
    )
    return grant


@transaction.atomic
def grant_close(*, grant: Grant, actor: Any) -> Grant:
    """Close the grant once its follow-up report is in."""
    grant = _lock(grant)
    workflow.ensure_allowed(grant, "close", actor)
    if not grant.has_followup:
        raise ValidationError(_("The grant can be closed once the follow-up report is in."))
    from_state = grant.state
    before = _snapshot(grant)
    grant.state = S.CLOSED
    grant.save(update_fields=["state", "updated_at"])
    _event(grant, GrantEvent.Kind.CLOSED, actor=actor, from_state=from_state)
    audit_record(
        actor=actor,
        action="grant.close",
        instance=grant,
        partnership=grant.partnership,
        before=before,
        after=_snapshot(grant),
    )
    return grant


# Grant states in which the application needs its contact person no more.
SETTLED = frozenset({Grant.State.REJECTED, Grant.State.CLOSED})


@transaction.atomic
def grant_anonymise(*, grant: Grant, actor: Any, words: tuple[str, ...] = ()) -> dict[str, int]:
    """Take the contact person out of an application that is kept as an official document:
    their name, e-mail and phone go, copies of them in the application's text, budget,
    timeline and audit entries are replaced by a mark, and the applicant's private link stops
    working. The association and its organisation number (a legal person), the project, the
    decision and the payments stay. Return how many rows were changed, per kind."""
    from soin.retention.redact import redact, redact_audit, redact_rows, words_of

    grant = _lock(grant)
    found = words_of(grant.contact_name, grant.contact_email, grant.contact_phone, *words)
    fields: list[str] = []
    for name in ("contact_name", "contact_email", "contact_phone", "nonce"):
        if getattr(grant, name):
            setattr(grant, name, "")
            fields.append(name)
    for name in (
        "title",
        "purpose",
        "conditions",
        "decision_reason",
        "followup_done",
        "followup_outcome",
    ):
        text = redact(getattr(grant, name), found)
        if text != getattr(grant, name):
            setattr(grant, name, text)
            fields.append(name)
    counts = {
        "timeline_entries": redact_rows(GrantEvent.objects.filter(grant=grant), ["note"], found),
        "budget_lines": redact_rows(BudgetLine.objects.filter(grant=grant), ["item"], found),
        "audit_entries": redact_audit(grant, found),
    }
    if not fields and not any(counts.values()):
        return {}
    if fields:
        grant.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="grant.anonymise",
        instance=grant,
        before={},
        after={"anonymised": sorted(fields)},
    )
    return {"grants": 1 if fields else 0, **counts}
