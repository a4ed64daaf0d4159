"""The citizen's side: the idea form, the thank-you page and the private status page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from soin.ideas import selectors, services, workflow
from soin.ideas.forms import PublicIdeaForm
from soin.regions.models import Partnership

SESSION_KEY = "soin.ideas.submitted"


def idea_submit(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership.objects.select_related("region"), slug=partnership)
    form = PublicIdeaForm(request.POST or None, partnership=obj)
    limited = False
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR", "")
        if form.is_spam():
            # Answer a robot as if all went well, and keep nothing.
            return redirect("public:idea_thanks", partnership=obj.slug)
        if not services.intake_attempt(partnership=obj, address=address):
            limited = True
        else:
            consent = services.consent_information(partnership=obj)
            idea, token = services.idea_submit(
                partnership=obj,
                consent_text=consent,
                **{**form.intake_data(), "language": "en" if get_language() == "en" else "sv"},
            )
            request.session[SESSION_KEY] = {"number": idea.number, "token": token}
            return redirect("public:idea_thanks", partnership=obj.slug)
    return render(
        request,
        "ideas/public/idea_form.html",
        {
            "partnership": obj,
            "form": form,
            "limited": limited,
            "consent_information": services.consent_information(partnership=obj),
        },
        status=429 if limited else 200,
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
