from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.accounts.models import Role, User
from soin.accounts.permissions import has_perm
from soin.regions.models import Partnership


def people_in(*, partnership: Partnership) -> QuerySet[User]:
    """Return the people who hold a role in the partnership, with those roles fetched."""
    roles = Role.objects.filter(partnership=partnership).select_related("organisation")
    return (
        User.objects.filter(roles__partnership=partnership)
        .distinct()
        .prefetch_related(Prefetch("roles", queryset=roles, to_attr="partnership_roles"))
        .order_by("full_name", "email")
    )


def role_get_for(*, user: Any, partnership: Partnership, pk: int) -> Role:
    """Return role ``pk`` in the partnership if ``user`` may manage people there; 404 otherwise."""
    role = Role.objects.filter(partnership=partnership, pk=pk).select_related("user").first()
    if role is None or not has_perm(user, "people.change", partnership):
        raise Http404
    return role


def totp_device_for(*, user: Any) -> TOTPDevice | None:
    """Return the user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_totp_device_for(*, user: Any) -> TOTPDevice | None:
    """Return the authenticator app the user has begun but not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(*, user: Any) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
