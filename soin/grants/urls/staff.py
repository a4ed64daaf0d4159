from django.urls import URLPattern, path

from soin.grants.views import staff as views

urlpatterns: list[URLPattern] = [
    path("grants/", views.grant_list, name="grant_list"),
]
