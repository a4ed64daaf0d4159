"""The site's addresses and the benchmarks' baselines: H, a minimal view through the same
middleware in the same server, and H behind the back office's guard (the session, the second
factor, the permission in the partnership) that every staff page passes first. Only the
benchmark server has them (config/bench_settings)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site
from soin.core.views import staff_view
from soin.regions.models import Partnership


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@staff_view("ideas.view")
def hello_staff(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("_bench/hello/", hello, name="bench_hello"),
    path("_bench/<slug:partnership>/hello/", hello_staff, name="bench_hello_staff"),
    *site,
]
