from django.urls import path

from soin.partners.views import staff as views

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/export/", views.partner_export, name="partner_export"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/join/", views.partner_join, name="partner_join"),
    path("partners/<int:pk>/leave/", views.partner_leave, name="partner_leave"),
    path(
        "partners/<int:pk>/coordinator/",
        views.partner_make_coordinator,
        name="partner_make_coordinator",
    ),
    path("partners/<int:pk>/groups/add/", views.seat_add, name="seat_add"),
    path("partners/<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("partners/<int:pk>/agreements/new/", views.agreement_draft, name="agreement_draft"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/end/", views.agreement_end, name="agreement_end"),
    path("agreements/<int:pk>/agreement.docx", views.agreement_docx, name="agreement_docx"),
    path("agreements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
]
