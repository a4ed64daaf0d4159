"""Back-office pages of funding: calls watched (with suggestions), joint applications and
their steps, and the shared list of the partners' projects."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from soin.accounts.models import Role
from soin.accounts.permissions import has_perm, roles_in
from soin.core.exports import table_response
from soin.core.forms import apply_service_error
from soin.core.views import run_action, run_form_action, staff_view
from soin.funding import selectors, services, workflow
from soin.funding.forms import (
    ApplicationForm,
    CallFilterForm,
    CallForm,
    GrantForm,
    MeetingLinkForm,
    MoveForm,
    ProjectForm,
    ResultForm,
    co_financing_formset,
)
from soin.funding.models import Application, FundingCall, Project
from soin.impact import selectors as impact_selectors
from soin.partners.models import Organisation
from soin.regions.models import Partnership


@staff_view("funding.view")
def funding(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "funding/staff/funding.html",
        {
            "partnership": partnership,
            "closing": selectors.calls_closing_soon(partnership=partnership),
            "counts": selectors.application_counts(partnership=partnership),
            "projects": selectors.projects_for(partnership=partnership, ongoing=True),
            "can_change": has_perm(request.user, "funding.change", partnership),
            "closing_days": selectors.CLOSING_SOON_DAYS,
        },
    )


# Calls ---------------------------------------------------------------------------------------


@staff_view("funding.view")
def call_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = CallFilterForm(request.GET or None, partnership=partnership)
    return render(
        request,
        "funding/staff/call_list.html",
        {
            "partnership": partnership,
            "form": form,
            "calls": selectors.calls_for(partnership=partnership, **form.filters()),
            "can_change": has_perm(request.user, "funding.change", partnership),
            "query": request.GET.urlencode(),
        },
    )


@staff_view("funding.change")
def call_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = CallForm(
        request.POST or None, partnership=partnership, initial={"watcher": request.user}
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The call is being watched."))
            return redirect("staff:funding_call_detail", partnership=partnership.slug, pk=call.pk)
    return render(
        request,
        "funding/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Watch a funding call"),
            "back": ("staff:funding_call_list", None),
        },
    )


@staff_view("funding.view")
def call_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    call = selectors.call_get_for(user=request.user, partnership=partnership, pk=pk)
    suggestions = selectors.call_suggestions(call=call, user=request.user)
    return render(
        request,
        "funding/staff/call_detail.html",
        {
            "partnership": partnership,
            "call": call,
            "idea_suggestions": suggestions["ideas"],
            "partner_suggestions": suggestions["partners"],
            "can_see_ideas": has_perm(request.user, "ideas.view", partnership),
            "applications": call.applications.select_related("lead"),
            "reminder_at": services.reminder_due_at(call),
            "can_change": has_perm(request.user, "funding.change", partnership),
        },
    )


@staff_view("funding.change")
def call_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    call = selectors.call_get_for(user=request.user, partnership=partnership, pk=pk)
    form = CallForm(
        request.POST or None, partnership=partnership, initial=CallForm.initial_for(call)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:funding_call_detail", partnership=partnership.slug, pk=pk)
    return render(
        request,
        "funding/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Change %(title)s") % {"title": call.title},
            "back": ("staff:funding_call_detail", call.pk),
        },
    )


CALL_HEADERS = [
    gettext_lazy("Title"),
    gettext_lazy("Funder"),
    gettext_lazy("Programme"),
    gettext_lazy("Opens"),
    gettext_lazy("Closes"),
    gettext_lazy("State"),
    gettext_lazy("Themes"),
    gettext_lazy("Societal challenges"),
    gettext_lazy("Watched by"),
    gettext_lazy("Interested partners"),
    gettext_lazy("Link"),
]


def _call_row(call: FundingCall) -> list[Any]:
    return [
        call.title,
        call.funder,
        call.get_programme_display(),
        call.opens_on,
        call.closes_on,
        str(call.state_label),  # type: ignore[attr-defined]
        call.themes,
        "; ".join(c.name for c in call.challenges.all()),
        call.watcher.full_name if call.watcher else "",
        "; ".join(o.name for o in call.interested.all()),
        call.url,
    ]


@staff_view("funding.view")
def call_export(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = CallFilterForm(request.GET or None, partnership=partnership)
    calls = selectors.calls_for(partnership=partnership, **form.filters())
    return table_response(
        fmt=request.GET.get("format", "csv"),
        filename=f"funding-calls-{partnership.slug}",
        title=_("Funding calls"),
        headers=[str(h) for h in CALL_HEADERS],
        rows=[_call_row(c) for c in calls],
    )


@staff_view("funding.view")
def call_ics(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """The calls' deadlines as all-day events, to subscribe to or import."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Soin//Funding calls//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Funding call deadlines: %(name)s") % {"name": partnership.name})
    stamp = timezone.now()
    for call in selectors.calls_for(partnership=partnership):
        event = icalendar.Event()
        event.add("uid", f"funding-call-{call.pk}@{partnership.slug}.soin")
        event.add("dtstamp", stamp)
        event.add("last-modified", call.updated_at)
        event.add("summary", _("Deadline: %(title)s") % {"title": call.title})
        event.add("dtstart", call.closes_on)
        event.add("dtend", call.closes_on + datetime.timedelta(days=1))
        event.add("description", f"{call.funder} – {call.get_programme_display()}\n{call.url}")
        if call.url:
            event.add("url", call.url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="funding-deadlines-{partnership.slug}.ics"'
    return response


# Applications --------------------------------------------------------------------------------


@staff_view("funding.view")
def application_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    return render(
        request,
        "funding/staff/application_list.html",
        {
            "partnership": partnership,
            "applications": selectors.applications_for(partnership=partnership, status=status),
            "status": status,
            "statuses": Application.Status.choices,
            "can_change": has_perm(request.user, "funding.change", partnership),
        },
    )


def _lines(formset: Any) -> list[dict[str, Any]]:
    return [line for form in formset.forms if (line := form.line()) is not None]


def _application_form_page(
    request: HttpRequest, partnership: Partnership, application: Any = None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if application is not None:
        initial = ApplicationForm.initial_for(application)
    else:
        call_pk = request.GET.get("call", "")
        if call_pk.isdigit():
            call = FundingCall.objects.filter(partnership=partnership, pk=call_pk).first()
            if call is not None:
                initial = {"call": call, "title": call.title}
    form = ApplicationForm(request.POST or None, partnership=partnership, initial=initial)
    formset = co_financing_formset(
        request.POST or None, partnership=partnership, application=application
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        try:
            if application is None:
                application = services.application_create(
                    partnership=partnership,
                    actor=request.user,
                    co_financing=_lines(formset),
                    **data,
                )
                messages.success(request, _("The application was entered."))
            else:
                services.application_update(
                    application=application,
                    actor=request.user,
                    co_financing=_lines(formset),
                    **data,
                )
                messages.success(request, _("The changes were saved."))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect(
                "staff:funding_application_detail",
                partnership=partnership.slug,
                pk=application.pk,
            )
    return render(
        request,
        "funding/staff/application_form.html",
        {
            "partnership": partnership,
            "form": form,
            "formset": formset,
            "application": application,
            "heading": _("Change %(title)s") % {"title": application.title}
            if application
            else _("New joint application"),
        },
    )


@staff_view("funding.change")
def application_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return _application_form_page(request, partnership)


@staff_view("funding.change")
def application_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    application = selectors.application_get_for(user=request.user, partnership=partnership, pk=pk)
    if application.status in workflow.DECIDED:
        messages.error(request, _("A decided application cannot be changed."))
        return redirect("staff:funding_application_detail", partnership=partnership.slug, pk=pk)
    return _application_form_page(request, partnership, application)


@staff_view("funding.view")
def application_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    application = selectors.application_get_for(user=request.user, partnership=partnership, pk=pk)
    co_total = application.co_financing_total
    # A partner contact reads only the ideas referred to or channelled by their organisation.
    visible = selectors.visible_idea_ids(user=request.user, partnership=partnership)
    return render(
        request,
        "funding/staff/application_detail.html",
        {
            "partnership": partnership,
            "application": application,
            "co_total": co_total,
            "gap": application.budget - application.applied - co_total,
            "moves": workflow.available_moves(request.user, application),
            "can_change": has_perm(request.user, "funding.change", partnership)
            and application.status not in workflow.DECIDED,
            "can_see_ideas": has_perm(request.user, "ideas.view", partnership),
            "ideas": [i for i in application.ideas.all() if i.pk in visible],
            "project": getattr(application, "project", None),
        },
    )


@staff_view("funding.change")
def application_move(
    request: HttpRequest, partnership: Partnership, pk: int, move: str
) -> HttpResponse:
    application = selectors.application_get_for(user=request.user, partnership=partnership, pk=pk)
    step = workflow.MOVES.get(move)
    if step is None:
        raise Http404
    form_class = GrantForm if move == "grant" else MoveForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_move(
                application=application,
                actor=request.user,
                move=move,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                project=form.project() if isinstance(form, GrantForm) else None,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("The application is now “%(state)s”.")
                % {"state": application.Status(step.target).label},
            )
            if move == "grant":
                project = Project.objects.get(application=application)
                return redirect(
                    "staff:funding_project_detail", partnership=partnership.slug, pk=project.pk
                )
            return redirect("staff:funding_application_detail", partnership=partnership.slug, pk=pk)
    return render(
        request,
        "funding/staff/move_form.html",
        {
            "partnership": partnership,
            "application": application,
            "form": form,
            "move": step,
            "allowed": application.status in step.sources,
        },
    )


# Projects ------------------------------------------------------------------------------------


def _own_leads(request: HttpRequest, partnership: Partnership) -> Any:
    """The organisations the user may enter projects for: any with ``funding.change``, a
    partner contact's own otherwise."""
    if has_perm(request.user, "funding.change", partnership):
        return None
    own = [
        r.organisation_id
        for r in roles_in(request.user, partnership)
        if r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id
    ]
    return Organisation.objects.filter(partnership=partnership, pk__in=own).order_by("name")


@staff_view("funding.view")
def project_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    ongoing = request.GET.get("when") == "ongoing"
    return render(
        request,
        "funding/staff/project_list.html",
        {
            "partnership": partnership,
            "projects": selectors.projects_for(partnership=partnership, ongoing=ongoing),
            "ongoing": ongoing,
            "today": timezone.localdate(),
            "can_add": has_perm(request.user, "projects.change_own", partnership),
        },
    )


@staff_view("projects.change_own")
def project_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    leads = _own_leads(request, partnership)
    if leads is not None and not leads.exists():
        raise PermissionDenied
    form = ProjectForm(
        request.POST or None,
        partnership=partnership,
        leads=leads,
        initial={"lead": leads.first()} if leads is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The project was added to the shared list."))
            return redirect(
                "staff:funding_project_detail", partnership=partnership.slug, pk=project.pk
            )
    return render(
        request,
        "funding/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Tell the partners about a project"),
            "back": ("staff:funding_project_list", None),
        },
    )


def _project_to_change(request: HttpRequest, partnership: Partnership, pk: int) -> Project:
    project = selectors.project_get_for(user=request.user, partnership=partnership, pk=pk)
    if not selectors.project_may_change(user=request.user, project=project):
        raise PermissionDenied
    return project


@staff_view("funding.view")
def project_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    project = selectors.project_get_for(user=request.user, partnership=partnership, pk=pk)
    may_change = selectors.project_may_change(user=request.user, project=project)
    return render(
        request,
        "funding/staff/project_detail.html",
        {
            "partnership": partnership,
            "project": project,
            "can_change": may_change,
            "meetings": selectors.project_meetings_for(
                user=request.user, partnership=partnership, project=project
            ),
            "result_form": ResultForm() if may_change else None,
            "meeting_form": MeetingLinkForm(
                meetings=selectors.meetings_to_link(
                    user=request.user, partnership=partnership, project=project
                )
            )
            if may_change
            else None,
            "today": timezone.localdate(),
            # The project's SROI analyses, for those who may read them.
            "analyses": impact_selectors.analyses_of_project(project=project)
            if has_perm(request.user, "impact.view", partnership)
            else None,
        },
    )


@staff_view("projects.change_own")
def project_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    project = _project_to_change(request, partnership, pk)
    form = ProjectForm(
        request.POST or None,
        partnership=partnership,
        leads=_own_leads(request, partnership),
        initial=ProjectForm.initial_for(project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:funding_project_detail", partnership=partnership.slug, pk=pk)
    return render(
        request,
        "funding/staff/form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Change %(title)s") % {"title": project.name},
            "back": ("staff:funding_project_detail", project.pk),
        },
    )


@require_POST
@staff_view("projects.change_own")
def project_result_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    project = _project_to_change(request, partnership, pk)
    run_form_action(
        request,
        ResultForm(request.POST),
        lambda data: services.project_result_add(project=project, actor=request.user, **data),
    )
    return redirect("staff:funding_project_detail", partnership=partnership.slug, pk=pk)


@require_POST
@staff_view("projects.change_own")
def project_meeting_link(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    project = _project_to_change(request, partnership, pk)
    unlink = request.POST.get("unlink", "")
    if unlink.isdigit():
        meeting = next(
            (
                m
                for m in selectors.project_meetings_for(
                    user=request.user, partnership=partnership, project=project
                )
                if m.pk == int(unlink)
            ),
            None,
        )
        if meeting is None:
            raise Http404
        run_action(
            request,
            lambda: services.project_meeting_link(
                project=project, actor=request.user, meeting=meeting, linked=False
            ),
            _("The meeting no longer belongs to the project."),
        )
    else:
        run_form_action(
            request,
            MeetingLinkForm(
                request.POST,
                meetings=selectors.meetings_to_link(
                    user=request.user, partnership=partnership, project=project
                ),
            ),
            lambda data: services.project_meeting_link(
                project=project, actor=request.user, meeting=data["meeting"]
            ),
        )
    return redirect("staff:funding_project_detail", partnership=partnership.slug, pk=pk)


PROJECT_HEADERS = [
    gettext_lazy("Name"),
    gettext_lazy("Lead partner"),
    gettext_lazy("Partner organisations"),
    gettext_lazy("Starts"),
    gettext_lazy("Ends"),
    gettext_lazy("Funder"),
    gettext_lazy("Programme"),
    gettext_lazy("Budget (SEK)"),
    gettext_lazy("Description"),
    gettext_lazy("Results noted"),
]


@staff_view("funding.view")
def project_export(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    projects = selectors.projects_for(partnership=partnership).prefetch_related("results")
    rows = [
        [
            p.name,
            p.lead.name,
            "; ".join(o.name for o in p.partners.all()),
            p.starts_on,
            p.ends_on,
            p.funder,
            p.get_programme_display(),
            p.budget,
            p.description,
            len(p.results.all()),
        ]
        for p in projects
    ]
    return table_response(
        fmt=request.GET.get("format", "csv"),
        filename=f"projects-{partnership.slug}",
        title=_("Projects"),
        headers=[str(h) for h in PROJECT_HEADERS],
        rows=rows,
    )
