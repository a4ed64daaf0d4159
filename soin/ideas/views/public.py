"""The citizen's side: the idea form, the thank-you page and the private status page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from soin.core.ratelimit import limited, rate_limited
from soin.ideas import selectors, services, workflow
from soin.ideas.forms import PublicIdeaForm, consent_fingerprint
from soin.regions.models import Partnership

SESSION_KEY = "soin.ideas.submitted"


@rate_limited("idea", per_hour="SOIN_IDEA_FORM_PER_HOUR", counted_by_view=True)
def idea_submit(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership.objects.select_related("region"), slug=partnership)
    consent = services.consent_information(partnership=obj)
    form = PublicIdeaForm(request.POST or None, partnership=obj)
    notice = ""
    status = 200
    if request.method == "POST":
        age = form.stamp_age(request.session)
        if form.filled_in_honeypot() or (
            age is not None and age < settings.SOIN_IDEA_FORM_MIN_SECONDS
        ):
            # Answer a robot as if all went well, and keep nothing.
            return redirect("public:idea_thanks", partnership=obj.slug)
        if age is None:
            notice = _(
                "The form had been open for a long time. Check what you wrote and send it again."
            )
        elif form.data.get("consent_shown") != consent_fingerprint(consent):
            notice = _(
                "The information about your personal data has changed. Read it again "
                "before you send the idea."
            )
        elif form.is_valid():
            if limited(request):
                notice = _(
                    "Many ideas have been sent from your connection within the hour. "
                    "Please try again later, or write to us."
                )
                status = 429
            else:
                idea, token = services.idea_submit(
                    partnership=obj,
                    consent_text=f"{consent}\n\n{form.fields['consent'].label}",
                    **{**form.intake_data(), "language": "en" if get_language() == "en" else "sv"},
                )
                request.session[SESSION_KEY] = {"number": idea.number, "token": token}
                return redirect("public:idea_thanks", partnership=obj.slug)
        # Shown again: what the citizen typed stays, with a fresh stamp.
        data = request.POST.copy()
        data["started"] = PublicIdeaForm.new_stamp(request.session)
        data["consent_shown"] = consent_fingerprint(consent)
        form = PublicIdeaForm(data, partnership=obj)
        if notice:
            form.is_valid()  # show the field errors too
    else:
        form.initial.update(
            {
                "started": PublicIdeaForm.new_stamp(request.session),
                "consent_shown": consent_fingerprint(consent),
            }
        )
    return render(
        request,
        "ideas/public/idea_form.html",
        {"partnership": obj, "form": form, "notice": notice, "consent_information": consent},
        status=status,
    )


def idea_thanks(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership, slug=partnership)
    submitted = request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "ideas/public/idea_thanks.html",
        {
            "partnership": obj,
            "submitted": submitted,
        },
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
