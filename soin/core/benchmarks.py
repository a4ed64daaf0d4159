"""The benchmarks of ``make bench``: the application under gunicorn on PostgreSQL, its pages
timed over HTTP, each figure against a baseline measured in the same run.

``manage.py bench`` builds (or reuses) two generated data sets on the PostgreSQL server of
DATABASE_URL — a partnership of 500 rows per list, and the national network — and runs
``manage.py bench_pages`` on each: a gunicorn server against that database, the minimal page
H, every list and search page, the dashboards, the yearly report's PDF against WeasyPrint
alone, the search pages against the bare SQL they run, the public idea form under load, and
the published report's PDF under eight clients against a static file of its size (with the home
page timed during that load against it alone).
Then the newsletter sender against a bare smtplib loop (``bench_newsletter``). The figures go
to ``var/bench/*.json``, the goals met or not to ``var/bench/summary.md``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from soin.core.smtp import free_port

# Every list and search page, by address name, read by whom; the query-count tests at two
# sizes measure the same pages (a test checks the two lists agree).
ANON, COORDINATOR, NATIONAL = "anonymous", "coordinator", "national_coordinator"
LIST_PAGES: dict[str, str] = {
    **dict.fromkeys(
        [
            "public:partnership",
            "public:partners",
            "public:calendar",
            "public:bank",
            "public:news",
            "public:newsletter_archive",
            "public:reports",
            "public:economy",
        ],
        ANON,
    ),
    **dict.fromkeys(
        [
            "staff:dashboard",
            "staff:partner_list",
            "staff:agreement_list",
            "staff:people",
            "staff:audit_log",
            "staff:idea_list",
            "staff:idea_inbox",
            "staff:activity_list",
            "staff:action_list",
            "staff:bank_entries",
            "staff:news_list",
            "staff:newsletter_issues",
            "staff:newsletter_subscribers",
            "staff:statistics",
            "staff:report_list",
            "staff:funding",
            "staff:funding_call_list",
            "staff:funding_application_list",
            "staff:funding_project_list",
            "staff:plan",
            "staff:grant_list",
            "staff:grant_totals",
            "staff:impact",
            "staff:impact_proxies",
        ],
        COORDINATOR,
    ),
}
# Pages across the nation (no partnership in their address).
NATIONAL_PAGES: dict[str, str] = {
    "public:national_bank": ANON,
    "staff:national_statistics": NATIONAL,
    "staff:national_exchange": NATIONAL,
}
# Pages across the nation that show one record: who reads them, and the model whose first
# record (by its key) they are timed with.
NATIONAL_RECORD_PAGES: dict[str, tuple[str, str]] = {
    "staff:national_exchange_source": (NATIONAL, "knowledge.ExchangeSource"),
}


# Pages of one record of the partnership: who reads them, and the model whose first record of
# the partnership (by its key) they are timed with.
RECORD_PAGES: dict[str, tuple[str, str]] = {
    "staff:idea_detail": (COORDINATOR, "ideas.Idea"),
}


def partnership_record_address(name: str, label: str, partnership: Any) -> str:
    """The address of the page ``name`` for the first record of the model ``label`` in
    ``partnership``, or "" when it has none."""
    from django.apps import apps
    from django.urls import reverse

    model = apps.get_model(label)
    record = model._default_manager.filter(partnership=partnership).order_by("pk").first()
    if record is None:
        return ""
    return reverse(name, kwargs={"partnership": partnership.slug, "pk": record.pk})


def record_address(name: str, label: str) -> str:
    """The address of the page ``name`` for the first record of the model ``label``, or ""
    when there is none."""
    from django.apps import apps
    from django.urls import reverse

    record = apps.get_model(label)._default_manager.order_by("pk").first()
    return reverse(name, kwargs={"pk": record.pk}) if record is not None else ""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
    }


def database_url(base: str, name: str) -> str:
    """``base`` (a PostgreSQL URL) with its database replaced by ``name``."""
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


# --- The server -----------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def server_environment(var_dir: Path, database_url: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.bench_settings",
        "DATABASE_URL": database_url or os.environ.get("DATABASE_URL", ""),
        "SOIN_SECRET_KEY": settings.SECRET_KEY,
        "SOIN_DEBUG": "false",
        "SOIN_VAR_DIR": str(var_dir),
        "SOIN_DB_CONN_MAX_AGE": "600",
        "SOIN_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The form under load comes from many addresses through one proxy, without the
        # wait a person needs to write an idea; the limits per address stay.
        "SOIN_TRUSTED_PROXIES": "1",
        "SOIN_IDEA_FORM_MIN_SECONDS": "0",
    }


@contextmanager
def gunicorn(var_dir: Path, workers: int, database_url: str = "") -> Iterator[Server]:
    """gunicorn with ``workers`` processes on a free loopback port, for the block; on the
    database of ``database_url`` (by default this process's)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = var_dir / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
            ],
            cwd=settings.BASE_DIR,
            env=server_environment(var_dir, database_url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, process, log)
    with _serving(server) as up:
        yield up


