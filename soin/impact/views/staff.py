"""Back-office pages of impact (SROI): the analyses of the partnership's innovations (the
impact map, results, payback, sensitivity, XLSX and PDF) and the national bank of financial
proxies (search, propose, approve or reject, new versions, export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.exports import XLSX_TYPE, table_response
from soin.core.forms import apply_service_error
from soin.core.views import run_action, run_form_action, staff_view
from soin.impact import documents, selectors, services, workflow
from soin.impact.forms import (
    AnalysisForm,
    InputForm,
    OutcomeForm,
    ProxyForm,
    ProxyMoveForm,
    ProxySearchForm,
    StakeholderForm,
)
from soin.impact.models import Analysis
from soin.regions.models import Partnership
from soin.reports import charts


def _language(request: HttpRequest) -> str:
    language = request.GET.get("language") or request.LANGUAGE_CODE
    return language if language in ("sv", "en") else "sv"


def _to_analysis(partnership: Partnership, analysis: Analysis) -> HttpResponse:
    return redirect("staff:impact_analysis", partnership=partnership.slug, pk=analysis.pk)


def _save(
    request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], object], done: str
) -> bool:
    """Validate ``form`` and call the service; show its refusal on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        apply_service_error(form, error)
        return False
    messages.success(request, done)
    return True


# Analyses ----------------------------------------------------------------------------------


