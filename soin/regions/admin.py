from django.contrib import admin

from soin.regions.models import Municipality, Partnership, Region

admin.site.register(Region, list_display=["code", "name_sv", "name_en"])
admin.site.register(Municipality, list_display=["code", "name", "region"], list_filter=["region"])
admin.site.register(Partnership, list_display=["slug", "name_sv", "region"])
