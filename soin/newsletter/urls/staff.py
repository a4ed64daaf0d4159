from django.urls import path

from soin.newsletter.views import staff as views

urlpatterns = [
    path("newsletter/", views.issue_list, name="newsletter_issues"),
    path("newsletter/new/", views.issue_create, name="newsletter_issue_create"),
    path("newsletter/subscribers/", views.subscriber_list, name="newsletter_subscribers"),
    path("newsletter/subscribers/import/", views.subscriber_import, name="newsletter_import"),
    path(
        "newsletter/subscribers/<int:pk>/release/",
        views.subscriber_release,
        name="newsletter_subscriber_release",
    ),
    path("newsletter/<int:pk>/", views.issue_detail, name="newsletter_issue"),
    path("newsletter/<int:pk>/sections/", views.section_add, name="newsletter_section_add"),
    path(
        "newsletter/sections/<int:pk>/remove/",
        views.section_remove,
        name="newsletter_section_remove",
    ),
    path("newsletter/<int:pk>/pull/", views.issue_pull_items, name="newsletter_pull_items"),
    path("newsletter/<int:pk>/preview/", views.issue_preview, name="newsletter_preview"),
    path("newsletter/<int:pk>/test/", views.issue_test_mail, name="newsletter_test_mail"),
    path("newsletter/<int:pk>/send/", views.issue_send, name="newsletter_send"),
    path("newsletter/<int:pk>/progress.json", views.issue_progress, name="newsletter_progress"),
]
