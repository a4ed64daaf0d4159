"""The URL map: the public site under language prefixes, the back office under /staff/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from soin.api.api import api
from soin.core.health import healthz
from soin.newsletter.urls.public import mail_patterns
from soin.public_site.views import sitemap

urlpatterns: list[URLPattern | URLResolver] = [
    # For load balancers and monitors: whether the database answers, and the task queue's lag.
    path("healthz", healthz, name="healthz"),
    path("staff/", include("soin.staff.urls")),
    # The API's own root has nothing to show: its documentation does.
    path("api/v1/", RedirectView.as_view(url="/api/v1/docs"), name="api_root"),
    path("api/v1/", api.urls),
    # Drawn once and kept until a public page changes (soin.core.aggregates).
    path("sitemap.xml", sitemap, name="sitemap"),
    *mail_patterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# The site's own error pages, in both languages with a way back; a database error outside the
# view (saving the session) is the 503 page.
handler400 = "soin.core.error_pages.bad_request"
handler403 = "soin.core.error_pages.permission_denied"
handler404 = "soin.core.error_pages.page_not_found"
handler500 = "soin.core.error_pages.server_error"

urlpatterns += i18n_patterns(
    path("", include("soin.public_site.urls")),
    prefix_default_language=True,
)
