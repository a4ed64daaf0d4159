"""What every back-office view shares: login, the partnership from the URL, the permission."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from soin.accounts.permissions import has_perm
from soin.regions.models import Partnership


def staff_view(perm: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Guard a back-office view under ``/staff/<partnership>/``.

    Anonymous users are sent to the login page; users without ``perm`` in the partnership named
    by the URL get 403. The view receives the Partnership object instead of its slug, and
    ``request.partnership`` is set for templates.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, partnership: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = get_object_or_404(Partnership, slug=partnership)
            if not has_perm(request.user, perm, obj):
                raise PermissionDenied
            request.partnership = obj  # type: ignore[attr-defined]
            return view(request, obj, *args, **kwargs)

        wrapped.staff_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator
