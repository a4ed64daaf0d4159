from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from soin.accounts import services
from soin.accounts.models import Role
from soin.accounts.permissions import PERMISSIONS, has_perm, partnerships_for
from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL, OTHER


def test_each_role_holds_what_the_table_says(world) -> None:
    p = world.partnership
    users = world.users
    for perm, roles in PERMISSIONS.items():
        for role in (CONTACT, ADVISOR, COORDINATOR, NATIONAL):
            assert has_perm(users[role], perm, p) == (role in roles), (perm, role)
        # Another partnership's coordinator holds nothing here.
        assert not has_perm(users[OTHER], perm, p), perm


def test_own_permissions_reach_only_the_contacts_organisation(world) -> None:
    contact = world.users[CONTACT]
    p = world.partnership
    assert has_perm(contact, "partners.change_own", p, organisation=world.own_org)
    assert not has_perm(contact, "partners.change_own", p, organisation=world.other_org)
    # A permission that is not "own" is not narrowed by the organisation.
    assert has_perm(contact, "partners.view", p, organisation=world.other_org)
    # The coordinator's reach is the whole partnership.
    assert has_perm(
        world.users[COORDINATOR], "partners.change_own", p, organisation=world.other_org
    )


def test_an_unknown_permission_is_a_programming_error(world) -> None:
    with pytest.raises(KeyError):
        has_perm(world.users[COORDINATOR], "partners.fly", world.partnership)


def test_an_inactive_user_holds_nothing(world) -> None:
    user = world.users[COORDINATOR]
    user.is_active = False
    assert not has_perm(user, "partners.view", world.partnership)


def test_the_partnerships_a_user_may_enter(world) -> None:
    assert list(partnerships_for(world.users[COORDINATOR])) == [world.partnership]
    assert set(partnerships_for(world.users[NATIONAL])) == {
        world.partnership,
        world.other_partnership,
    }


def test_role_scope_rules(world) -> None:
    user = world.users[ADVISOR]
    with pytest.raises(ValidationError):
        services.role_grant(
            user=user, kind="partner_contact", actor=None, partnership=world.partnership
        )
    with pytest.raises(ValidationError):
        services.role_grant(
            user=user,
            kind="partner_contact",
            actor=None,
            partnership=world.other_partnership,
            organisation=world.own_org,
        )
    with pytest.raises(ValidationError):
        services.role_grant(user=user, kind="advisor", actor=None, partnership=world.partnership)
    with pytest.raises(ValidationError):
        services.role_grant(
            user=user, kind="national_coordinator", actor=None, partnership=world.partnership
        )
    # The database refuses what the service would never write.
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=user, kind="partner_contact", partnership=world.partnership)


def test_the_last_coordinator_cannot_be_removed(world) -> None:
    role = Role.objects.get(user=world.users[COORDINATOR])
    with pytest.raises(ValidationError):
        services.role_revoke(role=role, actor=world.users[COORDINATOR])
    services.role_grant(
        user=world.users[ADVISOR], kind="coordinator", actor=None, partnership=world.partnership
    )
    services.role_revoke(role=role, actor=world.users[COORDINATOR])
    assert not Role.objects.filter(pk=role.pk).exists()
