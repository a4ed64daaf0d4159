from django.urls import URLPattern, path

from soin.impact.views import staff as views

urlpatterns: list[URLPattern] = [
    path("impact/", views.impact, name="impact"),
]
