from django.urls import path

from soin.reports.views import public as views

urlpatterns = [
    path("<slug:partnership>/social-economy/", views.economy, name="economy"),
    path(
        "<slug:partnership>/social-economy/chart/<slug:measure>.svg",
        views.economy_chart,
        name="economy_chart",
    ),
    path("<slug:partnership>/reports/", views.reports, name="reports"),
    path("<slug:partnership>/reports/<int:year>/", views.report, name="report"),
    path(
        "<slug:partnership>/reports/<int:year>/chart/<slug:key>.svg",
        views.report_chart,
        name="report_chart",
    ),
    path(
        "<slug:partnership>/reports/<int:year>/report.<str:fmt>",
        views.report_download,
        name="report_download",
    ),
]
