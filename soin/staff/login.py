"""The way into the back office: the password, then a code from the authenticator app (or,
the first time, setting one up), the recovery codes, and the page about one's own login."""

from __future__ import annotations

import math
from typing import Any

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from soin.accounts.forms import CodeForm, EmailAuthenticationForm, FirstCodeForm
from soin.accounts.lockout import client_ip, lockout_response
from soin.accounts.middleware import is_verified, second_step_url
from soin.accounts.selectors import recovery_codes_left, totp_device_for
from soin.accounts.services import (
    CodeCheck,
    recovery_codes_renew,
    second_factor_begin,
    second_factor_confirm,
    second_factor_verify,
)
from soin.core.ratelimit import limited, rate_limited


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class StaffLoginView(auth_views.LoginView):
    """The password step. One network address may send it only so often; an e-mail address
    that failed too often from one address is locked out there (django-axes)."""

    template_name = "staff/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Every sending counts, before the password is looked at: many e-mail addresses tried
        # from one network address are slowed down as well.
        if limited(request):
            refused = _(
                "Too many logins have been tried from your network address within the hour. "
                "Wait a while and try again."
            )
            context = self.get_context_data(form=self.get_form_class()(request), refused=refused)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(60 * 60)
            return response
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        next_url = self.get_redirect_url() or resolve_url(settings.LOGIN_REDIRECT_URL)
        user = self.request.user
        if user.is_authenticated and not is_verified(user):
            return second_step_url(user, next_url)
        return next_url


# The login form's limit per network address (soin.core.ratelimit), counted by the view.
staff_login = rate_limited("login", per_hour="SOIN_LOGIN_PER_HOUR", counted_by_view=True)(
    StaffLoginView.as_view()  # type: ignore[arg-type]
)


def _wrong_code(form: CodeForm | FirstCodeForm, check: CodeCheck) -> None:
    if check.wait_until is not None:
        seconds = max(1, math.ceil((check.wait_until - timezone.now()).total_seconds()))
        form.add_error(
            "code",
            ngettext(
                "Too many wrong codes in a row. Wait %(seconds)s second and try again.",
                "Too many wrong codes in a row. Wait %(seconds)s seconds and try again.",
                seconds,
            )
            % {"seconds": seconds},
        )
    else:
        form.add_error(
            "code",
            _("The code is wrong. Enter the code your app shows now, or an unused recovery code."),
        )


def _verified(request: HttpRequest, device: Device, next_url: str) -> HttpResponse:
    django_otp.login(request, device)
    # A new session key once both factors are given, so that one seen before is worth nothing.
    request.session.cycle_key()
    address = client_ip(request)
    if address is not None:
        email = request.user.get_username()
        AxesProxyHandler.reset_attempts(username=email, ip_address=address)
    if isinstance(device, StaticDevice):
        left = recovery_codes_left(user=request.user)
        messages.warning(
            request,
            ngettext(
                "You logged in with a recovery code. You have %(count)s code left: make new "
                "ones under Login security.",
                "You logged in with a recovery code. You have %(count)s codes left: make new "
                "ones under Login security if you are running out.",
                left,
            )
            % {"count": left},
        )
    return redirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the authenticator app, or a recovery code. Each wrong
    code is throttled and counts as a failed login towards the lockout."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if is_verified(user):
        return redirect(next_url)
    if totp_device_for(user=user) is None:
        return redirect(second_step_url(user, next_url))
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        check = second_factor_verify(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if check.device is not None:
            return _verified(request, check.device, next_url)
        _wrong_code(form, check)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, credentials)
    return render(request, "staff/login_code.html", {"form": form, "next": next_url})


def _qr(device: TOTPDevice) -> SafeString:
    """The key as a QR code, drawn as SVG markup (segno writes no script and no style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=4)
    label = escape(_("QR code to scan with your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def _key_groups(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponseBase:
    """Setting up the authenticator app the first time (or after a reset): a QR code and the
    key written out, confirmed with a first code; then the recovery codes, shown once."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if totp_device_for(user=user) is not None:
        return redirect(next_url if is_verified(user) else second_step_url(user, next_url))
    device = second_factor_begin(user=user)  # type: ignore[arg-type]
    form = FirstCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        check = second_factor_confirm(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if check.device is not None:
            django_otp.login(request, check.device)
            request.session.cycle_key()
            return render(
                request,
                "staff/recovery_codes.html",
                {"codes": check.recovery_codes, "next": next_url, "first": True},
            )
        _wrong_code(form, check)
    return render(
        request,
        "staff/login_enrol.html",
        {"form": form, "next": next_url, "qr": _qr(device), "key": _key_groups(device)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def login_security(request: HttpRequest) -> HttpResponse:
    """One's own login: when the app was set up, how many recovery codes are left, and new
    ones (shown once)."""
    user = request.user
    if request.method == "POST":
        codes = recovery_codes_renew(user=user)  # type: ignore[arg-type]
        return render(
            request,
            "staff/recovery_codes.html",
            {"codes": codes, "next": resolve_url("staff:login_security")},
        )
    return render(
        request,
        "staff/login_security.html",
        {"device": totp_device_for(user=user), "codes_left": recovery_codes_left(user=user)},
    )
