"""Changes to people and their roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import django_otp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.accounts.models import Role, User
from soin.audit.services import audit_record, audit_snapshot
from soin.core.emails import canonical_email
from soin.regions.models import Partnership


def _check_role_scope(*, partnership: Partnership | None, kind: str, organisation: Any) -> None:
    if kind not in Role.Kind.values:
        raise ValidationError({"kind": _("Choose a role.")})
    if kind == Role.Kind.PARTNER_CONTACT:
        if organisation is None:
            raise ValidationError(
                {"organisation": _("A partner contact belongs to an organisation.")}
            )
        if partnership is None or organisation.partnership_id != partnership.pk:
            raise ValidationError(
                {"organisation": _("Choose an organisation in this partnership.")}
            )
    elif organisation is not None:
        raise ValidationError(
            {"organisation": _("Only a partner contact is tied to an organisation.")}
        )
    if kind == Role.Kind.NATIONAL_COORDINATOR and partnership is not None:
        raise ValidationError({"kind": _("A national coordinator is not tied to a partnership.")})
    if kind != Role.Kind.NATIONAL_COORDINATOR and partnership is None:
        raise ValidationError({"kind": _("This role belongs to a partnership.")})


@transaction.atomic
def role_grant(
    *,
    user: User,
    kind: str,
    actor: Any,
    partnership: Partnership | None = None,
    organisation: Any = None,
) -> Role:
    """Give ``user`` a role in ``partnership`` (or nationally)."""
    _check_role_scope(partnership=partnership, kind=kind, organisation=organisation)
    existing = Role.objects.filter(
        user=user, kind=kind, partnership=partnership, organisation=organisation
    ).first()
    if existing:
        raise ValidationError(_("%(user)s already has this role.") % {"user": user})
    role = Role.objects.create(
        user=user, kind=kind, partnership=partnership, organisation=organisation
    )
    audit_record(actor=actor, action="role.grant", instance=role, partnership=partnership)
    return role


@transaction.atomic
def role_revoke(*, role: Role, actor: Any) -> None:
    """Take a role away. The last coordinator of a partnership cannot be removed."""
    if role.kind == Role.Kind.COORDINATOR:
        # Lock the partnership's coordinator roles so that two coordinators removing each
        # other at the same moment cannot leave the partnership with none.
        coordinators = list(
            Role.objects.select_for_update()
            .filter(partnership=role.partnership, kind=Role.Kind.COORDINATOR)
            .values_list("pk", "user__is_active")
        )
        if not any(active for pk, active in coordinators if pk != role.pk):
            raise ValidationError(_("A partnership needs at least one coordinator."))
    before = audit_snapshot(role)
    audit_record(
        actor=actor,
        action="role.revoke",
        instance=role,
        before=before,
        partnership=role.partnership,
        deleted=True,
    )
    role.delete()


@transaction.atomic
def person_invite(
    *,
    actor: Any,
    partnership: Partnership | None,
    email: str,
    full_name: str,
    kind: str,
    organisation: Any = None,
    language: str = "sv",
) -> Role:
    """Give a person a role, creating their account if they have none, and mail them a link
    to choose a password once the change is committed."""
    from soin.accounts.tasks import send_invitation

    email = email.strip()
    _check_role_scope(partnership=partnership, kind=kind, organisation=organisation)
    # One account per address, however it is typed (soin.core.emails).
    user = User.objects.filter(email_canonical=canonical_email(email)).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, full_name=full_name.strip(), language=language
        )
        audit_record(actor=actor, action="user.create", instance=user, partnership=partnership)
    role = role_grant(
        user=user, kind=kind, actor=actor, partnership=partnership, organisation=organisation
    )
    if created:
        user_id, partnership_id = user.pk, partnership.pk if partnership else None
        transaction.on_commit(
            lambda: send_invitation.enqueue(user_id=user_id, partnership_id=partnership_id)
        )
    return role


@transaction.atomic
def person_invitation_resend(*, user: User, partnership: Partnership, actor: Any) -> None:
    """Mail a new link to a person who has not chosen a password yet (the first link works once
    and for a few days)."""
    from soin.accounts.tasks import send_invitation

    if user.has_usable_password():
        raise ValidationError(
            _("%(user)s has already chosen a password and can log in.") % {"user": user}
        )
    audit_record(
        actor=actor, action="user.invitation_resend", instance=user, partnership=partnership
    )
    user_id, partnership_id = user.pk, partnership.pk
    transaction.on_commit(
        lambda: send_invitation.enqueue(user_id=user_id, partnership_id=partnership_id)
    )


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    """Set the password a person chose through their invitation link."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.set_password", instance=user)
    return user


# The second factor ----------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


@dataclass
class CodeCheck:
    """The outcome of a code: the device that accepted it, or why none did."""

    device: Device | None = None
    # Set when the code was not even tried: too many wrong ones came just before.
    wait_until: datetime.datetime | None = None
    # New recovery codes, to be shown once (when an authenticator app was just set up).
    recovery_codes: list[str] = field(default_factory=list)


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _verify(user: User, device: Device, token: str) -> CodeCheck:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(wait_until=(info or {}).get("locked_until") or timezone.now())
    # django-otp's own transaction: a wrong code is counted (and throttles the next) even
    # though nothing else is written.
    return CodeCheck(device=django_otp.verify_token(user, device.persistent_id, token))


def second_factor_verify(*, user: User, code: str) -> CodeCheck:
    """Check a code from the user's authenticator app, or one of their recovery codes. Each
    wrong code makes the next try wait twice as long (django-otp's throttling); a recovery
    code that is accepted is used up."""
    token = _clean_code(code)
    if token.isdigit():
        device: Device | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not token:
        return CodeCheck()
    check = _verify(user, device, token)
    if isinstance(check.device, StaticDevice):
        _recovery_code_used(user=user)
    return check


@transaction.atomic
def _recovery_code_used(*, user: User) -> None:
    audit_record(actor=user, action="user.recovery_code_use", instance=user)


@transaction.atomic
def second_factor_begin(*, user: User) -> TOTPDevice:
    """Return the authenticator app the user is setting up, with a new random key if they
    have not begun one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def second_factor_confirm(*, user: User, code: str) -> CodeCheck:
    """Confirm the authenticator app being set up with its first code. On success it becomes
    the user's only one, and ten new recovery codes replace any earlier ones."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    token = _clean_code(code)
    if device is None or not token.isdigit():
        return CodeCheck()
    check = _verify(user, device, token)
    if check.device is not None:
        check.recovery_codes = _second_factor_activate(user=user, device=device)
    return check


@transaction.atomic
def _second_factor_activate(*, user: User, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="user.second_factor_enrol", instance=user)
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Give the user ten new single-use recovery codes in place of any they had; return them
    (they are shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_record(actor=user, action="user.recovery_codes_renew", instance=user)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: Any = None) -> int:
    """Remove the user's authenticator app and recovery codes (a lost phone): their next
    login sets up a new app. A login verified by the old one is verified no longer. Return
    how many devices were removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _count, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    audit_record(actor=actor, action="user.second_factor_reset", instance=user)
    return removed
