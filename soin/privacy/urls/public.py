from django.urls import path

from soin.privacy.views import public as views

urlpatterns = [
    path("<slug:partnership>/my-data/", views.data_request, name="data_request"),
    path("<slug:partnership>/my-data/sent/", views.data_request_sent, name="data_request_sent"),
    path("<slug:partnership>/my-data/<str:token>/", views.data_access, name="data_access"),
    path(
        "<slug:partnership>/my-data/<str:token>/download/",
        views.data_download,
        name="data_download",
    ),
    path("<slug:partnership>/my-data/<str:token>/erase/", views.data_erase, name="data_erase"),
]
