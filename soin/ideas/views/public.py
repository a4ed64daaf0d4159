"""The citizen's side: the idea form, the thank-you page and the private status page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy

from soin.core.ratelimit import rate_limited
from soin.core.submissions import PublicForm
from soin.ideas import selectors, services, workflow
from soin.ideas.forms import PublicIdeaForm, consent_fingerprint
from soin.regions.models import Partnership

FORM = PublicForm(
    "idea",
    too_many=gettext_lazy(
        "Many ideas have been sent from your connection within the hour. "
        "Please try again later, or write to us."
    ),
    changed=gettext_lazy(
        "The information about your personal data has changed. Read it again "
        "before you send the idea."
    ),
    # The idea form times its sender from the first showing in the session.
    bind=True,
    min_seconds="SOIN_IDEA_FORM_MIN_SECONDS",
    # The private link is shown once: a later visitor of this browser sees the number only.
    once=("token",),
)


@rate_limited("idea", per_hour="SOIN_IDEA_FORM_PER_HOUR", counted_by_view=True)
def idea_submit(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = get_object_or_404(Partnership.objects.select_related("region"), slug=partnership)
    consent = services.consent_information(partnership=obj)
    fingerprint = consent_fingerprint(consent)
    stamped = FORM.stamped(request)
    # Shown again, the form keeps what was typed, with its stamp and the information as it
    # stands now.
    data = stamped.data()
    shown = data.get("consent_shown") if data is not None else fingerprint
    if data is not None:
        data["consent_shown"] = fingerprint
    form = PublicIdeaForm(
        data, partnership=obj, initial={**stamped.initial, "consent_shown": fingerprint}
    )

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "ideas/public/idea_form.html",
            {"partnership": obj, "form": form, "notice": notice, "consent_information": consent},
            status=status,
        )

    def store() -> dict[str, Any]:
        idea, token = services.idea_submit(
            partnership=obj,
            consent_text=f"{consent}\n\n{form.fields['consent'].label}",
            **{**form.intake_data(), "language": "en" if get_language() == "en" else "sv"},
        )
        return {"number": idea.number, "token": token}

    if request.method != "POST":
        return again()
    return FORM.handle(
        request,
        stamped,
        form=form,
        store=store,
        thanks=lambda: redirect("public:idea_thanks", partnership=obj.slug),
        decoy=lambda: render(request, "ideas/public/idea_thanks.html", {"partnership": obj}),
        again=again,
        changed=shown != fingerprint,
    )


def idea_thanks(request: HttpRequest, partnership: str) -> HttpResponse:
    """Thanks for the idea this visit stored; without one, the page says none came."""
    obj = get_object_or_404(Partnership, slug=partnership)
    submitted = FORM.sent(request)
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
