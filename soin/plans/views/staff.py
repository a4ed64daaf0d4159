"""Back-office pages of plans."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soin.core.views import staff_view
from soin.regions.models import Partnership


@staff_view("plans.view")
def plan(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "plans/staff/plan.html", {"partnership": partnership})
