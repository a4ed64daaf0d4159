from django.urls import URLPattern, path

from soin.plans.views import staff as views

urlpatterns: list[URLPattern] = [
    path("plans/", views.plan, name="plan"),
]
