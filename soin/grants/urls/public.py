from django.urls import path

from soin.grants.views import public as views

urlpatterns = [
    path("<slug:partnership>/grants/apply/", views.grant_apply, name="grant_apply"),
    path("<slug:partnership>/grants/thanks/", views.grant_thanks, name="grant_thanks"),
    path(
        "<slug:partnership>/grants/application/<str:token>/",
        views.grant_status,
        name="grant_status",
    ),
]
