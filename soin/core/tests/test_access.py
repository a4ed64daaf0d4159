"""Every address of the site, tried by every role: each gets exactly the access its rule says."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from soin.core.testing import ROLES, login
from soin.core.tests.access_rules import ADMIN, ALL_RULES, DENIED, LOGIN, OK, RULES, Rule


@pytest.fixture
def world(module_world, db):  # type: ignore[no-untyped-def]
    """The module's one world (see ``module_world``): what a test changes is rolled back."""
    return module_world


def url_names(patterns: list, namespace: str = "") -> set[str]:  # type: ignore[type-arg]
    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                # Django's admin is covered as a whole by the admin:index rule.
                names.add("admin:index")
                continue
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= url_names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_url_pattern_has_an_access_rule() -> None:
    covered = {r.name for r in RULES}
    missing = sorted(n for n in url_names(get_resolver().url_patterns) if n not in covered)
    assert not missing, f"URL patterns without an access rule in access_rules.py: {missing}"


def test_the_rules_name_only_existing_patterns() -> None:
    names = url_names(get_resolver().url_patterns)
    assert {r.name for r in RULES} <= names


def outcome(response, method: str) -> str:  # type: ignore[no-untyped-def]
    status = response.status_code
    location = response.get("Location", "")
    if status in (403, 404):
        return DENIED
    if status == 302 and location.startswith("/staff/login/"):
        return LOGIN
    if status == 302 and location.startswith("/admin/login/"):
        return ADMIN
    if status == 200 or status == 302:
        return OK
    return f"HTTP {status}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_access(rule: Rule, role: str, world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    user = world.users[role]
    if user is not None:
        login(client, user)
    url = reverse(rule.name, kwargs=rule.kwargs(world))
    if rule.method == "POST":
        response = client.post(url, rule.data(world) if callable(rule.data) else rule.data)
    else:
        response = client.get(url)
    got = outcome(response, rule.method)
    assert got == rule.expect[role], (
        f"{role} {rule.method} {url}: expected {rule.expect[role]}, got {got} "
        f"(HTTP {response.status_code} {response.get('Location', '')})"
    )
    if got == DENIED and "text/html" in response.get("Content-Type", ""):
        # With DEBUG off (as here) a refusal is the site's own page, never Django's bare one.
        assert b'class="error-page"' in response.content, f"{role} {url}: a bare error page"
