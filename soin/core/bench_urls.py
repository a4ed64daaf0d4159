"""The site's addresses and the benchmarks' baseline H: a minimal view, through the same
middleware, in the same server (only the benchmark server has it, see config/bench_settings)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/hello/", hello, name="bench_hello"), *site]
