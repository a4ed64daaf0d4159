from django.contrib import admin

from soin.knowledge.models import ExchangeSource


@admin.register(ExchangeSource)
class ExchangeSourceAdmin(admin.ModelAdmin):
    """Read only: the national coordinator makes the choices on the back office's exchange
    page (``staff:national_exchange``), where each change is recorded in the audit log."""

    list_display = ["origin", "publish_directly", "trusted_as_relay", "last_read_at"]
    readonly_fields = [
        "origin",
        "publish_directly",
        "trusted_as_relay",
        "created_at",
        "last_read_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
