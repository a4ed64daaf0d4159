from django.urls import path

from soin.knowledge.views import staff as views

urlpatterns = [
    path("bank/", views.entry_list, name="bank_entries"),
    path("bank/new/", views.entry_create, name="bank_entry_create"),
    path("bank/<int:pk>/", views.entry_detail, name="bank_entry"),
    path("bank/<int:pk>/move/", views.entry_move, name="bank_entry_move"),
    path("bank/<int:pk>/consent/", views.entry_consent, name="bank_entry_consent"),
    path("bank/<int:pk>/images/", views.image_add, name="bank_image_add"),
    path("bank/<int:pk>/links/", views.link_add, name="bank_link_add"),
    path("bank/images/<int:pk>/", views.image_file, name="bank_image_file"),
    path("bank/images/<int:pk>/remove/", views.image_remove, name="bank_image_remove"),
    path("bank/links/<int:pk>/remove/", views.link_remove, name="bank_link_remove"),
    path("news/", views.news_list, name="news_list"),
    path("news/new/", views.news_create, name="news_create"),
    path("news/<int:pk>/", views.news_edit, name="news_edit"),
    path("news/<int:pk>/publish/", views.news_publish, name="news_publish"),
]

# Across every partnership, before the partnerships' addresses (the slug "national" is reserved).
national_patterns = [
    path("national/exchange/", views.exchange_sources, name="national_exchange"),
    path(
        "national/exchange/<int:pk>/",
        views.exchange_source,
        name="national_exchange_source",
    ),
]