@staff_view("impact.view")
def impact(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    analyses = list(selectors.analyses_for(partnership=partnership))
    return render(
        request,
        "impact/staff/impact.html",
        {
            "partnership": partnership,
            "analyses": [(a, selectors.ratio_of(a)) for a in analyses],
            "can_change": has_perm(request.user, "impact.change", partnership),
        },
    )


@staff_view("impact.change")
def analysis_new(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = AnalysisForm(request.POST or None, partnership=partnership)
    created: list[Analysis] = []
    if _save(
        request,
        form,
        lambda data: created.append(
            services.analysis_create(partnership=partnership, actor=request.user, **data)
        ),
        _("The analysis was started. Add its stakeholders, inputs and outcomes."),
    ):
        return _to_analysis(partnership, created[0])
    return render(
        request,
        "impact/staff/analysis_form.html",
        {"partnership": partnership, "form": form, "analysis": None},
    )


@staff_view("impact.view")
def analysis(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    results = selectors.analysis_results(found)
    chart = None
    if results.result.years:
        chart = charts.inline(charts.chart_svg(results.chart_table()))
    return render(
        request,
        "impact/staff/analysis.html",
        {
            "partnership": partnership,
            "analysis": found,
            "results": results,
            "chart": chart,
            "chart_table": results.chart_table(),
            "can_change": has_perm(request.user, "impact.change", partnership),
        },
    )


@staff_view("impact.change")
def analysis_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    form = AnalysisForm(request.POST or None, partnership=partnership, analysis=found)
    if _save(
        request,
        form,
        lambda data: services.analysis_update(analysis=found, actor=request.user, **data),
        _("The changes were saved."),
    ):
        return _to_analysis(partnership, found)
    return render(
        request,
        "impact/staff/analysis_form.html",
        {"partnership": partnership, "form": form, "analysis": found},
    )


@staff_view("impact.view")
def analysis_download(
    request: HttpRequest, partnership: Partnership, pk: int, fmt: str
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    language = _language(request)
    if fmt == "xlsx":
        response = HttpResponse(documents.analysis_xlsx(found, language), content_type=XLSX_TYPE)
    elif fmt == "pdf":
        response = HttpResponse(
            documents.analysis_pdf(found, language), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="sroi-{found.pk}.{fmt}"'
    return response


# The parts of an analysis: stakeholders, inputs, outcomes ---------------------------------


def _part_page(
    request: HttpRequest,
    partnership: Partnership,
    found: Analysis,
    form: forms.Form,
    title: str,
    call: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    if _save(request, form, call, done):
        return _to_analysis(partnership, found)
    return render(
        request,
        "impact/staff/part_form.html",
        {"partnership": partnership, "analysis": found, "form": form, "title": title},
    )


def _remove(
    request: HttpRequest, partnership: Partnership, found: Analysis, call: Callable[[], object]
) -> HttpResponse:
    run_action(request, call, _("It was removed."))
    return _to_analysis(partnership, found)


@staff_view("impact.change")
def stakeholder_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    return _part_page(
        request,
        partnership,
        found,
        StakeholderForm(request.POST or None),
        _("Add a stakeholder"),
        lambda data: services.stakeholder_add(analysis=found, actor=request.user, **data),
        _("The stakeholder was added."),
    )


@staff_view("impact.change")
def stakeholder_edit(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    stakeholder = selectors.stakeholder_get_for(analysis=found, pk=item)
    form = StakeholderForm(
        request.POST or None,
        initial={"name": stakeholder.name, "description": stakeholder.description},
    )
    return _part_page(
        request,
        partnership,
        found,
        form,
        _("Change the stakeholder"),
        lambda data: services.stakeholder_update(
            stakeholder=stakeholder, actor=request.user, **data
        ),
        _("The changes were saved."),
    )


@require_POST
@staff_view("impact.change")
def stakeholder_remove(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    stakeholder = selectors.stakeholder_get_for(analysis=found, pk=item)
    return _remove(
        request,
        partnership,
        found,
        lambda: services.stakeholder_remove(stakeholder=stakeholder, actor=request.user),
    )


@staff_view("impact.change")
def input_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    return _part_page(
        request,
        partnership,
        found,
        InputForm(request.POST or None, analysis=found),
        _("Add an input"),
        lambda data: services.input_add(analysis=found, actor=request.user, **data),
        _("The input was added."),
    )


@staff_view("impact.change")
def input_edit(request: HttpRequest, partnership: Partnership, pk: int, item: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    part = selectors.input_get_for(analysis=found, pk=item)
    form = InputForm(
        request.POST or None,
        analysis=found,
        initial={
            "stakeholder": part.stakeholder_id,
            "description": part.description,
            "value": part.value,
        },
    )
    return _part_page(
        request,
        partnership,
        found,
        form,
        _("Change the input"),
        lambda data: services.input_update(item=part, actor=request.user, **data),
        _("The changes were saved."),
    )


@require_POST
@staff_view("impact.change")
def input_remove(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    part = selectors.input_get_for(analysis=found, pk=item)
    return _remove(
        request,
        partnership,
        found,
        lambda: services.input_remove(item=part, actor=request.user),
    )


@staff_view("impact.change")
def outcome_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    return _part_page(
        request,
        partnership,
        found,
        OutcomeForm(request.POST or None, analysis=found),
        _("Add an outcome"),
        lambda data: services.outcome_add(analysis=found, actor=request.user, **data),
        _("The outcome was added."),
    )


@staff_view("impact.change")
def outcome_edit(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    part = selectors.outcome_get_for(analysis=found, pk=item)
    return _part_page(
        request,
        partnership,
        found,
        OutcomeForm(request.POST or None, analysis=found, outcome=part),
        _("Change the outcome"),
        lambda data: services.outcome_update(outcome=part, actor=request.user, **data),
        _("The changes were saved."),
    )


@require_POST
@staff_view("impact.change")
def outcome_remove(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    part = selectors.outcome_get_for(analysis=found, pk=item)
    return _remove(
        request,
        partnership,
        found,
        lambda: services.outcome_remove(outcome=part, actor=request.user),
    )


@require_POST
@staff_view("impact.change")
def outcome_proxy_update(
    request: HttpRequest, partnership: Partnership, pk: int, item: int
) -> HttpResponse:
    found = selectors.analysis_get_for(user=request.user, partnership=partnership, pk=pk)
    part = selectors.outcome_get_for(analysis=found, pk=item)
    run_action(
        request,
        lambda: services.outcome_proxy_update(outcome=part, actor=request.user),
        _("The outcome now uses the newest version of its proxy."),
    )
    return _to_analysis(partnership, found)


# The bank of financial proxies -------------------------------------------------------------


@staff_view("impact.view")
def proxies(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = ProxySearchForm(request.GET or None)
    found = list(selectors.approved_proxies(**form.criteria()))
    return render(
        request,
        "impact/staff/proxies.html",
        {
            "partnership": partnership,
            "form": form,
            "proxies": found,
            "proposals": list(selectors.proposed_proxies()),
            "query": request.GET.urlencode(),
            "can_propose": has_perm(request.user, "proxies.propose", partnership),
        },
    )


@staff_view("impact.view")
def proxies_download(request: HttpRequest, partnership: Partnership, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = ProxySearchForm(request.GET or None)
    found = list(selectors.approved_proxies(**form.criteria()))
    return table_response(
        fmt=fmt,
        filename="sroi-proxybank",
        title=_("Financial proxies"),
        headers=documents.bank_headers(),
        rows=documents.bank_rows(found),
    )


@staff_view("proxies.propose")
def proxy_propose(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = ProxyForm(request.POST or None)
    made: list[Any] = []
    if _save(
        request,
        form,
        lambda data: made.append(
            services.proxy_propose(actor=request.user, partnership=partnership, **data)
        ),
        _("The proxy was proposed. The national coordinator decides whether it joins the bank."),
    ):
        return redirect("staff:impact_proxy", partnership=partnership.slug, pk=made[0].pk)
    return render(
        request,
        "impact/staff/proxy_form.html",
        {"partnership": partnership, "form": form, "proxy": None},
    )


@staff_view("impact.view")
def proxy(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.proxy_get(pk=pk)
    moves = workflow.available_moves(request.user, found)
    return render(
        request,
        "impact/staff/proxy.html",
        {
            "partnership": partnership,
            "proxy": found,
            "versions": selectors.proxy_versions(found),
            "events": list(found.events.select_related("actor")),
            "moves": [(m, ProxyMoveForm(initial={"move": m.name})) for m in moves],
            "can_version": found.state == found.State.APPROVED
            and has_perm(request.user, "proxies.propose", partnership),
        },
    )


@require_POST
@staff_view("proxies.approve")
def proxy_move(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.proxy_get(pk=pk)
    run_form_action(
        request,
        ProxyMoveForm(request.POST),
        lambda data: services.proxy_move(
            proxy=found, actor=request.user, move=data["move"], note=data["note"]
        ),
    )
    return redirect("staff:impact_proxy", partnership=partnership.slug, pk=found.pk)


@staff_view("proxies.propose")
def proxy_new_version(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.proxy_get(pk=pk)
    form = ProxyForm(request.POST or None, proxy=found)
    made: list[Any] = []
    if _save(
        request,
        form,
        lambda data: made.append(
            services.proxy_new_version(
                proxy=found, actor=request.user, partnership=partnership, **data
            )
        ),
        _("The new version was proposed. It replaces this one when it is approved."),
    ):
        return redirect("staff:impact_proxy", partnership=partnership.slug, pk=made[0].pk)
    return render(
        request,
        "impact/staff/proxy_form.html",
        {"partnership": partnership, "form": form, "proxy": found},
    )
