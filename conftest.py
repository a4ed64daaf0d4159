"""Fixtures every test can use."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from hypothesis import settings as hypothesis_settings

CHROMIUM = os.environ.get("SOIN_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Every test that drives the browser is marked ``browser``. With SOIN_BROWSER_TESTS=0 they
    are skipped: CI draws the pages in the browser once, on SQLite, as they are the same pages
    on PostgreSQL (.ci/run)."""
    skip = os.environ.get("SOIN_BROWSER_TESTS", "1") == "0"
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if skip and item.get_closest_marker("browser"):
            item.add_marker(
                pytest.mark.skip(reason="SOIN_BROWSER_TESTS=0: the browser tests ran on SQLite")
            )


# Speed is measured by the benchmarks, never by a test: no example has a deadline.
hypothesis_settings.register_profile("soin", deadline=None)
hypothesis_settings.load_profile("soin")


def media_in(folder: object) -> dict[str, object]:
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(request, settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    if "module_world" in request.fixturenames:
        return  # the module's world keeps its files in a folder of its own
    settings.STORAGES = media_in(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _erasure_journal_in_a_temporary_folder(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    settings.SOIN_ERASURE_JOURNAL = tmp_path_factory.mktemp("journal") / "erasures.jsonl"


@pytest.fixture(autouse=True)
def _reference_data_present(request):  # type: ignore[no-untyped-def]
    """Every test that uses the database finds Sweden's regions, municipalities and shared
    challenges, which the migrations load (a transactional test before it, in any order,
    may have emptied the tables), and an empty cache (a table the flush leaves alone)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from django.core.cache import cache

    from soin.core.testing import ensure_reference_data

    ensure_reference_data()
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's default language: a request in English leaves the
    thread's language behind it, as Django's locale middleware does."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Hashing strength is not under test; the suite logs people in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_embeddings(settings: pytest.FixtureRequest) -> None:
    # Similarity by meaning costs a model load and a third of a second per text in the worker;
    # the tests of soin.meaning turn it on, the rest of the suite finds similar ideas by words.
    settings.SOIN_EMBEDDINGS = False  # type: ignore[attr-defined]


@pytest.fixture
def meaning(settings):  # type: ignore[no-untyped-def]
    """Similarity by meaning turned on, with the packaged model, and nothing remembered from
    another test (the loaded model, the answers about files, the vectors read)."""
    from soin.meaning import engine
    from soin.meaning import selectors as meaning_selectors

    settings.SOIN_EMBEDDINGS = True
    settings.SOIN_EMBEDDING_MODEL = ""
    engine.forget()
    meaning_selectors.forget()
    yield settings
    engine.forget()
    meaning_selectors.forget()


@pytest.fixture
def reference_data(db: None) -> None:
    """Sweden's regions and municipalities and the shared challenges, for a test that says it
    reads them: ``_reference_data_present`` has made sure of them for every database test."""


@pytest.fixture
def world(reference_data: None):  # type: ignore[no-untyped-def]
    from soin.core.testing import build_world

    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One world for a whole module of read-mostly tests (the access harnesses ask hundreds of
    addresses of the same records). It is built inside a transaction that is rolled back when
    the module ends; each test runs in a savepoint of it, so what one test writes is gone
    before the next. Everything built on demand (the other partnership's records, the
    authenticator apps) is built here first: built inside a test, it would be rolled back
    while the world still pointed at it."""
    from django.db import transaction
    from django.test import override_settings

    from soin.core.testing import abroad, authenticator_app, build_world, ensure_reference_data

    media = override_settings(STORAGES=media_in(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        w = build_world()
        abroad(w)
        for user in w.users.values():
            if user is not None:
                authenticator_app(user)
        yield w
        transaction.set_rollback(True)


@pytest.fixture
def smtp_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    from soin.core.smtp import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's chromium "
            "(scripts/system-deps.sh --browser) to run the browser tests."
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page loads are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
