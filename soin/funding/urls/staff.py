from django.urls import URLPattern, path

from soin.funding.views import staff as views

urlpatterns: list[URLPattern] = [
    path("funding/", views.funding, name="funding"),
    path("funding/calls/", views.call_list, name="funding_call_list"),
    path("funding/calls/new/", views.call_create, name="funding_call_create"),
    path("funding/calls/export/", views.call_export, name="funding_call_export"),
    path("funding/calls/deadlines.ics", views.call_ics, name="funding_call_ics"),
    path("funding/calls/<int:pk>/", views.call_detail, name="funding_call_detail"),
    path("funding/calls/<int:pk>/edit/", views.call_edit, name="funding_call_edit"),
    path("funding/applications/", views.application_list, name="funding_application_list"),
    path("funding/applications/new/", views.application_create, name="funding_application_create"),
    path(
        "funding/applications/<int:pk>/",
        views.application_detail,
        name="funding_application_detail",
    ),
    path(
        "funding/applications/<int:pk>/edit/",
        views.application_edit,
        name="funding_application_edit",
    ),
    path(
        "funding/applications/<int:pk>/<slug:move>/",
        views.application_move,
        name="funding_application_move",
    ),
    path("funding/projects/", views.project_list, name="funding_project_list"),
    path("funding/projects/new/", views.project_create, name="funding_project_create"),
    path("funding/projects/export/", views.project_export, name="funding_project_export"),
    path("funding/projects/<int:pk>/", views.project_detail, name="funding_project_detail"),
    path("funding/projects/<int:pk>/edit/", views.project_edit, name="funding_project_edit"),
    path(
        "funding/projects/<int:pk>/results/",
        views.project_result_add,
        name="funding_project_result_add",
    ),
    path(
        "funding/projects/<int:pk>/meetings/",
        views.project_meeting_link,
        name="funding_project_meeting_link",
    ),
]
