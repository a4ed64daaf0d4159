"""Back-office pages: erasing a person on their request (with a confirm step that shows how
much will be touched) and the partnership's retention times."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.core.forms import apply_service_error
from soin.core.views import staff_view
from soin.regions.models import Partnership
from soin.retention import services
from soin.retention.erasure import KINDS, person_erase, person_erase_preview
from soin.retention.forms import ConfirmEraseForm, EraseForm, RetentionPolicyForm

KIND_LABELS = {
    "ideas": gettext_lazy("Ideas: the carrier's details removed, the idea kept"),
    "carrier_contacts": gettext_lazy("Entries in the ideas' contact logs"),
    "registrations": gettext_lazy("Registrations for events: kept as places taken"),
    "subscribers": gettext_lazy("Newsletter subscriptions: removed"),
    "grants": gettext_lazy("Grant applications: the contact person removed"),
    "partner_contacts": gettext_lazy("Contact persons of partners: removed"),
}


@staff_view("privacy.erase")
def person_erase_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    context: dict[str, object] = {"partnership": partnership}
    if request.method == "POST" and request.POST.get("step") == "erase":
        confirm = ConfirmEraseForm(request.POST)
        if confirm.is_valid():
            try:
                counts = person_erase(
                    partnership=partnership,
                    email=confirm.cleaned_data["email"],
                    actor=request.user,
                    via="staff",
                )
            except ValidationError as error:
                form = EraseForm(request.POST)
                form.is_valid()
                apply_service_error(form, error)
                return render(request, "retention/staff/erase.html", {**context, "form": form})
            messages.success(
                request,
                _("The person's data was erased or anonymised: %(count)s rows changed.")
                % {"count": sum(counts.values())},
            )
            return redirect("staff:person_erase", partnership=partnership.slug)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = person_erase_preview(partnership=partnership, email=form.cleaned_data["email"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return render(
                request,
                "retention/staff/erase_confirm.html",
                {
                    **context,
                    "email": form.cleaned_data["email"],
                    "confirm": ConfirmEraseForm(initial={"email": form.cleaned_data["email"]}),
                    "rows": [(KIND_LABELS[kind], counts[kind]) for kind in KINDS],
                },
            )
    return render(request, "retention/staff/erase.html", {**context, "form": form})


@staff_view("privacy.retention")
def retention_policy(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    policy = services.retention_policy_for(partnership=partnership)
    initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_policy_update(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The retention times were saved."))
            return redirect("staff:retention_policy", partnership=partnership.slug)
    return render(
        request,
        "retention/staff/retention.html",
        {
            "partnership": partnership,
            "form": form,
            "records": partnership.erasure_records.all()[:20],
        },
    )
