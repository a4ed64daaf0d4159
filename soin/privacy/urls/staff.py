from django.urls import URLPattern, path

from soin.privacy.views import staff as views

urlpatterns: list[URLPattern] = [
    path("privacy/", views.privacy_record, name="privacy_record"),
]
