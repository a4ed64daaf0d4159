"""Back-office pages of impact."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soin.core.views import staff_view
from soin.regions.models import Partnership


@staff_view("impact.view")
def impact(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "impact/staff/impact.html", {"partnership": partnership})
