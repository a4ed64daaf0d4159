from django.urls import path

from soin.reports.views import staff as views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/chart/<slug:key>.svg", views.statistics_chart, name="statistics_chart"),
    path(
        "statistics/<slug:key>.<str:fmt>",
        views.statistics_download,
        name="statistics_download",
    ),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:year>/", views.report_detail, name="report"),
    path("reports/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:year>/move/", views.report_move, name="report_move"),
    path("reports/<int:year>/chart/<slug:key>.svg", views.report_chart, name="report_chart"),
    path("reports/<int:year>/report.<str:fmt>", views.report_download, name="report_download"),
    path("economy/", views.economy, name="economy"),
    path("economy/<int:pk>/", views.economy_edit, name="economy_edit"),
    path("economy/<int:pk>/remove/", views.economy_delete, name="economy_delete"),
    path("economy/figures.<str:fmt>", views.economy_download, name="economy_download"),
    path("economy/chart/<slug:measure>.svg", views.economy_chart, name="economy_chart"),
]

# Across every partnership, before the partnerships' addresses (the slug "national" is reserved).
national_patterns = [
    path("national/statistics/", views.national_statistics, name="national_statistics"),
    path(
        "national/statistics/chart/<slug:key>.svg",
        views.national_chart,
        name="national_chart",
    ),
    path(
        "national/statistics/<slug:key>.<str:fmt>",
        views.national_download,
        name="national_download",
    ),
]
