"""A published report's files (PDF, DOCX, HTML) are drawn once per version and language —
by the worker after publication, or by the first reader before it has run — stored, and sent as
files; the public report page and its charts are drawn once per version and language too."""

from __future__ import annotations

import io
import threading
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from soin.core.testing import COORDINATOR, build_world
from soin.reports import documents, services
from soin.reports.models import YearlyReport
from soin.reports.tests.documents import docx_text

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def count_drawings(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count every drawing of a report's PDF, DOCX, HTML and outline from here on."""
    drawn: Counter[str] = Counter()
    lock = threading.Lock()
    for name in ("report_pdf", "report_docx", "report_html", "outline"):
        real = getattr(documents, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            with lock:
                drawn[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(documents, name, counted)
    return drawn


def url(year: int, fmt: str, language: str = "sv") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(
            "public:report_download", kwargs={"partnership": "orebro", "year": year, "fmt": fmt}
        )


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_a_published_reports_files_are_drawn_once_across_many_requests(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    drawn = count_drawings(monkeypatch)
    client = Client()
    bodies: dict[tuple[str, str], set[bytes]] = {}
    for _round in range(4):
        for language in ("sv", "en"):
            for fmt in ("pdf", "docx"):
                response = client.get(url(2016, fmt, language))
                assert response.status_code == 200
                assert response["Content-Type"] == TYPES[fmt]
                assert response["Content-Disposition"] == (
                    f'attachment; filename="verksamhetsrapport-orebro-2016-{language}.{fmt}"'
                )
                assert response["ETag"] and response["Last-Modified"]
                assert "public" in response["Cache-Control"]
                bodies.setdefault((language, fmt), set()).add(b"".join(response.streaming_content))
    assert drawn["report_pdf"] == 2 and drawn["report_docx"] == 2, drawn
    assert all(len(kinds) == 1 for kinds in bodies.values())
    sv, en = bodies[("sv", "pdf")].pop(), bodies[("en", "pdf")].pop()
    assert "Verksamhetsrapport 2016" in pdf_text(sv) and "Activity report 2016" in pdf_text(en)
    assert "Activity report 2016" in docx_text(bodies[("en", "docx")].pop())
    # A reader who has the file already is told so, without the file.
    first = client.get(url(2016, "pdf"))
    again = client.get(url(2016, "pdf"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert drawn["report_pdf"] == 2
    # A draft has no public file; the old address of a format that does not exist neither.
    assert client.get(url(2017, "pdf")).status_code == 404
    assert client.get(url(2016, "exe")).status_code == 404
    # A file gone from the disk (a database restored without its files) is drawn again.
    from soin.reports.models import ReportFile

    stored = ReportFile.objects.get(report=world.published_report, language="sv", fmt="pdf")
    stored.file.storage.delete(stored.file.name)
    again = client.get(url(2016, "pdf"))
    assert again.status_code == 200 and drawn["report_pdf"] == 3
    assert "Verksamhetsrapport 2016" in pdf_text(b"".join(again.streaming_content))


@pytest.mark.django_db
def test_a_published_file_is_the_same_for_every_visitor_so_a_front_cache_shares_it(world) -> None:  # type: ignore[no-untyped-def]
    """A reader who has been on the site (a language or CSRF cookie) or is logged in gets the
    public file with nothing in its answer that varies by cookie: the front server
    (deploy/nginx.conf.example) keeps one copy for every visitor, not one per cookie. The
    staff's own copy stays private and varies by who asks."""
    from soin.core.testing import login

    visitors = [Client(), Client(), Client()]
    visitors[1].get(reverse("public:start"))  # cookies of the site
    login(visitors[2], world.users[COORDINATOR])
    for visitor in visitors:
        response = visitor.get(url(2016, "pdf"))
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=300"
        assert "cookie" not in response.get("Vary", "").lower(), response.get("Vary")
        assert not response.cookies
        b"".join(response.streaming_content)
    staff = visitors[2].get(
        reverse(
            "staff:report_download", kwargs={"partnership": "orebro", "year": 2016, "fmt": "pdf"}
        )
    )
    assert staff.status_code == 200 and "public" not in staff.get("Cache-Control", "")
    assert "cookie" in staff.get("Vary", "").lower()


@pytest.mark.django_db
def test_the_public_report_page_and_its_charts_are_drawn_once_per_language(
    world,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    drawn = count_drawings(monkeypatch)
    client = Client()
    for language in ("sv", "en", "sv", "en", "sv"):
        from django.utils import translation

        with translation.override(language):
            page = reverse("public:report", kwargs={"partnership": "orebro", "year": 2016})
            chart = reverse(
                "public:report_chart",
                kwargs={"partnership": "orebro", "year": 2016, "key": "challenges"},
            )
        response = client.get(page)
        assert response.status_code == 200
        assert ("Verksamhetsrapport 2016" if language == "sv" else "Activity report 2016") in (
            response.content.decode()
        )
        svg = client.get(chart)
        assert svg.status_code == 200 and svg.content.startswith(b"<svg")
    assert drawn["outline"] == 2, drawn


@pytest.mark.django_db(transaction=True)
def test_the_worker_draws_the_files_after_publication_and_a_new_version_replaces_them(
    reference_data,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    # The worker opens and closes its own connections: a transactional test, as in production.
    from django.core.files.storage import default_storage

    from soin.reports.models import ReportFile

    world = build_world()
    coordinator = world.users[COORDINATOR]
    services.report_update(
        report=world.report,
        actor=coordinator,
        narrative={"background": {"sv": "Första versionen.", "en": "The first version."}},
    )
    report = services.report_move(report=world.report, actor=coordinator, move="publish")
    work()
    stored = ReportFile.objects.filter(report=report)
    assert sorted((f.language, f.fmt, f.version) for f in stored) == [
        (language, fmt, 1) for language in ("en", "sv") for fmt in ("docx", "html", "pdf")
    ]
    names = [f.file.name for f in stored]
    assert all(default_storage.exists(name) for name in names)
    drawn = count_drawings(monkeypatch)
    client = Client()
    first = client.get(url(2017, "pdf"))
    assert first.status_code == 200
    assert "Första versionen." in pdf_text(b"".join(first.streaming_content))
    assert "The first version." in docx_text(
        b"".join(client.get(url(2017, "docx", "en")).streaming_content)
    )
    assert drawn["report_pdf"] == drawn["report_docx"] == 0  # the worker drew them

    # Reopened: the files go, the public addresses answer 404.
    services.report_move(report=report, actor=coordinator, move="reopen", note="Ett fel")
    assert not ReportFile.objects.filter(report=report).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert client.get(url(2017, "pdf")).status_code == 404
    services.report_update(
        report=report,
        actor=coordinator,
        narrative={"background": {"sv": "Andra versionen.", "en": "The second version."}},
    )
    # Published again, read before the worker has run: the new version, drawn once.
    services.report_move(report=report, actor=coordinator, move="publish")
    second = client.get(url(2017, "pdf"))
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    text = pdf_text(b"".join(second.streaming_content))
    assert "Andra versionen." in text and "Första versionen." not in text
    work()  # the worker finds that file drawn and draws the others
    assert drawn["report_pdf"] == 2 and drawn["report_docx"] == 2, drawn
    assert client.get(url(2017, "pdf"))["ETag"] == second["ETag"]
    assert {f.version for f in ReportFile.objects.filter(report=report)} == {2}


@pytest.mark.django_db(transaction=True)
def test_readers_at_once_before_the_worker_has_run_wait_for_one_drawing(
    reference_data,  # type: ignore[no-untyped-def]
    live_server,
    monkeypatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the live server shares SQLite's one in-memory connection between threads")
    build_world()
    assert YearlyReport.objects.filter(year=2016, state="published").exists()
    drawn = count_drawings(monkeypatch)
    readers = 8
    start = threading.Barrier(readers, timeout=30)
    answers: list[tuple[int, bytes]] = []

    def read(fmt: str) -> None:
        try:
            start.wait()
            with urllib.request.urlopen(live_server.url + url(2016, fmt), timeout=60) as answer:
                answers.append((answer.status, answer.read()))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.read()))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=read, args=("pdf" if n % 2 else "docx",)) for n in range(readers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [status for status, _body in answers] == [200] * readers
    assert drawn["report_pdf"] == 1 and drawn["report_docx"] == 1, drawn
    assert len({body for _status, body in answers}) == 2
