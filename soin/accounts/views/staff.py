"""Back-office pages for the people who work in a partnership and their roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts import selectors, services
from soin.accounts.forms import InviteForm
from soin.core.forms import apply_service_error
from soin.core.views import run_action, staff_view
from soin.regions.models import Partnership


@staff_view("people.view")
def people(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "accounts/staff/people.html",
        {
            "partnership": partnership,
            "people": selectors.people_in(partnership=partnership),
        },
    )


@staff_view("people.change")
def person_invite(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = InviteForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.person_invite(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now has the role %(role)s.")
                % {"name": role.user, "role": role.get_kind_display()},
            )
            return redirect("staff:people", partnership=partnership.slug)
    return render(
        request,
        "accounts/staff/invite.html",
        {
            "partnership": partnership,
            "form": form,
        },
    )


@require_POST
@staff_view("people.change")
def role_revoke(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    role = selectors.role_get_for(user=request.user, partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.role_revoke(role=role, actor=request.user),
        _("The role was removed."),
    )
    return redirect("staff:people", partnership=partnership.slug)


@require_POST
@staff_view("people.change")
def invitation_resend(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    role = selectors.role_get_for(user=request.user, partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.person_invitation_resend(
            user=role.user, partnership=partnership, actor=request.user
        ),
        _("A new link was sent to %(email)s.") % {"email": role.user.email},
    )
    return redirect("staff:people", partnership=partnership.slug)
