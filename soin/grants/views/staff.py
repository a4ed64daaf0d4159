"""Back-office pages of grants."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soin.core.views import staff_view
from soin.regions.models import Partnership


@staff_view("grants.view")
def grant_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "grants/staff/grant_list.html", {"partnership": partnership})
