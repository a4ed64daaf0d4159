from django.urls import path

from soin.activities.views import public as views

urlpatterns = [
    path("<slug:partnership>/activities/", views.calendar, name="calendar"),
    path("<slug:partnership>/activities/calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("<slug:partnership>/activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path(
        "<slug:partnership>/activities/<int:pk>/registered/",
        views.registration_sent,
        name="registration_sent",
    ),
    path(
        "<slug:partnership>/activities/<int:pk>/event.ics", views.activity_ics, name="activity_ics"
    ),
    path(
        "<slug:partnership>/activities/registration/<str:token>/",
        views.registration,
        name="registration",
    ),
]
