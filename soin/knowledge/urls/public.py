from django.urls import path

from soin.knowledge.views import public as views

# The national bank: before the partnerships' addresses, whose slugs may not be "bank".
national_patterns = [
    path("bank/", views.national_bank, name="national_bank"),
    path("bank/feed/", views.national_feed, name="national_feed"),
]

urlpatterns = [
    path("<slug:partnership>/bank/", views.bank, name="bank"),
    path("<slug:partnership>/bank/<slug:slug>/", views.entry, name="bank_entry"),
    path(
        "<slug:partnership>/bank/<slug:slug>/images/<int:pk>/",
        views.entry_image,
        name="bank_image",
    ),
    path("<slug:partnership>/news/", views.news_list, name="news"),
    path("<slug:partnership>/news/<slug:slug>/", views.news_item, name="news_item"),
    path("<slug:partnership>/feed/", views.feed, name="feed"),
]