@contextmanager
def _serving(server: Server) -> Iterator[Server]:
    """``server`` once it answers, for the block; stopped after it."""
    try:
        _wait_until_up(server)
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()


def _wait_until_up(server: Server) -> None:
    for _ in range(600):
        if server.process.poll() is not None:
            raise RuntimeError(f"The server ended: {server.log.read_text()[-3000:]}")
        try:
            status, _body, _h = request(server, "GET", "/_bench/hello/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The server did not answer: {server.log.read_text()[-3000:]}")


_local = threading.local()


def request(
    server: Server,
    method: str,
    path: str,
    *,
    cookie: str = "",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """One request on this thread's kept-alive connection to ``server``; the status, body
    and headers."""
    connections: dict[int, http.client.HTTPConnection] = _local.__dict__.setdefault(
        "connections", {}
    )
    connection = connections.get(server.port)
    if connection is None:
        connection = connections[server.port] = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=120
        )
    sent = {"Host": "127.0.0.1", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    try:
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException):
        del connections[server.port]
        connection.close()
        raise
    got: dict[str, str] = {}
    for key, value in response.getheaders():
        key = key.lower()
        got[key] = f"{got[key]}\n{value}" if key in got else value
    return response.status, data, got


def timed(
    server: Server,
    path: str,
    *,
    cookie: str = "",
    count: int = 50,
    warm_up: int = 12,
    before_each: Callable[[], object] | None = None,
) -> dict[str, Any]:
    """``count`` requests of ``path`` after ``warm_up`` (enough for every worker process to
    have filled its caches: each request may go to any of them); their p50 and p95. With
    ``before_each``, that is called before every request, outside the time measured."""
    for _ in range(warm_up):
        status, _body, _h = request(server, "GET", path, cookie=cookie)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
    samples = []
    for _ in range(count):
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        status, _body, _h = request(server, "GET", path, cookie=cookie)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
    return {"path": path, **percentiles(samples)}


@dataclass
class Target:
    server: Server
    path: str
    cookie: str = ""


def timed_in_turns(
    targets: list[Target], *, count: int = 50, warm_up: int = 12
) -> list[dict[str, Any]]:
    """``count`` requests of each target in turns (one of each, the order changed every
    round), after ``warm_up`` of each: what slows the machine for a moment slows them alike.
    The p50 and p95 of each, in the order given."""
    for target in targets:
        for _ in range(warm_up):
            status, _body, _h = request(target.server, "GET", target.path, cookie=target.cookie)
            if status != 200:
                raise RuntimeError(f"GET {target.path}: HTTP {status}")
    samples: list[list[float]] = [[] for _ in targets]
    for round_ in range(count):
        order = list(enumerate(targets))
        if round_ % 2:
            order.reverse()
        for index, target in order:
            started = time.perf_counter()
            status, _body, _h = request(target.server, "GET", target.path, cookie=target.cookie)
            samples[index].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"GET {target.path}: HTTP {status}")
    return [{"path": t.path, **percentiles(s)} for t, s in zip(targets, samples, strict=True)]


# --- In-process measures (the same database as the server) --------------------------------


