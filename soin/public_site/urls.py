from django.urls import include, path

from soin.knowledge.urls.public import national_patterns
from soin.public_site import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    *national_patterns,
    path("<slug:partnership>/", views.partnership_home, name="partnership"),
    path("<slug:partnership>/about/", views.about, name="about"),
    path("<slug:partnership>/partners/", views.partners, name="partners"),
    path("<slug:partnership>/partners/<slug:organisation>/", views.partner, name="partner"),
    path("", include("soin.ideas.urls.public")),
    path("", include("soin.activities.urls.public")),
    path("", include("soin.newsletter.urls.public")),
    path("", include("soin.knowledge.urls.public")),
    path("", include("soin.reports.urls.public")),
    path("", include("soin.grants.urls.public")),
    path("", include("soin.privacy.urls.public")),
]
