"""Back-office pages for partners, their contacts and groups, and agreements.

Each view reads a form, calls one service, and redirects or renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.exports import table_response
from soin.core.forms import apply_service_error
from soin.core.views import run_form_action, staff_view
from soin.partners import documents, selectors, services, workflow
from soin.partners.forms import (
    AgreementDraftForm,
    AgreementEditForm,
    AgreementEndForm,
    AgreementSignForm,
    ContactForm,
    MembershipEndForm,
    MembershipStartForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationOwnForm,
    SeatEndForm,
    SeatForm,
)
from soin.partners.models import Agreement, Organisation
from soin.regions.models import Partnership


def _filtered_organisations(
    request: HttpRequest, partnership: Partnership
) -> tuple[OrganisationFilterForm, Any]:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisations_for_staff(
        partnership=partnership,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    return form, organisations


@staff_view("partners.view")
def partner_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form, organisations = _filtered_organisations(request, partnership)
    return render(
        request,
        "partners/staff/partner_list.html",
        {
            "partnership": partnership,
            "form": form,
            "organisations": organisations,
            "can_change": has_perm(request.user, "partners.change", partnership),
            # Which partners signed is for those who may read all agreements.
            "can_view_agreements": has_perm(request.user, "agreements.view", partnership),
        },
    )


@staff_view("partners.view")
def partner_export(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """The organisations of the list, with the same filters, as CSV or XLSX."""
    _form, organisations = _filtered_organisations(request, partnership)
    yes, no = _("Yes"), _("No")
    with_agreements = has_perm(request.user, "agreements.view", partnership)
    headers = [
        _("Name"),
        _("Kind"),
        _("Type of actor"),
        _("Municipality"),
        _("Website"),
        _("E-mail"),
        _("Partner today"),
    ]
    if with_agreements:
        headers.append(_("Signed agreement"))
    rows = []
    for org in organisations:
        # organisations_for_staff annotates is_partner and has_signed_agreement.
        row = [
            org.name,
            org.get_kind_display(),
            org.sector.label,
            org.municipality.name if org.municipality else "",
            org.website,
            org.email,
            yes if org.is_partner else no,
        ]
        if with_agreements:
            row.append(yes if org.has_signed_agreement else no)
        rows.append(row)
    return table_response(
        fmt=request.GET.get("format", "csv"),
        filename=f"partners-{partnership.slug}",
        title=str(_("Partners")),
        headers=[str(h) for h in headers],
        rows=rows,
    )


@staff_view("partners.change")
def partner_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = OrganisationForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            org = services.organisation_create(partnership=partnership, actor=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": org.name})
            return redirect("staff:partner_detail", partnership=partnership.slug, pk=org.pk)
    return render(
        request,
        "partners/staff/partner_form.html",
        {
            "partnership": partnership,
            "form": form,
            "title": _("New organisation"),
        },
    )


@staff_view("partners.view")
def partner_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    user = request.user
    return render(
        request,
        "partners/staff/partner_detail.html",
        {
            "partnership": partnership,
            "organisation": org,
            **selectors.organisation_detail(user=user, partnership=partnership, organisation=org),
            "can_change": has_perm(user, "partners.change", partnership),
            "can_change_own": has_perm(user, "partners.change_own", partnership, organisation=org),
            "can_view_agreements": has_perm(
                user, "agreements.view_own", partnership, organisation=org
            ),
            "join_form": MembershipStartForm(),
            "leave_form": MembershipEndForm(),
            "seat_form": SeatForm(),
        },
    )


@staff_view("partners.change_own")
def partner_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(
        user=request.user, partnership=partnership, pk=pk, perm="partners.change_own"
    )
    full = has_perm(request.user, "partners.change", partnership)
    form_class = OrganisationForm if full else OrganisationOwnForm
    kwargs: dict[str, Any] = {"partnership": partnership, "with_joined": False} if full else {}
    form = form_class(request.POST or None, instance=org, **kwargs)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.fields}
        # The form wrote onto the instance; the service compares against the stored row.
        org.refresh_from_db()
        try:
            services.organisation_update(
                organisation=org, actor=request.user, own_only=not full, **changes
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:partner_detail", partnership=partnership.slug, pk=org.pk)
    return render(
        request,
        "partners/staff/partner_form.html",
        {
            "partnership": partnership,
            "form": form,
            "organisation": org,
            "title": _("Edit %(name)s") % {"name": org.name},
        },
    )


def _action(
    request: HttpRequest,
    partnership: Partnership,
    org: Organisation,
    form_class: type[forms.Form],
    call: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """Run a small form-backed action from the organisation page and go back to it."""
    run_form_action(request, form_class(request.POST), call)
    return redirect("staff:partner_detail", partnership=partnership.slug, pk=org.pk)


@require_POST
@staff_view("partners.change")
def partner_join(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    return _action(
        request,
        partnership,
        org,
        MembershipStartForm,
        lambda d: services.membership_start(
            organisation=org, actor=request.user, joined_on=d["joined_on"]
        ),
    )


@require_POST
@staff_view("partners.change")
def partner_make_coordinator(
    request: HttpRequest, partnership: Partnership, pk: int
) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    services.organisation_make_coordinator(organisation=org, actor=request.user)
    messages.success(request, _("%(name)s now coordinates the partnership.") % {"name": org.name})
    return redirect("staff:partner_detail", partnership=partnership.slug, pk=org.pk)


@require_POST
@staff_view("partners.change")
def partner_leave(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    return _action(
        request,
        partnership,
        org,
        MembershipEndForm,
        lambda d: services.membership_end(
            organisation=org, actor=request.user, left_on=d["left_on"]
        ),
    )


@require_POST
@staff_view("partners.change")
def seat_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    return _action(
        request,
        partnership,
        org,
        SeatForm,
        lambda d: services.group_membership_add(
            organisation=org, actor=request.user, group=d["group"], since=d["since"]
        ),
    )


@require_POST
@staff_view("partners.change")
def seat_end(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    seat = selectors.seat_get_for(user=request.user, partnership=partnership, pk=pk)
    return _action(
        request,
        partnership,
        seat.organisation,
        SeatEndForm,
        lambda d: services.group_membership_end(seat=seat, actor=request.user, until=d["until"]),
    )


@staff_view("partners.change_own")
def contact_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(
        user=request.user, partnership=partnership, pk=pk, perm="partners.change_own"
    )
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(organisation=org, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The contact person was added."))
        return redirect("staff:partner_detail", partnership=partnership.slug, pk=org.pk)
    return render(
        request,
        "partners/staff/contact_form.html",
        {
            "partnership": partnership,
            "organisation": org,
            "form": form,
            "title": _("New contact person"),
        },
    )


@staff_view("partners.change_own")
def contact_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contact = selectors.contact_get_for(user=request.user, partnership=partnership, pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        contact.refresh_from_db()
        services.contact_update(contact=contact, actor=request.user, **changes)
        messages.success(request, _("The changes were saved."))
        return redirect(
            "staff:partner_detail", partnership=partnership.slug, pk=contact.organisation_id
        )
    return render(
        request,
        "partners/staff/contact_form.html",
        {
            "partnership": partnership,
            "organisation": contact.organisation,
            "form": form,
            "contact": contact,
            "title": _("Edit %(name)s") % {"name": contact.name},
        },
    )


@require_POST
@staff_view("partners.change_own")
def contact_delete(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contact = selectors.contact_get_for(user=request.user, partnership=partnership, pk=pk)
    org_pk = contact.organisation_id
    services.contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("The contact person was removed."))
    return redirect("staff:partner_detail", partnership=partnership.slug, pk=org_pk)


@staff_view("agreements.view_own")
def agreement_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in Agreement.State.values:
        state = ""
    agreements = selectors.agreements_for(user=request.user, partnership=partnership, state=state)
    return render(
        request,
        "partners/staff/agreement_list.html",
        {
            "partnership": partnership,
            "agreements": agreements,
            "state": state,
            "states": Agreement.State.choices,
        },
    )


@staff_view("agreements.change")
def agreement_draft(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for(user=request.user, partnership=partnership, pk=pk)
    templates = partnership.agreement_templates.all()
    suggested = selectors.templates_for_kind(partnership=partnership, kind=org.kind)
    form = AgreementDraftForm(
        request.POST or None,
        templates=templates,
        initial={"template": suggested[0].pk if suggested else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_draft(
                organisation=org, template=form.cleaned_data["template"], actor=request.user
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The agreement was drafted."))
            return redirect("staff:agreement_detail", partnership=partnership.slug, pk=agreement.pk)
    return render(
        request,
        "partners/staff/agreement_draft.html",
        {
            "partnership": partnership,
            "organisation": org,
            "form": form,
        },
    )


@staff_view("agreements.view_own")
def agreement_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(user=request.user, partnership=partnership, pk=pk)
    can_change = has_perm(request.user, "agreements.change", partnership)
    return render(
        request,
        "partners/staff/agreement_detail.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "doc": documents.agreement_context(agreement, "sv"),
            "doc_en": documents.agreement_context(agreement, "en"),
            "events": agreement.events.select_related("actor"),
            "can_edit": can_change and workflow.can(agreement, "edit"),
            "can_sign": can_change and workflow.can(agreement, "sign"),
            "can_end": can_change and workflow.can(agreement, "end"),
            "sign_form": AgreementSignForm(),
            "end_form": AgreementEndForm(),
        },
    )


@staff_view("agreements.change")
def agreement_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(
        user=request.user, partnership=partnership, pk=pk, perm="agreements.change"
    )
    if not workflow.can(agreement, "edit"):
        messages.error(request, _("A signed agreement cannot be edited."))
        return redirect("staff:agreement_detail", partnership=partnership.slug, pk=pk)
    form = AgreementEditForm(
        request.POST or None,
        initial={f: getattr(agreement, f) for f in AgreementEditForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:agreement_detail", partnership=partnership.slug, pk=pk)
    return render(
        request,
        "partners/staff/agreement_edit.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "form": form,
        },
    )


def _agreement_action(
    request: HttpRequest,
    partnership: Partnership,
    pk: int,
    form_class: type[forms.Form],
    call: Callable[[Agreement, dict[str, Any]], object],
) -> HttpResponse:
    agreement = selectors.agreement_get_for(
        user=request.user, partnership=partnership, pk=pk, perm="agreements.change"
    )
    run_form_action(request, form_class(request.POST), lambda data: call(agreement, data))
    return redirect("staff:agreement_detail", partnership=partnership.slug, pk=pk)


@require_POST
@staff_view("agreements.change")
def agreement_sign(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    return _agreement_action(
        request,
        partnership,
        pk,
        AgreementSignForm,
        lambda a, d: services.agreement_sign(agreement=a, actor=request.user, **d),
    )


@require_POST
@staff_view("agreements.change")
def agreement_end(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    return _agreement_action(
        request,
        partnership,
        pk,
        AgreementEndForm,
        lambda a, d: services.agreement_end(agreement=a, actor=request.user, **d),
    )


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "sv")
    if lang not in {"sv", "en"}:
        raise PermissionDenied
    return lang


@staff_view("agreements.view_own")
def agreement_docx(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(user=request.user, partnership=partnership, pk=pk)
    lang = _language(request)
    response = HttpResponse(
        documents.agreement_docx(agreement, lang),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{agreement.organisation.slug}-{lang}.docx"'
    )
    return response


@staff_view("agreements.view_own")
def agreement_pdf(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for(user=request.user, partnership=partnership, pk=pk)
    lang = _language(request)
    response = HttpResponse(
        documents.agreement_pdf(agreement, lang), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{agreement.organisation.slug}-{lang}.pdf"'
    )
    return response
