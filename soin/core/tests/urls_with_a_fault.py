"""The site's URL map with two addresses that fail, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import *  # noqa: F403 (the handlers too)
from config.urls import urlpatterns as site


def fault(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request that makes no sense")


urlpatterns = [
    path("sv/fault/", fault, name="fault_sv"),
    path("en/fault/", fault, name="fault_en"),
    path("sv/suspicious/", suspicious, name="suspicious"),
    *site,
]
