from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

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
