from django.urls import URLPattern, path

from soin.retention.views import staff as views

urlpatterns: list[URLPattern] = [
    path("privacy/erase/", views.person_erase_page, name="person_erase"),
    path("privacy/retention/", views.retention_policy, name="retention_policy"),
]
