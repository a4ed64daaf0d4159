"""The applicant's side: the application form, the thank-you page and the private page of
the application (status, decision, the follow-up report)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from soin.core.forms import apply_service_error
from soin.core.ratelimit import NOTICE, limited, rate_limited
from soin.core.submissions import (
    SENT_ELSEWHERE,
    STALE,
    AlreadySubmitted,
    Stamped,
    sent_result,
    submission_once,
    submission_record,
    submission_replayed,
    submission_sent,
)
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

FORM = "grant"


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
    stamped = Stamped(request, form=FORM)
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
    notice = ""
    status = 200
    if request.method == "POST":
        if form.filled_in_honeypot():
            # Answer a robot as if all went well, and keep nothing.
            return render(request, "grants/public/grant_thanks.html", {"partnership": obj})
        valid = form.is_valid() & budget.is_valid()
        stamp = stamped.stamp
        if stamp is None:
            notice, status = str(STALE), 400
        elif shown != fingerprint:
            notice = _(
                "The information about your personal data has changed. Read it again "
                "before you send the application."
            )
        elif valid:
            if limited(request):
                notice = _(
                    "Many applications have been sent from your connection within the hour. "
                    "Please try again later, or write to us."
                )
                status = 429
            else:
                try:
                    with submission_once(request, stamp) as claim:
                        grant, token = services.grant_submit(
                            partnership=obj,
                            consent_text=f"{consent}\n\n{form.fields['consent'].label}",
                            language="en" if get_language() == "en" else "sv",
                            budget_lines=budget_lines(budget),
                            **form.application_data(),
                        )
                        submission_record(claim, number=grant.number)
                except ValidationError as error:
                    apply_service_error(form, error)
                except AlreadySubmitted as replay:
                    if submission_replayed(request, stamp, replay):
                        return redirect("public:grant_thanks", partnership=obj.slug)
                    notice = str(SENT_ELSEWHERE)
                    status = 409
                    assert data is not None
                    data["started"] = stamped.renew()
                else:
                    submission_sent(request, stamp, number=grant.number, token=token)
                    return redirect("public:grant_thanks", partnership=obj.slug)
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


def grant_thanks(request: HttpRequest, partnership: str) -> HttpResponse:
    """Thanks for the application this visit stored; without one, the page says none came."""
    obj = get_object_or_404(Partnership, slug=partnership)
    # The private link is shown once: a later visitor of this browser sees the number only.
    submitted = sent_result(request, FORM, once=("token",))
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
