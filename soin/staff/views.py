"""The back office's own pages: the way in, and the dashboard of a partnership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.accounts.permissions import has_perm, partnerships_for, roles_in
from soin.core.forms import apply_service_error
from soin.core.views import staff_view
from soin.knowledge import selectors as knowledge_selectors
from soin.meaning import engine as meaning_engine
from soin.partners import selectors as partner_selectors
from soin.partners.models import Agreement
from soin.regions.forms import PartnershipForm
from soin.regions.models import Partnership
from soin.regions.services import partnership_update


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a person to their partnership's dashboard, or let them choose one."""
    partnerships = list(partnerships_for(request.user))
    if len(partnerships) == 1:
        return redirect("staff:dashboard", partnership=partnerships[0].slug)
    return render(
        request,
        "staff/choose.html",
        {
            "partnerships": partnerships,
            "can_national": has_perm(request.user, "statistics.national", None),
            "can_exchange": has_perm(request.user, "exchange.manage", None),
        },
    )


@staff_view("staff.view")
def dashboard(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    today = timezone.localdate()
    groups = partner_selectors.partners_by_sector(partnership=partnership, day=today)
    user = request.user
    agreements = partner_selectors.agreements_for(user=user, partnership=partnership)
    return render(
        request,
        "staff/dashboard.html",
        {
            "partnership": partnership,
            "sector_groups": groups,
            "partner_count": sum(g.count for g in groups),
            "agreement_counts": {
                state: agreements.filter(state=state).count() for state in Agreement.State.values
            },
            "groups": partner_selectors.group_members_on(partnership=partnership, day=today),
            "roles": roles_in(user, partnership),
            "can": {
                "agreements": has_perm(user, "agreements.view_own", partnership),
                "people": has_perm(user, "people.view", partnership),
                "audit": has_perm(user, "audit.view", partnership),
                "settings": has_perm(user, "partnership.change", partnership),
                "bank": has_perm(user, "bank.view", partnership),
                "statistics": has_perm(user, "statistics.view", partnership),
                "national": has_perm(user, "statistics.national", None),
                "exchange": has_perm(user, "exchange.manage", None),
                "funding": has_perm(user, "funding.view", partnership),
                "plans": has_perm(user, "plans.view", partnership),
                "grants": has_perm(user, "grants.view", partnership),
                "impact": has_perm(user, "impact.view", partnership),
            },
            # Coordinators hear when similar ideas are found by words alone for want of a model.
            "meaning": meaning_engine.model_status()
            if has_perm(user, "partnership.change", partnership)
            else None,
            "bank_counts": knowledge_selectors.entry_counts(partnership=partnership)
            if has_perm(user, "bank.view", partnership)
            else {},
        },
    )


@staff_view("partnership.change")
def partnership_settings(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        partnership.refresh_from_db()
        try:
            partnership_update(partnership=partnership, actor=request.user, **changes)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:dashboard", partnership=partnership.slug)
    return render(
        request,
        "staff/partnership_settings.html",
        {
            "partnership": partnership,
            "form": form,
        },
    )
