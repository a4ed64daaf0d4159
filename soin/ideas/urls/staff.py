from django.urls import path

from soin.ideas.views import staff as views

urlpatterns = [
    path("ideas/", views.idea_list, name="idea_list"),
    path("challenges/", views.challenges, name="challenges"),
    path("challenges/<int:pk>/remove/", views.challenge_remove, name="challenge_remove"),
    path("ideas/inbox/", views.idea_inbox, name="idea_inbox"),
    path("ideas/new/", views.idea_register, name="idea_register"),
    path("ideas/channel/", views.idea_channel, name="idea_channel"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/document/", views.idea_document, name="idea_document"),
    path("ideas/<int:pk>/move/<slug:move>/", views.idea_move, name="idea_move"),
    path("ideas/<int:pk>/escalate/", views.idea_escalate, name="idea_escalate"),
    path("ideas/<int:pk>/outcome/", views.idea_outcome, name="idea_outcome"),
    path("ideas/<int:pk>/contacts/", views.idea_contact_add, name="idea_contact_add"),
    path("ideas/<int:pk>/link/", views.idea_link, name="idea_link"),
    path("ideas/<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    path("ideas/<int:pk>/unmerge/", views.idea_unmerge, name="idea_unmerge"),
    path("ideas/<int:pk>/status-link/", views.idea_status_link_renew, name="idea_status_link"),
    path("ideas/<int:pk>/files/", views.idea_attachment_add, name="idea_attachment_add"),
    path("ideas/<int:pk>/files/<int:attachment>/", views.idea_attachment, name="idea_attachment"),
]
