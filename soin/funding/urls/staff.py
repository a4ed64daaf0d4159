from django.urls import URLPattern, path

from soin.funding.views import staff as views

urlpatterns: list[URLPattern] = [
    path("funding/", views.funding, name="funding"),
]
