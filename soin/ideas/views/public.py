"""The citizen's side: the idea form, the thank-you page and the private status page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from soin.core.ratelimit import limited, rate_limited
from soin.core.submissions import (
    SENT_ELSEWHERE,
    STALE,
    TOO_FAST,
    AlreadySubmitted,
    Stamped,
    sent_result,
    submission_once,
    submission_record,
    submission_replayed,
    submission_sent,
)
from soin.ideas import selectors, services, workflow
from soin.ideas.forms import PublicIdeaForm, consent_fingerprint
from soin.regions.models import Partnership

FORM = "idea"


@rate_limited("idea", per_hour="SOIN_IDEA_FORM_PER_HOUR", counted_by_view=True)
def idea_submit(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership.objects.select_related("region"), slug=partnership)
    consent = services.consent_information(partnership=obj)
    fingerprint = consent_fingerprint(consent)
    # The idea form times its sender from the first showing in the session.
    stamped = Stamped(request, form=FORM, bind=True)
    # Shown again, the form keeps what was typed, with its stamp and the information as it
    # stands now.
    data = stamped.data()
    shown = data.get("consent_shown") if data is not None else fingerprint
    if data is not None:
        data["consent_shown"] = fingerprint
    form = PublicIdeaForm(
        data, partnership=obj, initial={**stamped.initial, "consent_shown": fingerprint}
    )
    notice = ""
    status = 200
    if request.method == "POST":
        stamp = stamped.stamp
        if form.filled_in_honeypot():
            # Answer a robot as if all went well, and keep nothing.
            return render(request, "ideas/public/idea_thanks.html", {"partnership": obj})
        status = 400
        if stamp is None:
            notice = str(STALE)
        elif shown != fingerprint:
            notice = _(
                "The information about your personal data has changed. Read it again "
                "before you send the idea."
            )
        elif not form.is_valid():
            pass
        elif stamp.age < settings.SOIN_IDEA_FORM_MIN_SECONDS:
            # Too fast for a person, or a robot: either way nothing is stored, and a person
            # who sends the form again a moment later is let through.
            notice = str(TOO_FAST)
        elif limited(request):
            notice = _(
                "Many ideas have been sent from your connection within the hour. "
                "Please try again later, or write to us."
            )
            status = 429
        else:
            try:
                with submission_once(request, stamp) as claim:
                    idea, token = services.idea_submit(
                        partnership=obj,
                        consent_text=f"{consent}\n\n{form.fields['consent'].label}",
                        **{
                            **form.intake_data(),
                            "language": "en" if get_language() == "en" else "sv",
                        },
                    )
                    submission_record(claim, number=idea.number)
            except AlreadySubmitted as replay:
                if submission_replayed(request, stamp, replay):
                    return redirect("public:idea_thanks", partnership=obj.slug)
                notice = str(SENT_ELSEWHERE)
                status = 409
                assert data is not None
                data["started"] = stamped.renew()
            else:
                submission_sent(request, stamp, number=idea.number, token=token)
                return redirect("public:idea_thanks", partnership=obj.slug)
        if notice:
            form.is_valid()  # show the field errors too
    return render(
        request,
        "ideas/public/idea_form.html",
        {"partnership": obj, "form": form, "notice": notice, "consent_information": consent},
        status=status,
    )


def idea_thanks(request: HttpRequest, partnership: str) -> HttpResponse:
    """Thanks for the idea this visit stored; without one, the page says none came."""
    obj = get_object_or_404(Partnership, slug=partnership)
    # The private link is shown once: a later visitor of this browser sees the number only.
    submitted = sent_result(request, FORM, once=("token",))
    return render(
        request,
        "ideas/public/idea_thanks.html",
        {"partnership": obj, "submitted": submitted, "nothing": submitted is None},
    )


def idea_status(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    obj = get_object_or_404(Partnership, slug=partnership)
    idea = selectors.idea_by_token(partnership=obj, token=token)
    response = render(
        request,
        "ideas/public/idea_status.html",
        {
            "partnership": obj,
            "idea": idea,
            "explanation": workflow.CARRIER_STAGE[idea.Stage(idea.stage)],
            "events": idea.events.filter(public=True),
        },
    )
    # The address is the key to the page: keep it out of other sites' logs and of caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
