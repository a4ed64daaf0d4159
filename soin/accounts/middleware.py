"""What every back-office request checks about the login behind it: that the session has not
run out, and that the second factor was given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

# When the person logged in and when they were last seen, as POSIX timestamps in the session.
LOGIN_AT = "soin_login_at"
SEEN_AT = "soin_seen_at"
# Being seen is written to the session at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60

BACK_OFFICE = frozenset({"staff", "admin"})
# Back-office pages a person who has given only the password must reach: the way in and out,
# the password link, and the calendar feed whose address is its own key.
OPEN_PAGES = frozenset(
    {
        "staff:login",
        "staff:login_code",
        "staff:login_enrol",
        "staff:logout",
        "staff:password_set",
        "staff:password_set_done",
        "staff:private_calendar",
    }
)


def _namespace(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.namespaces[0] if match and match.namespaces else ""


def is_verified(user: Any) -> bool:
    """Return whether ``user``'s login was verified by a second factor (django-otp)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def second_step_url(user: Any, next_url: str) -> str:
    """Return the page that asks ``user`` for the code, or sets up their authenticator app
    when they have none yet, then continues to ``next_url``."""
    from soin.accounts.selectors import totp_device_for

    name = "staff:login_code" if totp_device_for(user=user) else "staff:login_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def mark_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Note in the session when the person logged in (connected to ``user_logged_in``)."""
    now = int(timezone.now().timestamp())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionExpiryMiddleware:
    """End a login that has been idle longer than SOIN_SESSION_IDLE_MINUTES, or that began more
    than SESSION_COOKIE_AGE ago, however busy it was. A back-office page then sends the person
    to the login page with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(timezone.now().timestamp())
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT, login_at)
        if login_at is None or seen_at is None:
            # A login from before these limits: they count from now.
            session[LOGIN_AT] = session[SEEN_AT] = now
            return None
        idle = settings.SOIN_SESSION_IDLE_MINUTES
        hours = settings.SESSION_COOKIE_AGE // 3600
        if now - login_at > settings.SESSION_COOKIE_AGE:
            message = ngettext(
                "You were logged out because %(hours)s hour has passed since you logged in. "
                "Log in again to go on.",
                "You were logged out because %(hours)s hours have passed since you logged in. "
                "Log in again to go on.",
                hours,
            ) % {"hours": hours}
        elif now - seen_at > idle * 60:
            message = ngettext(
                "You were logged out after %(minutes)s minute without activity. "
                "Log in again to go on.",
                "You were logged out after %(minutes)s minutes without activity. "
                "Log in again to go on.",
                idle,
            ) % {"minutes": idle}
        else:
            if now - seen_at >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
            return None
        logout(request)
        messages.info(request, message)
        if _namespace(request) in BACK_OFFICE:
            return redirect_to_login(request.get_full_path())
        return None


class SecondFactorMiddleware:
    """Let into the back office (and Django's admin) only a login verified by a second factor;
    send a person who has given only the password to the code step, or to set up an
    authenticator app if they have none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if _namespace(request) not in BACK_OFFICE or (match and match.view_name in OPEN_PAGES):
            return None
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        return redirect(second_step_url(user, request.get_full_path()))
