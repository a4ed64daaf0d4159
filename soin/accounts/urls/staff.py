from django.urls import path

from soin.accounts.views import staff as views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("roles/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
]
