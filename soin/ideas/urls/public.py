from django.urls import path

from soin.ideas.views import public as views

urlpatterns = [
    path("<slug:partnership>/idea/", views.idea_submit, name="idea_submit"),
    path("<slug:partnership>/idea/thanks/", views.idea_thanks, name="idea_thanks"),
    path("<slug:partnership>/idea/status/<str:token>/", views.idea_status, name="idea_status"),
]
