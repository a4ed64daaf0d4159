"""The URL map: the public site under language prefixes, the back office under /staff/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from soin.newsletter.urls.public import mail_patterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/", include("soin.staff.urls")),
    *mail_patterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("soin.public_site.urls")),
    prefix_default_language=True,
)
