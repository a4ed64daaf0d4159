"""The API against its own OpenAPI document: schemathesis generates requests from the schema
(valid and hostile parameters) and checks every response — no server error, and status, content
type, headers and body as documented."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_world(world) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The world (a published entry with an image, public activities, partners), seen by
    requests made straight to the WSGI application. Like Django's test client, keep the
    database connection open between requests: it holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_documented_promises(case, api_world) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate()


def test_the_schema_states_the_licence_and_every_operation(client, db) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "CC0 1.0" in document["info"]["description"]
    paths = set(document["paths"])
    assert {
        "/api/v1/innovations",
        "/api/v1/innovations.csv",
        "/api/v1/innovations/{uid}",
        "/api/v1/activities",
        "/api/v1/activities.csv",
        "/api/v1/partners",
        "/api/v1/partners.csv",
        "/api/v1/statistics",
        "/api/v1/partnerships",
    } <= paths
    for path in paths:
        assert "CC0 1.0" in document["paths"][path]["get"]["description"], path
