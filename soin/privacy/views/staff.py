"""The record of processing for the partnership's coordinators, on a page and as a table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from soin.accounts.permissions import has_perm
from soin.core.exports import table_response
from soin.core.views import staff_view
from soin.privacy import processing
from soin.regions.models import Partnership


@staff_view("privacy.view")
def privacy_record(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    rows = processing.record_for(partnership)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return table_response(
            fmt=fmt,
            filename=f"record-of-processing-{partnership.slug}",
            title=_("Record of processing"),
            headers=[
                _("Processing"),
                _("Whose data"),
                _("Personal data"),
                _("Where it is kept"),
                _("Purpose"),
                _("Legal basis"),
                _("Recipients"),
                _("How long"),
                _("Rights"),
            ],
            rows=(
                [
                    r.name,
                    r.subjects,
                    r.data,
                    ", ".join(r.fields),
                    r.purpose,
                    "; ".join(r.bases) + f". {r.basis_note}",
                    r.recipients,
                    r.retention,
                    r.rights,
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "privacy/staff/record.html",
        {
            "partnership": partnership,
            "rows": rows,
            "not_personal": sorted(processing.NOT_PERSONAL.items()),
            "can_erase": has_perm(request.user, "privacy.erase", partnership),
            "can_set_retention": has_perm(request.user, "privacy.retention", partnership),
        },
    )
