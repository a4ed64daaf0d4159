"""Back-office pages for the newsletter: issues and their sections, preview, test mail, the
send and its progress, subscribers and import, figures."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.forms import apply_service_error
from soin.core.views import run_action, staff_view
from soin.newsletter import rendering, selectors, sender, services
from soin.newsletter.forms import ImportForm, IssueForm, SectionForm
from soin.newsletter.models import Dispatch, Issue, Section, Subscriber
from soin.regions.models import Partnership


def _issue_page(partnership: Partnership, pk: int) -> HttpResponse:
    return redirect("staff:newsletter_issue", partnership=partnership.slug, pk=pk)


@staff_view("newsletter.view")
def issue_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    return render(
        request,
        "newsletter/staff/issue_list.html",
        {
            "partnership": partnership,
            "issues": selectors.issues_for(partnership=partnership),
            "figures": selectors.issue_figures(partnership=partnership),
            "counts": selectors.subscriber_counts(partnership=partnership),
            "over_time": selectors.subscribers_over_time(partnership=partnership, year=year),
            "year": year,
            "can_change": has_perm(request.user, "newsletter.change", partnership),
            "can_see_subscribers": has_perm(request.user, "subscribers.view", partnership),
        },
    )


@staff_view("newsletter.change")
def issue_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return _issue_page(partnership, issue.pk)
    return render(
        request,
        "newsletter/staff/issue_form.html",
        {"partnership": partnership, "form": form},
    )


@staff_view("newsletter.view")
def issue_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    can_change = has_perm(request.user, "newsletter.change", partnership)
    form = IssueForm(
        request.POST or None,
        initial={
            f: getattr(issue, f) for f in ("year", "title_sv", "title_en", "intro_sv", "intro_en")
        },
    )
    form.fields["year"].disabled = True
    if request.method == "POST":
        if not can_change:
            return HttpResponse(status=403)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
            try:
                services.issue_update(issue=issue, actor=request.user, **data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return _issue_page(partnership, pk)
    dispatch = Dispatch.objects.filter(issue=issue).first()
    return render(
        request,
        "newsletter/staff/issue_detail.html",
        {
            "partnership": partnership,
            "issue": issue,
            "form": form,
            "section_form": SectionForm(),
            "can_change": can_change and issue.state == Issue.State.DRAFT,
            "dispatch": dispatch,
            "progress": sender.progress(dispatch) if dispatch else None,
            "active": Subscriber.objects.filter(
                partnership=partnership, state=Subscriber.State.ACTIVE
            ).count(),
        },
    )


@require_POST
@staff_view("newsletter.change")
def section_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    form = SectionForm(request.POST, request.FILES)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            services.section_add(issue=issue, actor=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The section was added."))
            return _issue_page(partnership, pk)
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else str(problem))
    return _issue_page(partnership, pk)


@require_POST
@staff_view("newsletter.change")
def issue_pull_items(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    count: list[int] = []
    run_action(
        request,
        lambda: count.append(services.issue_pull_items(issue=issue, actor=request.user)),
        _("Sections were added from the calendar and the partners."),
    )
    return _issue_page(partnership, pk)


@require_POST
@staff_view("newsletter.change")
def section_remove(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=pk, issue__partnership=partnership)
    run_action(
        request,
        lambda: services.section_remove(section=section, actor=request.user),
        _("The section was removed."),
    )
    return _issue_page(partnership, section.issue_id)


@staff_view("newsletter.view")
def issue_preview(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    language = rendering.issue_language(issue, request.GET.get("language", "sv"))
    rendered = rendering.render(issue, language, web=True)
    return render(
        request,
        "newsletter/staff/preview.html",
        {"partnership": partnership, "issue": issue, "rendered": rendered},
    )


@require_POST
@staff_view("newsletter.change")
def issue_test_mail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.issue_test_mail(issue=issue, actor=request.user),
        _("A test mail is on its way to %(email)s.")
        % {"email": getattr(request.user, "email", "")},
    )
    return _issue_page(partnership, pk)


@require_POST
@staff_view("newsletter.change")
def issue_send(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.issue_send(issue=issue, actor=request.user),
        _("The issue is being sent. Follow its progress here."),
    )
    return _issue_page(partnership, pk)


@staff_view("newsletter.view")
def issue_progress(request: HttpRequest, partnership: Partnership, pk: int) -> JsonResponse:
    issue = selectors.issue_get_for(partnership=partnership, pk=pk)
    dispatch = get_object_or_404(Dispatch, issue=issue)
    return JsonResponse(sender.progress(dispatch))


@staff_view("subscribers.view")
def subscriber_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in Subscriber.State.values:
        state = ""
    query = request.GET.get("q", "").strip()[:100]
    subscribers = selectors.subscribers_for(partnership=partnership, state=state, query=query)
    return render(
        request,
        "newsletter/staff/subscriber_list.html",
        {
            "partnership": partnership,
            "subscribers": subscribers[:200],
            "shown": min(200, subscribers.count()),
            "total": subscribers.count(),
            "counts": selectors.subscriber_counts(partnership=partnership),
            "states": Subscriber.State.choices,
            "state": state,
            "query": query,
        },
    )


@staff_view("newsletter.change")
def subscriber_import(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.subscribers_import(
                partnership=partnership,
                actor=request.user,
                content=upload.read(),
                filename=upload.name,
                consent_note=form.cleaned_data["consent_note"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(added)s subscribers were added; %(known)s were already on the list and "
                    "%(erased)s had asked to be erased."
                )
                % report,
            )
            return redirect("staff:newsletter_subscribers", partnership=partnership.slug)
    return render(
        request,
        "newsletter/staff/import.html",
        {"partnership": partnership, "form": form},
    )


@require_POST
@staff_view("newsletter.change")
def subscriber_release(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    subscriber = get_object_or_404(Subscriber, pk=pk, partnership=partnership)
    run_action(
        request,
        lambda: services.subscriber_release(subscriber=subscriber, actor=request.user),
        _("The subscriber gets the newsletter again."),
    )
    return redirect("staff:newsletter_subscribers", partnership=partnership.slug)
