"""Back-office pages for activities: planning, series, minutes and actions, participants and
attendance, the spread over the region, and the private calendar feed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.activities import selectors, services
from soin.activities.calendar import calendar_response
from soin.activities.forms import (
    ActivityForm,
    AttendanceForm,
    CancelForm,
    MeetingItemForm,
    MinutesForm,
    SeriesForm,
    StaffFilterForm,
)
from soin.activities.models import MeetingItem, Registration
from soin.core.exports import table_response
from soin.core.forms import apply_service_error
from soin.core.views import run_action, run_form_action, staff_view
from soin.regions.models import Partnership


def _detail(partnership: Partnership, pk: int) -> HttpResponse:
    return redirect("staff:activity_detail", partnership=partnership.slug, pk=pk)


@staff_view("activities.view_own")
def activity_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = StaffFilterForm(
        request.GET or None,
        partnership=partnership,
        years=selectors.activity_years(partnership=partnership),
    )
    activities = selectors.activities_for(
        user=request.user, partnership=partnership, **form.filters()
    )
    return render(
        request,
        "activities/staff/activity_list.html",
        {
            "partnership": partnership,
            "form": form,
            "activities": activities,
            "can_change": has_perm(request.user, "activities.change", partnership),
            "can_view_all": has_perm(request.user, "activities.view", partnership),
        },
    )


@staff_view("activities.change")
def activity_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = ActivityForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                partnership=partnership, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The activity was planned."))
            return _detail(partnership, activity.pk)
    return render(
        request,
        "activities/staff/activity_form.html",
        {"partnership": partnership, "form": form, "heading": _("Plan an activity")},
    )


@staff_view("activities.view_own")
def activity_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    can_change = has_perm(request.user, "activities.change", partnership)
    can_see_ideas = has_perm(request.user, "ideas.view", partnership)
    return render(
        request,
        "activities/staff/activity_detail.html",
        {
            "partnership": partnership,
            "activity": activity,
            "seats": selectors.seats(activity),
            "closes_at": services.registration_closes_at(activity),
            "items": activity.items.select_related("responsible"),
            "events": activity.events.filter(registration__isnull=True).select_related("actor"),
            "ideas": activity.ideas.filter(merged_into__isnull=True) if can_see_ideas else None,
            "can_change": can_change,
            "can_read_minutes": selectors.minutes_readable(
                user=request.user, partnership=partnership, activity=activity
            ),
            "can_see_registrations": has_perm(request.user, "registrations.view", partnership),
            "cancel_form": CancelForm(),
            "item_form": MeetingItemForm(partnership=partnership),
        },
    )


@staff_view("activities.change")
def activity_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    if activity.is_cancelled:
        messages.error(request, _("A cancelled activity cannot be changed."))
        return _detail(partnership, pk)
    form = ActivityForm(
        request.POST or None, partnership=partnership, initial=ActivityForm.initial_for(activity)
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        hosts, participants = data.pop("hosts"), data.pop("participants")
        try:
            services.activity_update(
                activity=activity,
                actor=request.user,
                hosts=hosts,
                participants=participants,
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _detail(partnership, pk)
    return render(
        request,
        "activities/staff/activity_form.html",
        {
            "partnership": partnership,
            "form": form,
            "activity": activity,
            "heading": _("Change %(title)s") % {"title": activity.title},
        },
    )


@require_POST
@staff_view("activities.change")
def activity_cancel(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        CancelForm(request.POST),
        lambda data: services.activity_cancel(
            activity=activity, actor=request.user, reason=data["reason"]
        ),
    )
    return _detail(partnership, pk)


@staff_view("activities.change")
def activity_minutes(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    form = MinutesForm(
        request.POST or None, initial={"agenda": activity.agenda, "minutes": activity.minutes}
    )
    if request.method == "POST" and form.is_valid():
        services.activity_minutes_update(activity=activity, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return _detail(partnership, pk)
    return render(
        request,
        "activities/staff/minutes_form.html",
        {"partnership": partnership, "form": form, "activity": activity},
    )


@require_POST
@staff_view("activities.change")
def meeting_item_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        MeetingItemForm(request.POST, partnership=partnership),
        lambda data: services.meeting_item_add(activity=activity, actor=request.user, **data),
    )
    return redirect(reverse("staff:activity_detail", args=[partnership.slug, pk]) + "#minutes")


@require_POST
@staff_view("activities.change")
def meeting_item_done(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    item = get_object_or_404(
        MeetingItem.objects.select_related("activity"), pk=pk, activity__partnership=partnership
    )
    run_action(
        request,
        lambda: services.meeting_item_done(item=item, actor=request.user),
        _("The action is marked as done."),
    )
    if request.POST.get("next") == "actions":
        return redirect("staff:action_list", partnership=partnership.slug)
    return _detail(partnership, item.activity_id)


@staff_view("activities.view")
def action_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "activities/staff/action_list.html",
        {
            "partnership": partnership,
            "actions": selectors.open_actions(partnership=partnership),
            "today": timezone.localdate(),
            "can_change": has_perm(request.user, "activities.change", partnership),
        },
    )


@staff_view("activities.change")
def series_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = SeriesForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s meetings were planned.") % {"count": series.occurrences.count()},
            )
            return redirect(
                reverse("staff:activity_list", args=[partnership.slug])
                + f"?kind={series.kind}&when=upcoming"
            )
    return render(
        request,
        "activities/staff/series_form.html",
        {"partnership": partnership, "form": form},
    )


def _registrations_page(
    request: HttpRequest, partnership: Partnership, pk: int
) -> tuple[Any, dict[str, list[Registration]]]:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    if not activity.registration_open and not activity.registrations.exists():
        raise Http404
    return activity, selectors.registrations_for(activity)


@staff_view("registrations.view")
def registration_list(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity, groups = _registrations_page(request, partnership, pk)
    return render(
        request,
        "activities/staff/registration_list.html",
        {
            "partnership": partnership,
            "activity": activity,
            "groups": groups,
            "active_groups": [
                groups[Registration.State.CONFIRMED],
                groups[Registration.State.OFFERED],
                groups[Registration.State.WAITING],
            ],
            "seats": selectors.seats(activity),
            "begun": timezone.now() >= activity.starts_at,
            "can_change": has_perm(request.user, "registrations.change", partnership),
            "events": activity.events.filter(registration__isnull=False)
            .select_related("registration", "actor")
            .order_by("-created_at", "-pk")[:50],
        },
    )


@require_POST
@staff_view("registrations.change")
def registration_attendance(
    request: HttpRequest, partnership: Partnership, pk: int
) -> HttpResponse:
    activity, groups = _registrations_page(request, partnership, pk)
    form = AttendanceForm(request.POST, seats=groups[Registration.State.CONFIRMED])
    run_form_action(
        request,
        form,
        lambda data: services.registration_mark_attendance(
            activity=activity, actor=request.user, attended=data["attended"]
        ),
    )
    return redirect("staff:registration_list", partnership=partnership.slug, pk=pk)


@require_POST
@staff_view("registrations.change")
def registration_cancel(
    request: HttpRequest, partnership: Partnership, pk: int, registration: int
) -> HttpResponse:
    activity, _groups = _registrations_page(request, partnership, pk)
    obj = get_object_or_404(Registration, pk=registration, activity=activity)
    run_action(
        request,
        lambda: services.registration_cancel(registration=obj, actor=request.user),
        _("The registration is cancelled."),
    )
    return redirect("staff:registration_list", partnership=partnership.slug, pk=pk)


@staff_view("registrations.view")
def registration_export(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity, groups = _registrations_page(request, partnership, pk)
    order = [
        Registration.State.CONFIRMED,
        Registration.State.OFFERED,
        Registration.State.WAITING,
        Registration.State.CANCELLED,
        Registration.State.EXPIRED,
    ]
    rows = []
    for state in order:
        for position, r in enumerate(groups[state], start=1):
            rows.append(
                [
                    r.name,
                    r.email,
                    r.organisation,
                    r.dietary_needs,
                    r.accessibility_needs,
                    r.get_state_display(),
                    position if state == Registration.State.WAITING else "",
                    "" if r.attended is None else (_("Yes") if r.attended else _("No")),
                    timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
    return table_response(
        fmt=request.GET.get("format", "xlsx"),
        filename=f"{_('participants')}-{timezone.localtime(activity.starts_at):%Y-%m-%d}",
        title=_("Participants"),
        headers=[
            _("Name"),
            _("E-mail"),
            _("Organisation"),
            _("Food preferences or allergies"),
            _("Accessibility needs"),
            _("State"),
            _("Place in the queue"),
            _("Attended"),
            _("Registered on"),
        ],
        rows=rows,
    )


@staff_view("activities.view_own")
def activity_ics(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(user=request.user, partnership=partnership, pk=pk)
    return calendar_response(
        [activity], name=activity.title, filename=f"activity-{activity.pk}", attachment=True
    )


@staff_view("activities.view")
def spread(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    years = selectors.activity_years(partnership=partnership)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    return render(
        request,
        "activities/staff/spread.html",
        {
            "partnership": partnership,
            "spread": selectors.spread(partnership=partnership, year=year),
            "years": years,
        },
    )


@staff_view("activities.view_own")
def calendar_settings(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user)
        messages.success(request, _("You have a new calendar address; the old one has stopped."))
        return redirect("staff:calendar_settings", partnership=partnership.slug)
    feed = services.calendar_feed_get_or_create(user=request.user)
    link = request.build_absolute_uri(
        reverse("staff:private_calendar", kwargs={"token": services.calendar_token(feed)})
    )
    return render(
        request,
        "activities/staff/calendar_settings.html",
        {"partnership": partnership, "link": link},
    )


def private_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A staff user's private feed: the address itself is the key (calendar programs cannot
    log in), so it is long, derived from a secret, and can be renewed."""
    feed = selectors.calendar_feed_by_token(token=token)
    if not feed.user.is_active:
        raise Http404
    return calendar_response(
        selectors.feed_activities_for_user(user=feed.user),
        name=_("My meetings"),
        filename="soin",
        attachment=False,
    )
