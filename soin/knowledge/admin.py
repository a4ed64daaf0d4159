from django.contrib import admin

from soin.knowledge.models import ExchangeSource

admin.site.register(
    ExchangeSource,
    list_display=["origin", "publish_directly", "trusted_as_relay", "last_read_at"],
    list_editable=["publish_directly", "trusted_as_relay"],
)
