"""Back-office pages of funding."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from soin.core.views import staff_view
from soin.regions.models import Partnership


@staff_view("funding.view")
def funding(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "funding/staff/funding.html", {"partnership": partnership})
