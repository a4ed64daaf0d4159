"""Back-office pages of small development grants: the list, registering an application that
came by letter or e-mail, the grant (decision, payments, follow-up, timeline) and the totals
per year and municipality."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.exports import table_response
from soin.core.forms import apply_service_error
from soin.core.views import run_action, run_form_action, staff_view
from soin.grants import selectors, services, workflow
from soin.grants.forms import (
    ApproveForm,
    BudgetFormSet,
    FilterForm,
    FollowupForm,
    PaymentForm,
    RegisterGrantForm,
    RejectForm,
    budget_lines,
)
from soin.regions.models import Partnership


def _detail(partnership: Partnership, pk: int) -> HttpResponse:
    return redirect("staff:grant_detail", partnership=partnership.slug, pk=pk)


@staff_view("grants.view")
def grant_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = FilterForm(request.GET or None, years=selectors.grant_years(partnership=partnership))
    return render(
        request,
        "grants/staff/grant_list.html",
        {
            "partnership": partnership,
            "form": form,
            "grants": selectors.grants_for(partnership=partnership, **form.filters()),
            "can_change": has_perm(request.user, "grants.change", partnership),
        },
    )


@staff_view("grants.change")
def grant_register(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = RegisterGrantForm(request.POST or None, partnership=partnership)
    budget = BudgetFormSet(request.POST or None, prefix="budget")
    if request.method == "POST" and form.is_valid() & budget.is_valid():
        data = form.application_data()
        try:
            grant = services.grant_register(
                partnership=partnership,
                actor=request.user,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                language=form.cleaned_data["language"],
                budget_lines=budget_lines(budget),
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("Application %(number)s was registered.") % {"number": grant.number}
            )
            return _detail(partnership, grant.pk)
    return render(
        request,
        "grants/staff/grant_form.html",
        {"partnership": partnership, "form": form, "budget": budget},
    )


@staff_view("grants.view")
def grant_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    paid = services.paid_total(grant)
    user = request.user
    return render(
        request,
        "grants/staff/grant_detail.html",
        {
            "partnership": partnership,
            "grant": grant,
            "payments": selectors.payments_of(grant),
            "events": grant.events.select_related("actor"),
            "paid": paid,
            "left": (grant.amount_granted or 0) - paid,
            # The applicant's contact details only for those who handle grants: the national
            # coordinator follows the figures, not the people.
            "show_contact": has_perm(user, "grants.change", partnership),
            "may_decide": workflow.may(user, grant, "approve"),
            "may_pay": workflow.may(user, grant, "pay"),
            "may_close": workflow.may(user, grant, "close") and grant.has_followup,
            "may_followup": has_perm(user, "grants.change", partnership)
            and not grant.has_followup
            and grant.state in workflow.FOLLOWUP_STATES,
            "approve_form": ApproveForm(initial={"amount_granted": grant.amount_applied}),
            "reject_form": RejectForm(),
            "payment_form": PaymentForm(
                initial={
                    "paid_on": timezone.localdate(),
                    "amount": (grant.amount_granted or 0) - paid,
                }
            ),
            "followup_form": FollowupForm(),
        },
    )


@require_POST
@staff_view("grants.decide")
def grant_approve(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        ApproveForm(request.POST),
        lambda d: services.grant_approve(
            grant=grant,
            actor=request.user,
            amount_granted=d["amount_granted"],
            conditions=d["conditions"],
        ),
    )
    return _detail(partnership, grant.pk)


@require_POST
@staff_view("grants.decide")
def grant_reject(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        RejectForm(request.POST),
        lambda d: services.grant_reject(grant=grant, actor=request.user, reason=d["reason"]),
    )
    return _detail(partnership, grant.pk)


@require_POST
@staff_view("grants.change")
def payment_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        PaymentForm(request.POST),
        lambda d: services.payment_add(grant=grant, actor=request.user, **d),
    )
    return _detail(partnership, grant.pk)


@require_POST
@staff_view("grants.change")
def followup_register(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        FollowupForm(request.POST),
        lambda d: services.followup_submit(grant=grant, actor=request.user, **d),
    )
    return _detail(partnership, grant.pk)


@require_POST
@staff_view("grants.decide")
def grant_close(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for(user=request.user, partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.grant_close(grant=grant, actor=request.user),
        _("The grant was closed."),
    )
    return _detail(partnership, grant.pk)


@staff_view("grants.view")
def grant_totals(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    years = selectors.grant_years(partnership=partnership)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else None
    tables = selectors.totals(partnership=partnership, year=year)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        headers = [
            _("Year"),
            _("Municipality"),
            _("Applications"),
            _("Applied for (SEK)"),
            _("Granted (SEK)"),
            _("Paid (SEK)"),
        ]
        rows = [
            [t.year, r.municipality, r.applications, r.applied, r.granted, r.paid]
            for t in tables
            for r in t.rows
        ]
        return table_response(
            fmt=fmt,
            filename=f"grants-{partnership.slug}" + (f"-{year}" if year else ""),
            title=_("Grants"),
            headers=headers,
            rows=rows,
        )
    return render(
        request,
        "grants/staff/grant_totals.html",
        {
            "partnership": partnership,
            "tables": tables,
            "years": years,
            "year": year,
        },
    )
