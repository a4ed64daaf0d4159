from django.urls import path

from soin.activities.views import staff as views

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/series/new/", views.series_create, name="series_create"),
    path("activities/actions/", views.action_list, name="action_list"),
    path("activities/spread/", views.spread, name="activity_spread"),
    path("activities/calendar/", views.calendar_settings, name="calendar_settings"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/minutes/", views.activity_minutes, name="activity_minutes"),
    path("activities/<int:pk>/items/", views.meeting_item_add, name="meeting_item_add"),
    path("activities/items/<int:pk>/done/", views.meeting_item_done, name="meeting_item_done"),
    path("activities/<int:pk>/event.ics", views.activity_ics, name="activity_ics"),
    path("activities/<int:pk>/participants/", views.registration_list, name="registration_list"),
    path(
        "activities/<int:pk>/participants/attendance/",
        views.registration_attendance,
        name="registration_attendance",
    ),
    path(
        "activities/<int:pk>/participants/export/",
        views.registration_export,
        name="registration_export",
    ),
    path(
        "activities/<int:pk>/participants/<int:registration>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
