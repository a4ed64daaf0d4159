"""A person's own data, per partnership: ask with an e-mail address, open the link from the
mail, download a ZIP of the data or ask for it to be erased. The link works once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from soin.core.ratelimit import rate_limited
from soin.core.submissions import PublicForm
from soin.privacy import selectors, services
from soin.privacy.archive import person_archive
from soin.privacy.forms import DataRequestForm
from soin.privacy.models import AccessRequest
from soin.regions.models import Partnership


def _private(response: HttpResponse) -> HttpResponse:
    # The address is the key to the data: keep it out of other sites' logs and of caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


FORM = PublicForm(
    "data_request",
    too_many=_(
        "Many requests have been sent from your connection within the hour. "
        "Please try again later, or write to us."
    ),
)


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


@rate_limited("data_request", per_hour="SOIN_DATA_REQUEST_PER_HOUR", counted_by_view=True)
def data_request(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    stamped = FORM.stamped(request)
    form = DataRequestForm(stamped.data(), initial=stamped.initial)

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "privacy/public/data_request.html",
            {"partnership": obj, "form": form, "notice": notice},
            status=status,
        )

    def store() -> None:
        # The same answer whether or not the address is known.
        services.data_request_submit(
            partnership=obj,
            email=form.cleaned_data["email"],
            language="en" if get_language() == "en" else "sv",
        )

    if request.method != "POST":
        return again()
    return FORM.handle(
        request,
        stamped,
        form=form,
        store=store,
        thanks=lambda: redirect("public:data_request_sent", partnership=obj.slug),
        decoy=lambda: render(
            request,
            "privacy/public/data_request_sent.html",
            {"partnership": obj, "hours": settings.SOIN_DATA_LINK_HOURS},
        ),
        again=again,
    )


def data_request_sent(request: HttpRequest, partnership: str) -> HttpResponse:
    """Says a link is on its way (if the address is known) only after a request from this
    visit was queued."""
    return render(
        request,
        "privacy/public/data_request_sent.html",
        {
            "partnership": _partnership(partnership),
            "hours": settings.SOIN_DATA_LINK_HOURS,
            "nothing": FORM.sent(request) is None,
        },
    )


def _gone(request: HttpRequest, access_request: AccessRequest) -> HttpResponse:
    return _private(
        render(
            request,
            "privacy/public/link_gone.html",
            {"partnership": access_request.partnership, "access_request": access_request},
        )
    )


def _open(partnership: str, token: str) -> AccessRequest:
    return selectors.access_request_by_token(partnership=_partnership(partnership), token=token)


def data_access(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    """What the link opens. A GET changes nothing (mail scanners open links); the buttons
    post."""
    access_request = _open(partnership, token)
    if access_request.is_used or access_request.is_expired:
        return _gone(request, access_request)
    return _private(
        render(
            request,
            "privacy/public/data_access.html",
            {
                "partnership": access_request.partnership,
                "access_request": access_request,
                "token": token,
                "until": timezone.localtime(access_request.expires_at),
                "kinds": selectors.KINDS,
            },
        )
    )


@require_POST
@rate_limited("data-link", per_hour=30)
def data_download(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    access_request = _open(partnership, token)
    try:
        with transaction.atomic():
            access_request = services.access_request_use(
                access_request=access_request, what="download"
            )
            archive = person_archive(
                partnership=access_request.partnership, email=access_request.email
            )
    except ValidationError:
        return _gone(request, access_request)
    response = HttpResponse(archive, content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{access_request.partnership.slug}-{day}.zip"'
    )
    return _private(response)


@rate_limited("data-link", per_hour=30)
def data_erase(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    """A GET asks to confirm; the POST erases (``soin.retention.erasure.person_erase``)."""
    access_request = _open(partnership, token)
    if access_request.is_used or access_request.is_expired:
        return _gone(request, access_request)
    from soin.retention.erasure import person_erase, person_erase_preview

    context: dict[str, Any] = {"partnership": access_request.partnership, "token": token}
    if request.method != "POST":
        try:
            context["total"] = sum(
                person_erase_preview(
                    partnership=access_request.partnership, email=access_request.email
                ).values()
            )
        except ValidationError as error:
            context["refusal"] = " ".join(error.messages)
    else:
        try:
            with transaction.atomic():
                access_request = services.access_request_use(
                    access_request=access_request, what="erasure"
                )
                counts = person_erase(
                    partnership=access_request.partnership,
                    email=access_request.email,
                    actor=None,
                    via="self-service",
                )
        except ValidationError as error:
            context["refusal"] = " ".join(error.messages)
        else:
            return _private(
                render(
                    request,
                    "privacy/public/data_erased.html",
                    {**context, "total": sum(int(v) for v in counts.values())},
                )
            )
    return _private(render(request, "privacy/public/data_erase.html", context))
