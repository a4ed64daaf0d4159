"""The applicant's side: the application form, the thank-you page and the private page of
the application (status, decision, the follow-up report)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from soin.core.forms import apply_service_error
from soin.core.ratelimit import NOTICE, limited, rate_limited
from soin.core.submissions import PublicForm
from soin.grants import selectors, services, workflow
from soin.grants.forms import (
    BudgetFormSet,
    FollowupForm,
    PublicGrantForm,
    budget_lines,
    consent_fingerprint,
)
from soin.grants.models import Grant
from soin.regions.models import Partnership

FORM = PublicForm(
    "grant",
    too_many=_(
        "Many applications have been sent from your connection within the hour. "
        "Please try again later, or write to us."
    ),
    changed=_(
        "The information about your personal data has changed. Read it again "
        "before you send the application."
    ),
    # A form sent back for correction is answered 200 (the other public forms answer 400).
    correct_status=200,
    # The private link is shown once: a later visitor of this browser sees the number only.
    once=("token",),
)


def _private(response: HttpResponse) -> HttpResponse:
    # The address is the key to the page: keep it out of other sites' logs and of caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@rate_limited("grant", per_hour="SOIN_IDEA_FORM_PER_HOUR", counted_by_view=True)
def grant_apply(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership.objects.select_related("region"), slug=partnership)
    consent = services.consent_information(partnership=obj)
    fingerprint = consent_fingerprint(consent)
    stamped = FORM.stamped(request)
    data = stamped.data()
    shown = fingerprint
    if data is not None:
        # Shown again on an error, the form carries the information as it stands now.
        shown = data.get("consent_shown", "")
        data["consent_shown"] = fingerprint
    form = PublicGrantForm(
        data, partnership=obj, initial={**stamped.initial, "consent_shown": fingerprint}
    )
    budget = BudgetFormSet(data, prefix="budget")

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "grants/public/grant_form.html",
            {
                "partnership": obj,
                "form": form,
                "budget": budget,
                "notice": notice,
                "consent_information": consent,
            },
            status=status,
        )

    def store() -> dict[str, Any]:
        grant, token = services.grant_submit(
            partnership=obj,
            consent_text=f"{consent}\n\n{form.fields['consent'].label}",
            language="en" if get_language() == "en" else "sv",
            budget_lines=budget_lines(budget),
            **form.application_data(),
        )
        return {"number": grant.number, "token": token}

    if request.method != "POST":
        return again()
    return FORM.handle(
        request,
        stamped,
        form=form,
        also=[budget],
        store=store,
        thanks=lambda: redirect("public:grant_thanks", partnership=obj.slug),
        decoy=lambda: render(request, "grants/public/grant_thanks.html", {"partnership": obj}),
        again=again,
        changed=shown != fingerprint,
        refused=True,
    )


def grant_thanks(request: HttpRequest, partnership: str) -> HttpResponse:
    """Thanks for the application this visit stored; without one, the page says none came."""
    obj = get_object_or_404(Partnership, slug=partnership)
    submitted = FORM.sent(request)
    return _private(
        render(
            request,
            "grants/public/grant_thanks.html",
            {"partnership": obj, "submitted": submitted, "nothing": submitted is None},
        )
    )


@rate_limited("grant-followup", per_hour=10, counted_by_view=True)
def grant_status(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    obj = get_object_or_404(Partnership, slug=partnership)
    grant = selectors.grant_by_token(partnership=obj, token=token)
    may_report = not grant.has_followup and grant.state in workflow.FOLLOWUP_STATES
    form = FollowupForm(request.POST if request.method == "POST" and may_report else None)
    sent = False
    status = 200
    if request.method == "POST" and may_report and form.is_valid() and limited(request):
        form.add_error(None, NOTICE)
        status = 429
    elif request.method == "POST" and may_report and form.is_valid():
        try:
            grant = services.followup_submit(grant=grant, actor=None, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            sent = True
            may_report = False
    return _private(
        render(
            request,
            "grants/public/grant_status.html",
            {
                "partnership": obj,
                "grant": grant,
                "explanation": workflow.APPLICANT_STATE[Grant.State(grant.state)],
                "paid": services.paid_total(grant),
                "form": form,
                "may_report": may_report,
                "sent": sent,
            },
            status=status,
        )
    )
