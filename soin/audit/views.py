from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soin.audit.selectors import audit_entries_for_partnership
from soin.core.views import staff_view
from soin.regions.models import Partnership


@staff_view("audit.view")
def audit_log(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    paginator = Paginator(audit_entries_for_partnership(partnership=partnership), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "audit/staff/audit_log.html",
        {
            "partnership": partnership,
            "page": page,
        },
    )
