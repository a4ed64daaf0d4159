"""Changes to people and their roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from soin.accounts.models import Role, User
from soin.audit.services import audit_record, audit_snapshot
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

    email = User.objects.normalize_email(email.strip()).lower()
    _check_role_scope(partnership=partnership, kind=kind, organisation=organisation)
    user = User.objects.filter(email__iexact=email).first()
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
