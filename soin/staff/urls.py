from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy

from soin.accounts.forms import ChoosePasswordForm
from soin.activities.views.staff import private_calendar
from soin.audit.views import audit_log
from soin.knowledge.urls.staff import national_patterns as national_exchange_patterns
from soin.reports.urls.staff import national_patterns
from soin.staff import login, views

app_name = "staff"

partnership_patterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("", include("soin.partners.urls.staff")),
    path("", include("soin.accounts.urls.staff")),
    path("", include("soin.ideas.urls.staff")),
    path("", include("soin.activities.urls.staff")),
    path("", include("soin.newsletter.urls.staff")),
    path("", include("soin.knowledge.urls.staff")),
    path("", include("soin.reports.urls.staff")),
    path("", include("soin.funding.urls.staff")),
    path("", include("soin.plans.urls.staff")),
    path("", include("soin.grants.urls.staff")),
    path("", include("soin.privacy.urls.staff")),
    path("", include("soin.retention.urls.staff")),
    path("", include("soin.impact.urls.staff")),
    path("audit/", audit_log, name="audit_log"),
    path("settings/", views.partnership_settings, name="partnership_settings"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", login.staff_login, name="login"),
    path("login/code/", login.login_code, name="login_code"),
    path("login/enrol/", login.login_enrol, name="login_enrol"),
    path("login/security/", login.login_security, name="login_security"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="staff/password_set.html",
            form_class=ChoosePasswordForm,
            success_url=reverse_lazy("staff:password_set_done"),
        ),
        name="password_set",
    ),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="staff/password_set_done.html"),
        name="password_set_done",
    ),
    path("calendar/<str:token>.ics", private_calendar, name="private_calendar"),
    *national_patterns,
    *national_exchange_patterns,
    path("<slug:partnership>/", include(partnership_patterns)),
]
