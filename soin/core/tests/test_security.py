"""What every response promises a browser, what the templates may not contain, CSRF on every
form, and a limit on every public form."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from soin.core.ratelimit import SCOPES
from soin.core.testing import ANON, COORDINATOR, login, post_form
from soin.core.tests.access_rules import ALL_RULES, OK, Rule

ROOT = Path(settings.BASE_DIR)


class Page(HTMLParser):
    """The parts of a rendered page that the checks below look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.styles = 0
        self.javascript_urls = 0
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name == "style":
                self.styles += 1
            if value and value.strip().lower().startswith("javascript:"):
                self.javascript_urls += 1
        # JSON-LD is data, never run.
        if (
            tag == "script"
            and not values.get("src")
            and values.get("type") != "application/ld+json"
        ):
            self.inline_scripts += 1
        if tag == "form":
            self.forms.append(
                {
                    "method": (values.get("method") or "get").lower(),
                    "action": values.get("action") or "",
                    "csrf": False,
                }
            )
        if tag == "input" and values.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["csrf"] = True


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def _client(role: str, world: Any) -> Client:
    client = Client()
    if world.users[role] is not None:
        login(client, world.users[role])
    return client


def _anonymous_pages() -> list[Rule]:
    return [r for r in ALL_RULES if r.method == "GET" and r.expect[ANON] == OK]


def _sweep() -> list[tuple[Rule, str]]:
    """The pages the axe sweep opens: public ones anonymously, staff ones as a coordinator."""
    return [
        (r, COORDINATOR if r.expect[ANON] != OK else ANON)
        for r in ALL_RULES
        if r.sweep and r.method == "GET"
    ]


def check_headers(response: Any) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_every_swept_page_sends_the_security_headers_and_no_inline_code(world) -> None:  # type: ignore[no-untyped-def]
    clients = {ANON: Client(), COORDINATOR: _client(COORDINATOR, world)}
    pages = 0
    for rule, role in _sweep():
        for language in ("sv", "en"):
            url = reverse(rule.name, kwargs=rule.kwargs(world))
            if url.startswith("/sv/"):
                url = f"/{language}/" + url[4:]
            elif language == "en":
                continue
            response = clients[role].get(url)
            assert response.status_code == 200, url
            try:
                check_headers(response)
            except AssertionError as error:
                raise AssertionError(f"{url}: {error}") from error
            page = parse(response.content.decode())
            assert page.inline_scripts == 0, url
            assert page.handlers == [], url
            assert page.styles == 0, url
            assert page.javascript_urls == 0, url
            pages += 1
    assert pages > 60


