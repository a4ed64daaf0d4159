from django.urls import URLPattern, path

from soin.impact.views import staff as views

urlpatterns: list[URLPattern] = [
    path("impact/", views.impact, name="impact"),
    path("impact/new/", views.analysis_new, name="impact_analysis_new"),
    path("impact/<int:pk>/", views.analysis, name="impact_analysis"),
    path("impact/<int:pk>/edit/", views.analysis_edit, name="impact_analysis_edit"),
    path(
        "impact/<int:pk>/analysis.<str:fmt>",
        views.analysis_download,
        name="impact_analysis_download",
    ),
    path(
        "impact/<int:pk>/stakeholders/new/",
        views.stakeholder_add,
        name="impact_stakeholder_add",
    ),
    path(
        "impact/<int:pk>/stakeholders/<int:item>/",
        views.stakeholder_edit,
        name="impact_stakeholder_edit",
    ),
    path(
        "impact/<int:pk>/stakeholders/<int:item>/remove/",
        views.stakeholder_remove,
        name="impact_stakeholder_remove",
    ),
    path("impact/<int:pk>/inputs/new/", views.input_add, name="impact_input_add"),
    path("impact/<int:pk>/inputs/<int:item>/", views.input_edit, name="impact_input_edit"),
    path(
        "impact/<int:pk>/inputs/<int:item>/remove/",
        views.input_remove,
        name="impact_input_remove",
    ),
    path("impact/<int:pk>/outcomes/new/", views.outcome_add, name="impact_outcome_add"),
    path("impact/<int:pk>/outcomes/<int:item>/", views.outcome_edit, name="impact_outcome_edit"),
    path(
        "impact/<int:pk>/outcomes/<int:item>/remove/",
        views.outcome_remove,
        name="impact_outcome_remove",
    ),
    path(
        "impact/<int:pk>/outcomes/<int:item>/proxy/",
        views.outcome_proxy_update,
        name="impact_outcome_proxy_update",
    ),
    path("impact/proxies/", views.proxies, name="impact_proxies"),
    path("impact/proxies/new/", views.proxy_propose, name="impact_proxy_propose"),
    path("impact/proxies/bank.<str:fmt>", views.proxies_download, name="impact_proxies_download"),
    path("impact/proxies/<int:pk>/", views.proxy, name="impact_proxy"),
    path("impact/proxies/<int:pk>/move/", views.proxy_move, name="impact_proxy_move"),
    path(
        "impact/proxies/<int:pk>/version/",
        views.proxy_new_version,
        name="impact_proxy_new_version",
    ),
]
