"""What every back-office view shares: login, the partnership from the URL, the permission."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from soin.accounts.middleware import is_verified, second_step_url
from soin.accounts.permissions import has_perm
from soin.regions.models import Partnership


def staff_view(perm: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Guard a back-office view under ``/staff/<partnership>/``.

    Anonymous users are sent to the login page, and a login not yet verified by a second
    factor to the code step; users without ``perm`` in the partnership named
    by the URL get 403. The view receives the Partnership object instead of its slug, and
    ``request.partnership`` is set for templates.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(
            request: HttpRequest, partnership: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_verified(request.user):
                # Only the password so far: the code first (SecondFactorMiddleware says so too).
                return redirect(second_step_url(request.user, request.get_full_path()))
            obj = get_object_or_404(Partnership, slug=partnership)
            if not has_perm(request.user, perm, obj):
                raise PermissionDenied
            request.partnership = obj  # type: ignore[attr-defined]
            return view(request, obj, *args, **kwargs)

        wrapped.staff_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def national_view(perm: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Guard a back-office view across every partnership (``/staff/national/…``): as
    ``staff_view``, with ``perm`` asked of the user's national role (partnership None)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_verified(request.user):
                return redirect(second_step_url(request.user, request.get_full_path()))
            if not has_perm(request.user, perm, None):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def run_form_action(
    request: HttpRequest, form: forms.BaseForm, call: Callable[[dict[str, Any]], object]
) -> bool:
    """Validate ``form`` and call ``call`` with its data; report the outcome as messages.

    For the small forms embedded in a page (sign, end, join…) that redirect back to it.
    """
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return False
    return run_action(request, lambda: call(form.cleaned_data), _("The changes were saved."))


def run_action(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Call a service for a button that takes no input; report its refusal or ``done`` as a
    message. Return whether it went through."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True
