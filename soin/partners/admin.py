from django.contrib import admin

from soin.partners.models import (
    Agreement,
    AgreementEvent,
    AgreementTemplate,
    ContactPerson,
    GroupMembership,
    Membership,
    Organisation,
)

admin.site.register(
    Organisation,
    list_display=["name", "kind", "partnership"],
    list_filter=["partnership", "kind"],
    search_fields=["name"],
)
admin.site.register(Membership, list_display=["organisation", "joined_on", "left_on"])
admin.site.register(GroupMembership, list_display=["organisation", "group", "since", "until"])
admin.site.register(ContactPerson, list_display=["name", "organisation"])
admin.site.register(AgreementTemplate, list_display=["key", "name_sv", "partnership"])
admin.site.register(Agreement, list_display=["organisation", "state", "signed_on"])
admin.site.register(AgreementEvent, list_display=["agreement", "kind", "created_at"])