def staff_cookie(user: Any) -> str:
    """A session of ``user`` as the back office requires (password and second factor)."""
    from django.test import Client

    from soin.core.testing import login

    client = Client()
    login(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_queries(path: str, user: Any | None) -> list[str]:
    """The SQL a page runs for ``user`` (None: an anonymous visitor), in the order run."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from soin.core.testing import login

    client = Client()
    if user is not None:
        login(client, user)
    client.get(path, HTTP_HOST="127.0.0.1")  # caches a visitor shares are filled first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} in process: HTTP {response.status_code}")
    return [q["sql"] for q in captured.captured_queries]


def bare_sql(queries: list[str], count: int = 50) -> dict[str, Any]:
    """The queries run back to back on one connection, ``count`` times: p50 and p95."""
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for round_ in range(count + 3):
            started = time.perf_counter()
            for sql in queries:
                cursor.execute(sql)
                cursor.fetchall()
            if round_ >= 3:
                samples.append((time.perf_counter() - started) * 1000)
    return {"queries": len(queries), **percentiles(samples)}


def report_pdf_figures(report: Any, language: str = "sv", runs: int = 3) -> dict[str, Any]:
    """The yearly report's PDF as the application makes it, against WeasyPrint alone on the
    report's final HTML."""
    from weasyprint import HTML

    from soin.reports import documents

    app, alone = [], []
    for _ in range(runs):
        started = time.perf_counter()
        documents.report_pdf(report, language)
        app.append(time.perf_counter() - started)
    html = documents.report_html(report, language)
    for _ in range(runs):
        started = time.perf_counter()
        HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
        alone.append(time.perf_counter() - started)
    application, weasyprint = statistics.median(app), statistics.median(alone)
    return {
        "report": f"{report.partnership.slug} {report.year}",
        "application_s": round(application, 3),
        "weasyprint_alone_s": round(weasyprint, 3),
        "ratio": round(application / weasyprint, 2),
    }


# --- The public report's files under load ------------------------------------------------

# The static file beside the report's PDF: the same size, sent by the same server
# (soin.core.bench_urls.same_size_file) from its var/bench-files/.
SAME_SIZE = "same-size"


def _load_client(
    port: int,
    path: str,
    count: int,
    seconds: float,
    nice: int,
    out: Any,
) -> None:
    """One client of ``under_load``, in a process of its own: ready, told when to start,
    then ``count`` requests of ``path`` back to back (and more until ``seconds`` after the
    start), its figures sent back through ``out``."""
    # The parent's kept-alive connections came with the fork: never share them.
    _local.__dict__.pop("connections", None)
    if nice:
        os.nice(nice)
    server = Server(port, None, Path())  # type: ignore[arg-type]
    samples: list[float] = []
    errors: list[str] = []
    sizes: set[int] = set()
    out.send("ready")
    start_at = out.recv()
    while time.monotonic() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    while len(samples) + len(errors) < count or time.monotonic() < end:
        started = time.perf_counter()
        try:
            status, body, _h = request(server, "GET", path)
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"GET {path}: {error}")
            continue
        samples.append((time.perf_counter() - started) * 1000)
        sizes.add(len(body))
        if status != 200:
            errors.append(f"GET {path}: HTTP {status}")
    out.send((samples, errors, sorted(sizes)))
    out.close()