@pytest.mark.django_db
def test_errors_and_files_send_the_headers_too(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for url in ("/sv/no-such-partnership/", "/staff/", "/api/v1/innovations"):
        check_headers(client.get(url))


def _production(code: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SOIN_ENV": "production",
        "SOIN_SECRET_KEY": secrets.token_urlsafe(50),
        "SOIN_ALLOWED_HOSTS": "soin.example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("SOIN_DEBUG", None)
    # The browser tests allow sync ORM calls under their event loop; production never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_production_settings_pass_the_deploy_check() -> None:
    done = _production(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_sends_hsts_and_secure_cookies_only() -> None:
    done = _production(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SECURE)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"] + ["True"] * 7


# ---------------------------------------------------------------------------------------
# Templates

TEMPLATE_PROBLEMS = {
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I
    ),
    "event attribute": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_handlers_styles_or_javascript_urls() -> None:
    templates = sorted((ROOT / "soin").rglob("templates/**/*.html"))
    assert len(templates) > 100
    found = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in templates
        for problem, pattern in TEMPLATE_PROBLEMS.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


def test_the_template_scan_finds_what_it_looks_for() -> None:
    bad = (
        "<script>alert(1)</script>",
        '<a href="#" onclick="x()">',
        '<p style="color:red">',
        '<a href="javascript:x()">',
    )
    for text in bad:
        assert any(p.search(text) for p in TEMPLATE_PROBLEMS.values()), text
    page = parse("".join(bad))
    assert (page.inline_scripts, len(page.handlers), page.styles, page.javascript_urls) == (
        1,
        1,
        1,
        1,
    )
    fine = '<script src="/static/x.js"></script><script type="application/ld+json">{}</script>'
    assert not any(p.search(fine) for p in TEMPLATE_PROBLEMS.values())


# ---------------------------------------------------------------------------------------
# CSRF

CSRF_EXEMPT = {
    # RFC 8058: a mail program's one-click unsubscribe is a POST without cookies, so without
    # a CSRF token. The link itself is the secret, and all it can do is unsubscribe.
    "newsletter_unsubscribe": "RFC 8058 one-click unsubscribe",
}


def _patterns(patterns: list, namespace: str = "") -> list[tuple[str, Any]]:  # type: ignore[type-arg]
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = entry.namespace or ""
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += _patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found.append((name, entry.callback))
    return found


def test_no_view_skips_the_csrf_check_but_the_one_click_unsubscribe() -> None:
    exempt = {}
    for name, view in _patterns(get_resolver().url_patterns):
        if getattr(view, "csrf_exempt", False):
            exempt[name] = view
    # The open data API answers GET only (Django Ninja exempts its views and checks CSRF
    # itself for cookie-based authentication, which the API does not use).
    api = {n for n in exempt if n.startswith("api:")}
    if api:
        from soin.api.api import api as ninja

        methods = {m for ops in ninja.get_openapi_schema()["paths"].values() for m in ops}
        assert methods == {"get"}, methods
    assert set(exempt) - api == set(CSRF_EXEMPT)


@pytest.mark.django_db
def test_every_post_form_on_the_pages_carries_a_csrf_token(world) -> None:  # type: ignore[no-untyped-def]
    forms = 0
    for rule in ALL_RULES:
        if rule.method != "GET":
            continue
        role = ANON if rule.expect[ANON] == OK else COORDINATOR
        if rule.expect[role] != OK:
            continue
        response = _client(role, world).get(reverse(rule.name, kwargs=rule.kwargs(world)))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if rule.name in CSRF_EXEMPT:
            continue
        for form in parse(response.content.decode()).forms:
            if form["method"] == "post":
                forms += 1
                assert form["csrf"], f"{rule.id}: a POST form without csrfmiddlewaretoken"
    assert forms > 50


CSRF_FORMS = [
    ("public:idea_submit", ANON, {"title": "x"}),
    ("public:newsletter_subscribe", ANON, {"email": "a@example.org"}),
    ("public:newsletter_friend", ANON, {"email": "a@example.org"}),
    ("public:grant_apply", ANON, {"title": "x"}),
    ("staff:idea_register", COORDINATOR, {"title": "x"}),
    ("staff:partnership_settings", COORDINATOR, {"name_sv": "x"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "data"), CSRF_FORMS, ids=[n for n, _r, _d in CSRF_FORMS])
def test_a_post_without_the_csrf_token_is_refused(
    name: str, role: str, data: dict[str, str], world
) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        login(client, world.users[role])
    kwargs = {"partnership": world.partnership.slug}
    url = reverse(name, kwargs=kwargs)
    assert client.post(url, data).status_code == 403
    # With the token from the page, the same request gets through the check.
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert client.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}).status_code != 403


# ---------------------------------------------------------------------------------------
# Rate limits

NOT_LIMITED = {
    # The language switch writes nothing but a cookie in the visitor's own browser.
    "set_language": "writes only a cookie",
    # The way into the back office has its own lockout (django-axes, per user and address).
    "staff:login": "the login's lockout",
    "staff:login_code": "the login's lockout",
    "staff:login_enrol": "the login's lockout",
    "staff:login_security": "the login's lockout",
    "staff:password_set": "the login's lockout and Django's one-time token",
    # Logging out without a session does nothing.
    "staff:logout": "no session, nothing to do",
}


def _view_name(path: str) -> tuple[str, Any]:
    match = resolve(path)
    return match.view_name, match.func


@pytest.mark.django_db
def test_every_public_form_is_rate_limited(world) -> None:  # type: ignore[no-untyped-def]
    """Every address that takes a POST without a login: the rules that let an anonymous
    visitor POST, and every page whose form an anonymous visitor can send."""
    from soin.grants.services import grant_token

    targets: dict[str, Any] = {}
    # Pages whose form shows only for some records: the follow-up report of a granted
    # application.
    more = [
        reverse(
            "public:grant_status",
            kwargs={"partnership": "orebro", "token": grant_token(world.grant_approved)},
        )
    ]
    for rule, url in [
        *((r, "") for r in ALL_RULES if r.expect[ANON] == OK),
        *((Rule("extra", {}), u) for u in more),
    ]:
        url = url or reverse(rule.name, kwargs=rule.kwargs(world))
        if rule.method == "POST":
            targets[rule.name] = resolve(url).func
            continue
        response = Client().get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in parse(response.content.decode()).forms:
            if form["method"] == "post":
                action = form["action"] or url
                name, view = _view_name(action.split("?")[0])
                targets[name] = view
    assert len(targets) >= 10
    missing = sorted(
        n
        for n, view in targets.items()
        if n not in NOT_LIMITED and not hasattr(view, "rate_limit_scope")
    )
    assert not missing, f"Public forms without @rate_limited: {missing}"
    scopes = {
        view.rate_limit_scope for view in targets.values() if hasattr(view, "rate_limit_scope")
    }
    assert scopes <= set(SCOPES)
    for expected in (
        "idea",
        "registration",
        "registration-change",
        "newsletter",
        "newsletter-confirm",
        "newsletter-subscription",
        "newsletter-unsubscribe",
        "friend",
        "grant",
        "grant-followup",
    ):
        assert expected in scopes, expected


@pytest.mark.django_db
def test_a_limited_button_gets_a_page_that_says_so_and_nothing_changes(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_RATE_LIMITS = {"registration-change": 2}
    url = reverse(
        "public:registration",
        kwargs={"partnership": world.partnership.slug, "token": world.registration_token},
    ).replace("/sv/", "/en/", 1)
    client = Client()
    for _i in range(2):
        assert client.post(url, {"action": "nothing"}).status_code == 200
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert 'lang="en"' in page[:200] and "Too many requests" in page
    world.registration.refresh_from_db()
    assert world.registration.is_active
    # Another address is not held back.
    assert client.post(url, {"action": "nothing"}, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.django_db
def test_one_click_unsubscribe_is_limited_per_link_not_per_address(world, settings) -> None:  # type: ignore[no-untyped-def]
    """Mail providers send RFC 8058's one-click POSTs for many people from a few addresses:
    they must never be held back; only one link used over and over is."""
    import datetime

    from soin.core.tokens import object_token, today

    settings.SOIN_RATE_LIMITS = {"newsletter-unsubscribe": 2}
    delivery = world.delivery
    first = object_token("newsletter-unsubscribe", delivery.pk, delivery.email)
    second = object_token(
        "newsletter-unsubscribe",
        delivery.pk,
        delivery.email,
        issued=today() - datetime.timedelta(days=1),
    )
    client = Client()
    for _i in range(2):
        assert (
            client.post(reverse("newsletter_unsubscribe", kwargs={"token": first})).status_code
            == 200
        )
    assert (
        client.post(reverse("newsletter_unsubscribe", kwargs={"token": first})).status_code == 429
    )
    assert (
        client.post(reverse("newsletter_unsubscribe", kwargs={"token": second})).status_code == 200
    )
    world.subscriber.refresh_from_db()
    assert world.subscriber.state == world.subscriber.State.UNSUBSCRIBED


@pytest.mark.django_db
def test_a_limited_form_comes_back_with_what_was_typed(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_RATE_LIMITS = {"friend": 1}
    url = reverse("public:newsletter_friend", kwargs={"partnership": world.partnership.slug})
    client = Client()
    assert (
        post_form(client, url, {"email": "van@example.org", "sender_name": "Kim"}).status_code
        == 200
    )
    response = post_form(client, url, {"email": "annan@example.org", "sender_name": "Kim Svensson"})
    assert response.status_code == 429
    page = response.content.decode()
    assert 'value="annan@example.org"' in page and 'value="Kim Svensson"' in page


@pytest.mark.django_db
def test_a_limited_follow_up_report_keeps_the_text(world, settings) -> None:  # type: ignore[no-untyped-def]
    from soin.grants.models import Grant
    from soin.grants.services import grant_token

    grant = world.grant_approved
    settings.SOIN_RATE_LIMITS = {"grant-followup": 0}
    url = reverse(
        "public:grant_status",
        kwargs={"partnership": world.partnership.slug, "token": grant_token(grant)},
    )
    report = {"done": "Vi höll tolv träffar", "outcome": "Fyrtio deltagare", "costs": "1000"}
    response = Client().post(url, report)
    assert response.status_code == 429
    assert "Vi höll tolv träffar" in response.content.decode()
    assert not Grant.objects.get(pk=grant.pk).has_followup
