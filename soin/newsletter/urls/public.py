from django.urls import path

from soin.newsletter.views import public as views

urlpatterns = [
    path("<slug:partnership>/newsletter/", views.subscribe, name="newsletter_subscribe"),
    path("<slug:partnership>/newsletter/sent/", views.sent, name="newsletter_sent"),
    path(
        "<slug:partnership>/newsletter/confirm/<str:token>/",
        views.confirm,
        name="newsletter_confirm",
    ),
    path(
        "<slug:partnership>/newsletter/subscription/<str:token>/",
        views.subscription,
        name="newsletter_subscription",
    ),
    path(
        "<slug:partnership>/newsletter/subscription/<str:token>/data.json",
        views.subscription_data,
        name="newsletter_subscription_data",
    ),
    path("<slug:partnership>/newsletter/tip/", views.friend, name="newsletter_friend"),
    path("<slug:partnership>/newsletter/archive/", views.archive, name="newsletter_archive"),
    path(
        "<slug:partnership>/newsletter/<int:year>/<int:number>/",
        views.issue,
        name="newsletter_issue",
    ),
]

# Outside the language prefix: the addresses in mails and their headers.
mail_patterns = [
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
    path("newsletter/image/<str:token>/", views.image, name="newsletter_image"),
]