def under_load(
    server: Server,
    path: str,
    *,
    clients: int = 8,
    count: int = 25,
    seconds: float = 0.0,
    probe: str = "",
    probe_pause: float = 0.02,
    nice: int = 19,
) -> dict[str, Any]:
    """``clients`` processes, started together, each ask for ``path`` ``count`` times back
    to back on a connection of its own (and go on until ``seconds`` have passed): the p50
    and p95 of all their requests. With ``probe``, this process asks for that address while
    they run (a pause between its requests): its p50 and p95 under the load.

    The clients stand for visitors on other machines. Here they share the server's cores,
    so they run at the lowest priority (``nice``): what is timed is the server's work under
    their requests, not the clients' own reading of the answers."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(clients):
        mine, theirs = context.Pipe()
        process = context.Process(
            target=_load_client,
            args=(server.port, path, count, seconds, nice, theirs),
            daemon=True,
        )
        process.start()
        theirs.close()
        pipes.append(mine)
        processes.append(process)
    # Every client started (however slowly the machine forks), then all at once.
    for mine in pipes:
        mine.recv()
    start_at = time.monotonic() + 0.05
    for mine in pipes:
        mine.send(start_at)
    running = threading.Event()
    running.set()
    probed: list[float] = []
    probe_errors: list[str] = []

    def prober() -> None:
        while time.monotonic() < start_at:
            time.sleep(0.001)
        while running.is_set():
            started = time.perf_counter()
            try:
                status, _body, _h = request(server, "GET", probe)
            except (OSError, http.client.HTTPException) as error:
                probe_errors.append(f"GET {probe}: {error}")
            else:
                if status != 200:
                    probe_errors.append(f"GET {probe}: HTTP {status}")
                probed.append((time.perf_counter() - started) * 1000)
            time.sleep(probe_pause)

    watcher = threading.Thread(target=prober) if probe else None
    if watcher:
        watcher.start()
    samples: list[float] = []
    errors: list[str] = []
    sizes: set[int] = set()
    try:
        for receiving in pipes:
            try:
                got, failed, sized = receiving.recv()
            except EOFError:
                failed, got, sized = ["a client ended without its figures"], [], []
            samples += got
            errors += failed
            sizes.update(sized)
    finally:
        # The probe's last request may have begun while the load ended: it is kept, as is
        # any that began while the clients ran.
        running.clear()
        if watcher:
            watcher.join()
        for process in processes:
            process.join(timeout=30)
    figures: dict[str, Any] = {
        "path": path,
        "clients": clients,
        **percentiles(samples or [0.0]),
        "seconds": round(time.monotonic() - start_at, 1),
        "bytes": max(sizes, default=0),
        "errors": len(errors) + len(probe_errors),
        "first_errors": (errors + probe_errors)[:5],
    }
    if probe:
        figures["probe"] = {"path": probe, **percentiles(probed or [0.0])}
    return figures


def probe_alone(
    server: Server, path: str, *, seconds: float, pause: float = 0.02
) -> dict[str, Any]:
    """``path`` asked for again and again for ``seconds``, with ``pause`` between requests,
    as ``under_load``'s probe asks for it: its p50 and p95 without a load."""
    request(server, "GET", path)  # a kept-alive connection, as the probe has
    samples: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        status, _body, _h = request(server, "GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        samples.append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    return {"path": path, **percentiles(samples)}


def report_load_figures(
    server: Server,
    report_path: str,
    home: str,
    *,
    clients: int = 8,
    count: int = 25,
    seconds: float = 6.0,
) -> dict[str, Any]:
    """The published report's PDF asked for by ``clients`` at once against a static file of
    the same size from the same server under the same load, and the home page alone against
    the home page during the PDF's load. ``server`` is the front server as deployed
    (``front_server``): the static file is sent by it from its folder, the report's PDF as
    the site answers it, kept by the front server for as long as the answer allows."""
    started = time.perf_counter()
    status, body, _h = request(server, "GET", report_path)  # drawn here if not yet
    first_ms = (time.perf_counter() - started) * 1000
    if status != 200 or not body.startswith(b"%PDF-"):
        raise RuntimeError(f"GET {report_path}: HTTP {status}")
    _status, _body, again = request(server, "GET", report_path)
    files = server.log.parent / "bench-files"
    files.mkdir(parents=True, exist_ok=True)
    (files / f"{SAME_SIZE}.bin").write_bytes(os.urandom(len(body)))
    same_size = f"/_bench/file/{SAME_SIZE}/"
    alone = probe_alone(server, home, seconds=seconds)
    static = under_load(
        server, same_size, clients=clients, count=count, seconds=seconds, probe=home
    )
    pdf = under_load(server, report_path, clients=clients, count=count, seconds=seconds, probe=home)
    during = pdf.pop("probe")
    # The home page under the file's load too: what any eight busy clients cost it.
    during_static = static.pop("probe")
    return {
        "clients": clients,
        "requests_per_client": count,
        "seconds": seconds,
        "bytes": len(body),
        "first_request_ms": round(first_ms, 1),
        # Whether the front server kept the report's PDF (HIT on the second request).
        "front_cache": again.get("x-cache-status", ""),
        "report_pdf": pdf,
        "same_size_file": static,
        "ratio": round(pdf["p95_ms"] / max(static["p95_ms"], 0.01), 2),
        "home_alone": alone,
        "home_during_load": during,
        "home_ratio": round(during["p95_ms"] / max(alone["p95_ms"], 0.01), 2),
        "home_during_file_load": during_static,
    }


# --- The front server as deployed -----------------------------------------------------------

# deploy/nginx.conf.example's proxying and caching, on a loopback port, over plain HTTP, with
# its files under the benchmark's folder (soin/core/tests/test_benchmarks.py checks that the
# caching directives are the example's own).
FRONT_CONFIG = """
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    sendfile on;
    tcp_nopush on;
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=soin:10m max_size=1g inactive=1h
                     use_temp_path=off;
    upstream soin {{
        server 127.0.0.1:{upstream};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_tokens off;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        proxy_http_version 1.1;
        proxy_redirect off;
        proxy_read_timeout 125s;
{cache}
        # Whether an answer came from the cache, for the figures.
        add_header X-Cache-Status $upstream_cache_status;
        location / {{
            proxy_pass http://soin;
        }}
        # The baseline: a file of the report's size sent from a folder.
        location ~ ^/_bench/file/([a-z0-9-]+)/$ {{
            root {files};
            try_files /$1.bin =404;
            default_type application/octet-stream;
        }}
    }}
}}
"""


def cache_directives(example: Path | None = None) -> list[str]:
    """The ``proxy_cache*`` directives of the HTTPS server of deploy/nginx.conf.example."""
    text = (example or settings.BASE_DIR / "deploy" / "nginx.conf.example").read_text()
    return [
        line.strip()
        for line in text.splitlines()
        if re.match(r"\s*proxy_cache(_(?!path)\w+)?\s", line)
    ]


def front_config(folder: Path, files: Path, upstream: int, port: int) -> str:
    """The front server's configuration: ``FRONT_CONFIG`` with the example's caching."""
    return FRONT_CONFIG.format(
        folder=folder,
        files=files,
        upstream=upstream,
        port=port,
        # Started by root, nginx's workers would run as nobody, who may not write here.
        user="user root;" if os.geteuid() == 0 else "",
        cache="\n".join(f"        {line}" for line in cache_directives()),
    )


@contextmanager
def front_server(var_dir: Path, upstream: Server) -> Iterator[Server]:
    """nginx in front of ``upstream`` as deploy/nginx.conf.example puts it (its proxying and
    its cache of public answers) on a free loopback port, for the block."""
    import shutil

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx:
        raise RuntimeError("The benchmarks need nginx: scripts/system-deps.sh --bench")
    folder = var_dir / "nginx"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files = var_dir / "bench-files"
    files.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(front_config(folder, files, upstream.port, port))
    log = var_dir / "nginx.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, process, log)
    with _serving(server) as up:
        yield up


# --- The public idea form under load --------------------------------------------------------

FIELD = r'name="{}" value="([^"]*)"'


def _field(page: str, name: str) -> str:
    found = re.search(FIELD.format(name), page)
    return found.group(1) if found else ""


def idea_form_load(
    server: Server, slug: str, *, visitors: int = 8, seconds: float = 15.0
) -> dict[str, Any]:
    """``visitors`` threads, each from an address of its own, fetch the public idea form and
    send it, for ``seconds``; every answer is counted, and the ideas stored are counted
    against the ideas accepted."""
    from soin.ideas.models import Idea

    path = f"/sv/{slug}/idea/"
    run = uuid.uuid4().hex[:8]
    outcome: dict[str, Any] = {"requests": 0, "accepted": 0, "refused": 0, "errors": []}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    # Addresses of this run's own: a run soon after another is not held to the limits that
    # one's visitors reached.
    network = int(run, 16) % 250

    def visitor(number: int) -> None:
        address = f"10.{network}.{number % 250}.{1 + number // 250}"
        headers = {"X-Forwarded-For": address}
        sent = 0
        while time.monotonic() < stop:
            try:
                status, body, got = request(server, "GET", path, headers=headers)
                cookie = "; ".join(
                    line.split(";")[0] for line in got.get("set-cookie", "").splitlines()
                )
                if status != 200:
                    raise RuntimeError(f"GET {path}: {status}")
                page = body.decode()
                sent += 1
                form = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
                        "title": f"Lastprov {run} {number} {sent}",
                        "description": "En idé skickad under mätningen.",
                        "carrier_category": "private",
                        "carrier_name": "Mät Person",
                        "carrier_email": "mat@example.org",
                        "consent": "on",
                        "homepage": "",
                        "started": _field(page, "started"),
                        "consent_shown": _field(page, "consent_shown"),
                    }
                ).encode()
                status, _body, got = request(
                    server,
                    "POST",
                    path,
                    body=form,
                    cookie=cookie,
                    headers={
                        **headers,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"{server.base}{path}",
                    },
                )
                with lock:
                    outcome["requests"] += 2
                    if status >= 500:
                        outcome["errors"].append(f"POST {path}: {status}")
                    elif status == 302 and got.get("location", "").endswith("/idea/thanks/"):
                        outcome["accepted"] += 1
                    else:
                        outcome["refused"] += 1
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                with lock:
                    outcome["requests"] += 1
                    outcome["errors"].append(str(error))

    started = time.monotonic()
    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(visitors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    stored = Idea.objects.filter(title__startswith=f"Lastprov {run} ").count()
    return {
        "visitors": visitors,
        "seconds": round(elapsed, 1),
        "requests": outcome["requests"],
        "requests_per_second": round(outcome["requests"] / elapsed, 1),
        "accepted": outcome["accepted"],
        "refused": outcome["refused"],
        "stored": stored,
        "errors": len(outcome["errors"]),
        "first_errors": outcome["errors"][:5],
    }


def write(output: Path, name: str, figures: Any) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    path = output / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return path
