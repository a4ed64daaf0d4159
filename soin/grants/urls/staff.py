from django.urls import URLPattern, path

from soin.grants.views import staff as views

urlpatterns: list[URLPattern] = [
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/register/", views.grant_register, name="grant_register"),
    path("grants/totals/", views.grant_totals, name="grant_totals"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/approve/", views.grant_approve, name="grant_approve"),
    path("grants/<int:pk>/reject/", views.grant_reject, name="grant_reject"),
    path("grants/<int:pk>/pay/", views.payment_add, name="grant_payment_add"),
    path("grants/<int:pk>/follow-up/", views.followup_register, name="grant_followup_register"),
    path("grants/<int:pk>/close/", views.grant_close, name="grant_close"),
]
