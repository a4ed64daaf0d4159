"""The public side: the calendar, an event's page with its registration form, iCalendar files,
and the registrant's private page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from soin.activities import selectors, services
from soin.activities.calendar import CALENDAR_TYPE, calendar_response
from soin.activities.forms import FilterForm, RegistrationForm
from soin.activities.models import Registration
from soin.core import aggregates
from soin.core.ratelimit import rate_limited
from soin.core.submissions import PublicForm
from soin.knowledge.metadata import event_metadata
from soin.regions.models import Partnership

R = Registration.State
FORM = PublicForm(
    "registration",
    too_many=gettext_lazy(
        "Many registrations have been sent from your connection within the hour. "
        "Please try again later, or write to us."
    ),
)


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("region"), slug=slug)


def calendar(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    form = FilterForm(request.GET or None, partnership=obj)
    filters = form.filters()
    return render(
        request,
        "activities/public/calendar.html",
        {
            "partnership": obj,
            "form": form,
            "when": filters["when"],
            "activities": selectors.public_activities(partnership=obj, **filters),
        },
    )


@rate_limited("registration", per_hour="SOIN_REGISTRATION_PER_HOUR", counted_by_view=True)
def activity_detail(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    obj = _partnership(partnership)
    activity = selectors.public_activity_get(partnership=obj, pk=pk)
    refusal = services.registration_refusal(activity)
    consent = services.consent_information(activity=activity)
    stamped = FORM.stamped(request)
    form = RegistrationForm(stamped.data(), initial=stamped.initial) if not refusal else None

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "activities/public/activity_detail.html",
            {
                "partnership": obj,
                "activity": activity,
                "form": form,
                "refusal": refusal,
                "notice": notice,
                "seats": selectors.seats(activity),
                "closes_at": services.registration_closes_at(activity),
                "consent_information": consent,
                "metadata": event_metadata(request, activity),
            },
            status=status,
        )

    if request.method != "POST":
        return again()
    if form is None:
        return again(status=409)

    def store() -> dict[str, Any]:
        data = form.cleaned_data
        try:
            services.registration_create(
                activity=activity,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                dietary_needs=data["dietary_needs"],
                accessibility_needs=data["accessibility_needs"],
                language="en" if get_language() == "en" else "sv",
                consent_text=f"{consent}\n\n{form.fields['consent'].label}",
            )
        except services.AlreadyRegistered:
            # Said to nobody but the address's owner: the same answer as a new
            # registration, and the link mailed to the address again.
            services.registration_link_resend(activity=activity, email=data["email"])
        return {"activity": activity.pk}

    def refused() -> int:
        # The activity may have filled up or closed in the meantime.
        nonlocal refusal
        refusal = services.registration_refusal(activity)
        return 409 if refusal else 400

    return FORM.handle(
        request,
        stamped,
        form=form,
        store=store,
        thanks=lambda: redirect("public:registration_sent", partnership=obj.slug, pk=activity.pk),
        decoy=lambda: render(
            request,
            "activities/public/registration_sent.html",
            {"partnership": obj, "activity": activity},
        ),
        again=again,
        refused=refused,
    )


def registration_sent(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    """Says to check one's mail only after a registration (or a new mail of the link) from
    this visit; the answer is the same whether or not the address was registered before."""
    obj = _partnership(partnership)
    activity = selectors.public_activity_get(partnership=obj, pk=pk)
    sent = FORM.sent(request)
    return render(
        request,
        "activities/public/registration_sent.html",
        {
            "partnership": obj,
            "activity": activity,
            "nothing": sent is None or sent.get("activity") != activity.pk,
        },
    )


def activity_ics(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    obj = _partnership(partnership)
    activity = selectors.public_activity_get(partnership=obj, pk=pk)
    return calendar_response(
        [activity], name=activity.title, filename=f"activity-{activity.pk}", attachment=True
    )


def calendar_feed(request: HttpRequest, partnership: str) -> HttpResponse:
    """The partnership's public activities as a feed: calendar programs fetch it every few
    minutes, so it is written once and kept until an activity changes (or the day does)."""
    obj = _partnership(partnership)

    def draw() -> tuple[bytes, str]:
        drawn = calendar_response(
            selectors.public_feed(partnership=obj),
            name=obj.name,
            filename=obj.slug,
            attachment=False,
        )
        return drawn.content, drawn["Content-Disposition"]

    body, disposition = aggregates.cached(
        source="calendar",
        key=("public_feed", obj.pk, get_language(), timezone.localdate().isoformat()),
        compute=draw,
        partnerships=[obj.pk],
    )
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = disposition
    return response


# Cancelling or taking an offered seat: a button on the registrant's private page.
@rate_limited("registration-change", per_hour=30)
def registration(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    obj = _partnership(partnership)
    reg = selectors.registration_by_token(partnership=obj, token=token)
    # An offer whose time has run out is shown as expired, even before the worker's task
    # has come round to it.
    expired_now = services.registration_expire(registration=reg)
    if expired_now:
        reg = selectors.registration_by_token(partnership=obj, token=token)
    notice = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and reg.state == R.EXPIRED:
                notice = _("Sorry: the time to take the seat had run out.")
            elif action == "cancel":
                reg = services.registration_cancel(registration=reg)
                notice = _("Your registration is cancelled. Thank you for telling us.")
            elif action == "accept":
                reg = services.registration_accept(registration=reg)
                notice = (
                    _("The seat is yours. Welcome!")
                    if reg.state == R.CONFIRMED
                    else _("Sorry: the time to take the seat had run out.")
                )
            else:
                notice = _("Choose what to do with your registration.")
        except ValidationError as error:
            notice = " ".join(error.messages)
        reg = selectors.registration_by_token(partnership=obj, token=token)
    return render(
        request,
        "activities/public/registration.html",
        {
            "partnership": obj,
            "registration": reg,
            "activity": reg.activity,
            "position": selectors.waiting_position(reg),
            "notice": notice,
        },
    )
