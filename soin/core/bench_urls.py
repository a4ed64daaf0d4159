"""The site's addresses and the benchmarks' baselines: H, a minimal view through the same
middleware in the same server, H behind the back office's guard (the session, the second
factor, the permission in the partnership) that every staff page passes first, and a file
sent whole (the baseline of the public report's PDF). Only the
benchmark server has them (config/bench_settings)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site
from soin.core.views import staff_view
from soin.regions.models import Partnership


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@staff_view("ideas.view")
def hello_staff(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def same_size_file(request: HttpRequest, name: str) -> FileResponse:
    """A file the benchmark wrote to var/bench-files/, sent as the site sends a stored file:
    the baseline of the public report's PDF under load."""
    found = settings.VAR_DIR / "bench-files" / f"{name}.bin"
    if not found.is_file():
        raise Http404
    return FileResponse(found.open("rb"), content_type="application/octet-stream")


urlpatterns = [
    path("_bench/hello/", hello, name="bench_hello"),
    path("_bench/file/<slug:name>/", same_size_file, name="bench_file"),
    path("_bench/<slug:partnership>/hello/", hello_staff, name="bench_hello_staff"),
    *site,
]
