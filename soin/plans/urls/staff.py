from django.urls import URLPattern, path

from soin.plans.views import staff as views

urlpatterns: list[URLPattern] = [
    path("plan/", views.plan, name="plan"),
    path("plan/new/", views.plan_create, name="plan_create"),
    path("plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/move/", views.plan_move, name="plan_move"),
    path("plan/<int:pk>/areas/new/", views.area_create, name="plan_area_create"),
    path("plan/areas/<int:pk>/edit/", views.area_edit, name="plan_area_edit"),
    path("plan/areas/<int:pk>/items/new/", views.item_create, name="plan_item_create"),
    path("plan/items/<int:pk>/", views.item_detail, name="plan_item"),
    path("plan/items/<int:pk>/edit/", views.item_edit, name="plan_item_edit"),
    path("plan/items/<int:pk>/report/", views.followup_create, name="plan_followup_create"),
    path("plan/meetings/<int:pk>/", views.meeting_followup, name="plan_meeting"),
    path(
        "plan/meetings/<int:pk>/followup.<str:fmt>",
        views.meeting_followup_file,
        name="plan_meeting_file",
    ),
]
