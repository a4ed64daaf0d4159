"""Back-office pages of the activity plan: the plan by area, the plan's own pages, areas,
items with their history, follow-up reports, and the follow-up for a plenary meeting (page,
PDF, DOCX)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.activities import selectors as activity_selectors
from soin.core.forms import apply_service_error
from soin.core.i18n import current_language
from soin.core.views import run_form_action, staff_view
from soin.plans import documents, selectors, services, workflow
from soin.plans.forms import AreaForm, FollowUpForm, ItemForm, MoveForm, PlanForm
from soin.plans.models import Plan
from soin.regions.models import Partnership


def _to_plan(partnership: Partnership, plan: Plan) -> HttpResponse:
    return redirect("staff:plan_detail", partnership=partnership.slug, pk=plan.pk)


def _to_item(partnership: Partnership, pk: int) -> HttpResponse:
    return redirect("staff:plan_item", partnership=partnership.slug, pk=pk)


def _plan_page(request: HttpRequest, partnership: Partnership, plan: Plan | None) -> HttpResponse:
    outline = selectors.plan_outline(plan=plan, user=request.user) if plan else []
    return render(
        request,
        "plans/staff/plan.html",
        {
            "partnership": partnership,
            "plan": plan,
            "outline": outline,
            "counts": selectors.status_counts(outline),
            "plans": selectors.plans_for(partnership=partnership),
            "meetings": selectors.plenary_meetings(plan=plan) if plan else [],
            "can_change": has_perm(request.user, "plans.change", partnership),
            "editable": plan is not None and plan.state != Plan.State.CLOSED,
            "moves": workflow.available_moves(request.user, plan) if plan else [],
            "events": plan.events.select_related("actor") if plan else [],
        },
    )


@staff_view("plans.view")
def plan(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return _plan_page(request, partnership, selectors.current_plan(partnership=partnership))


@staff_view("plans.view")
def plan_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.plan_get_for(user=request.user, partnership=partnership, pk=pk)
    return _plan_page(request, partnership, found)


@staff_view("plans.change")
def plan_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = PlanForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.plan_create(
                partnership=partnership, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The plan was started as a draft."))
            return _to_plan(partnership, created)
    return render(
        request,
        "plans/staff/form.html",
        {"partnership": partnership, "form": form, "heading": _("New activity plan")},
    )


@staff_view("plans.change")
def plan_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.plan_get_for(user=request.user, partnership=partnership, pk=pk)
    form = PlanForm(request.POST or None, instance=Plan.objects.get(pk=found.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=found, actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _to_plan(partnership, found)
    return render(
        request,
        "plans/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "plan": found,
            "heading": _("Change %(title)s") % {"title": found.title},
        },
    )


@require_POST
@staff_view("plans.change")
def plan_move(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.plan_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        MoveForm(request.POST),
        lambda data: services.plan_move(
            plan=found,
            actor=request.user,
            move=data["move"],
            note=data["note"],
            adopted_on=data["adopted_on"],
        ),
    )
    return _to_plan(partnership, found)


@staff_view("plans.change")
def area_create(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    found = selectors.plan_get_for(user=request.user, partnership=partnership, pk=pk)
    form = AreaForm(request.POST or None)
    form.fields["position"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            services.area_create(plan=found, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The area was added."))
            return _to_plan(partnership, found)
    return render(
        request,
        "plans/staff/form.html",
        {"partnership": partnership, "form": form, "plan": found, "heading": _("Add an area")},
    )


@staff_view("plans.change")
def area_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    area = selectors.area_get_for(user=request.user, partnership=partnership, pk=pk)
    form = AreaForm(request.POST or None, instance=type(area).objects.get(pk=area.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(area=area, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _to_plan(partnership, area.plan)
    return render(
        request,
        "plans/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "plan": area.plan,
            "heading": _("Change the area %(title)s") % {"title": area.title},
        },
    )


@staff_view("plans.change")
def item_create(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    area = selectors.area_get_for(user=request.user, partnership=partnership, pk=pk)
    form = ItemForm(request.POST or None, plan=area.plan, initial={"area": area})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The item was added."))
            return _to_item(partnership, item.pk)
    return render(
        request,
        "plans/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "plan": area.plan,
            "heading": _("Add an item to %(area)s") % {"area": area.title},
        },
    )


@staff_view("plans.view")
def item_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    item = selectors.item_get_for(user=request.user, partnership=partnership, pk=pk)
    plan = item.area.plan
    return render(
        request,
        "plans/staff/item_detail.html",
        {
            "partnership": partnership,
            "item": item,
            "plan": plan,
            "status": selectors.status_on(item, None),
            "history": list(reversed(item.followups.all())),
            "responsible": selectors.responsible_names(item),
            "can_change": has_perm(request.user, "plans.change", partnership)
            and plan.state != Plan.State.CLOSED,
            "can_report": plan.state == Plan.State.ADOPTED
            and selectors.may_report(request.user, item),
        },
    )


@staff_view("plans.change")
def item_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    item = selectors.item_get_for(user=request.user, partnership=partnership, pk=pk)
    form = ItemForm(
        request.POST or None, plan=item.area.plan, instance=type(item).objects.get(pk=item.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _to_item(partnership, item.pk)
    return render(
        request,
        "plans/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "plan": item.area.plan,
            "heading": _("Change the item %(title)s") % {"title": item.title},
        },
    )


@staff_view("plans.report_own")
def followup_create(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    item = selectors.item_get_for(user=request.user, partnership=partnership, pk=pk)
    if not selectors.may_report(request.user, item):
        raise PermissionDenied
    plan = item.area.plan
    initial: dict[str, Any] = {}
    meeting_pk = request.GET.get("meeting", "")
    if meeting_pk.isdigit():
        initial["meeting"] = selectors.plenary_meetings(plan=plan).filter(pk=meeting_pk).first()
    form = FollowUpForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            meeting = form.cleaned_data["meeting"]
            if meeting is not None:
                return redirect("staff:plan_meeting", partnership=partnership.slug, pk=meeting.pk)
            return _to_item(partnership, item.pk)
    return render(
        request,
        "plans/staff/followup_form.html",
        {"partnership": partnership, "form": form, "item": item, "plan": plan},
    )


def _meeting(request: HttpRequest, partnership: Partnership, pk: int) -> Any:
    meeting = activity_selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    return selectors.meeting_followup(partnership=partnership, meeting=meeting, user=request.user)


@staff_view("plans.view")
def meeting_followup(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    followup = _meeting(request, partnership, pk)
    return render(
        request,
        "plans/staff/meeting.html",
        {"partnership": partnership, "f": followup, "plan": followup.plan},
    )


@staff_view("plans.view")
def meeting_followup_file(
    request: HttpRequest, partnership: Partnership, pk: int, fmt: str
) -> HttpResponse:
    followup = _meeting(request, partnership, pk)
    language = current_language()
    name = f"uppfoljning-verksamhetsplan-{followup.day.isoformat()}-{language}"
    if fmt == "pdf":
        response = HttpResponse(
            documents.followup_pdf(followup, language), content_type="application/pdf"
        )
    elif fmt == "docx":
        response = HttpResponse(
            documents.followup_docx(followup, language),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
