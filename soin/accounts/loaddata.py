"""Generated staff: a coordinator and advisors for the partnership, and contacts for some
of its partners. They cannot log in (no usable password); the benchmarks log in as one of
them through the session, as the tests do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from soin.accounts.models import Role, User


def generate(load: Any) -> None:
    p, scale = load.partnership, load.scale
    unusable = make_password(None)
    staff = [
        User(email=load.text.email("staff", n, p), full_name=load.text.name(), password=unusable)
        for n in range(scale.staff)
    ]
    contacts = [
        User(email=load.text.email("partner", n, p), full_name=load.text.name(), password=unusable)
        for n in range(scale.partner_contacts)
    ]
    staff = load.bulk(User, staff)
    contacts = load.bulk(User, contacts)
    roles = [
        Role(
            user=user,
            kind=Role.Kind.COORDINATOR if n == 0 else Role.Kind.ADVISOR,
            partnership=p,
        )
        for n, user in enumerate(staff)
    ]
    orgs = load.organisations[1:] or load.organisations
    roles += [
        Role(
            user=user,
            kind=Role.Kind.PARTNER_CONTACT,
            partnership=p,
            organisation=orgs[n % len(orgs)],
        )
        for n, user in enumerate(contacts)
    ]
    load.bulk(Role, roles)
    load.staff = staff
