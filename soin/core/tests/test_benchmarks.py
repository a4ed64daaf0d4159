"""The benchmarks' own arithmetic: the pages they time are the list pages the query-count
tests measure, the percentiles are the usual ones, and a goal is met only when its figures
say so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from soin.core import benchmarks as b
from soin.core.management.commands.bench import summarise, summary_markdown
from soin.core.tests.test_query_counts import PAGES


def test_the_timed_list_pages_are_the_measured_ones() -> None:
    measured = {r.name for r in PAGES}
    assert set(b.LIST_PAGES) <= measured
    for name in b.NATIONAL_PAGES:
        reverse(name)  # an address with no partnership in it
    for name in b.NATIONAL_RECORD_PAGES:
        reverse(name, kwargs={"pk": 1})  # a record's address with no partnership in it
    for name in b.RECORD_PAGES:
        reverse(name, kwargs={"partnership": "orebro", "pk": 1})  # a partnership's record


def test_every_page_across_the_nation_is_timed() -> None:
    """The back office's pages outside any partnership (files and charts aside: their
    addresses name a key or a format) are each in one of the benchmarks' lists."""
    from django.urls import get_resolver

    from soin.core.tests.test_object_access import staff_patterns

    national = {
        name
        for name, arguments in staff_patterns(get_resolver().url_patterns)
        if name.startswith("staff:national_") and arguments <= {"pk"}
    }
    assert {"staff:national_statistics", "staff:national_exchange"} <= national
    assert national == set(b.NATIONAL_PAGES) - {"public:national_bank"} | set(
        b.NATIONAL_RECORD_PAGES
    )


def test_a_record_page_is_timed_with_the_first_record(db: None) -> None:
    from soin.knowledge.models import ExchangeSource

    name, (role, label) = next(iter(b.NATIONAL_RECORD_PAGES.items()))
    assert role == b.NATIONAL
    assert b.record_address(name, label) == ""
    first, _second = (
        ExchangeSource.objects.create(origin=f"https://{n}.example.se") for n in ("b", "a")
    )
    assert b.record_address(name, label) == reverse(name, kwargs={"pk": first.pk})


def test_a_partnerships_record_page_is_timed_with_its_first_record(world: Any) -> None:
    from soin.ideas.models import Idea

    name, (role, label) = next(iter(b.RECORD_PAGES.items()))
    assert (name, role) == ("staff:idea_detail", b.COORDINATOR)
    first = Idea.objects.filter(partnership=world.partnership).order_by("pk").first()
    assert first is not None
    assert b.partnership_record_address(name, label, world.partnership) == reverse(
        name, kwargs={"partnership": world.partnership.slug, "pk": first.pk}
    )
    Idea.objects.filter(partnership=world.partnership).update(partnership=world.other_partnership)
    assert b.partnership_record_address(name, label, world.partnership) == ""


def test_percentiles() -> None:
    figures = b.percentiles([float(n) for n in range(1, 101)])
    assert figures == {"n": 100, "p50_ms": 50.5, "p95_ms": 95.0}
    assert b.percentiles([7.0]) == {"n": 1, "p50_ms": 7.0, "p95_ms": 7.0}


def test_database_url_keeps_the_server_and_changes_the_database() -> None:
    url = b.database_url("postgres://kim@127.0.0.1:5432/soin", "soin_bench_national")
    assert url == "postgres://kim@127.0.0.1:5432/soin_bench_national"


def page(p95: float, queries: int) -> dict[str, float]:
    return {"p50_ms": p95 / 2, "p95_ms": p95, "queries": queries}


def test_a_goal_is_met_only_when_its_figures_say_so(tmp_path: Path) -> None:
    small = {
        "H": page(2, 0),
        "pages": {"staff:idea_list": page(20, 11), "staff:partner_list": page(10, 6)},
    }
    big = {
        "H": page(2, 0),
        "idea_list_drawn": page(60, 0),
        "pages": {
            "staff:idea_list": page(25, 11),  # 1.25× and the same queries: met
            "staff:idea_list[filtered]": page(30, 11),  # 15× H: missed
            "staff:partner_list": page(10, 7),  # one query more: missed
            "staff:dashboard": page(5, 12),
            "staff:statistics": page(5, 12),
            "staff:national_statistics": page(5, 12),
        },
        "searches": {
            "bank_sv": {"p95_ms": 9, "bare_sql": {"p95_ms": 4}, "goal_ms": 10},
            "bank_en": {"p95_ms": 11, "bare_sql": {"p95_ms": 4}, "goal_ms": 10},
        },
    }
    (tmp_path / "pages-rows500.json").write_text(json.dumps(small))
    (tmp_path / "pages-national.json").write_text(json.dumps(big))
    (tmp_path / "report.json").write_text(
        json.dumps({"application_s": 3, "weasyprint_alone_s": 2, "ratio": 1.5, "report": "x 2025"})
    )
    (tmp_path / "form.json").write_text(
        json.dumps(
            {
                "requests_per_second": 40,
                "requests": 800,
                "errors": 0,
                "accepted": 390,
                "stored": 389,
            }
        )
    )
    (tmp_path / "vectors-national.json").write_text(
        json.dumps({"similar_p95_ms": 21.0, "similar_queries": 3, "nearest_s": 280.0})
    )
    summary = summarise(tmp_path, "national")
    goals = {g["goal"]: g["met"] for g in summary["goals"]}

    def met(start: str) -> list[bool]:
        return [ok for goal, ok in goals.items() if goal.startswith(start)]

    # The similar ideas and solutions of an idea's page: 21 ms > 10 × H (2 ms).
    assert met("similar ideas and solutions on an idea's page") == [False]
    (tmp_path / "vectors-national.json").write_text(
        json.dumps({"similar_p95_ms": 8.0, "similar_queries": 3})
    )
    similar = summarise(tmp_path, "national")["goals"]
    assert [g["met"] for g in similar if g["goal"].startswith("similar ideas and")] == [True]

    assert met("staff:idea_list: p95 at national size") == [True]  # 1.25×, same queries
    assert met("staff:idea_list: p95 ≤ 10× H") == [False]  # 25 ms > 20 ms
    listed = next(g for g in summary["goals"] if g["goal"] == "staff:idea_list: p95 ≤ 10× H")
    assert "drawn anew after a change 60 ms (30.0× H)" in listed["figures"]
    assert met("staff:partner_list:") == [False]  # one query more
    assert met("staff:idea_list[filtered]: p95 ≤ 10× H") == [False]
    assert met("search bank_sv") == [True] and met("search bank_en") == [False]
    assert met("yearly report PDF") == [True]
    assert met("public idea form under load") == [False]  # one accepted idea not stored
    # Every idea refused (the limits of a run just before): nothing was measured.
    (tmp_path / "form.json").write_text(
        json.dumps(
            {"requests_per_second": 90, "requests": 900, "errors": 0, "accepted": 0, "stored": 0}
        )
    )
    refused = {g["goal"]: g["met"] for g in summarise(tmp_path, "national")["goals"]}
    assert [ok for goal, ok in refused.items() if goal.startswith("public idea form")] == [False]
    assert summary["missed"] == sum(1 for g in summary["goals"] if not g["met"]) >= 5
    text = summary_markdown(summary)
    assert "| **no** |" in text and f"{summary['met']} goals met" in text


def test_the_size_goal_takes_the_pages_timed_in_turns(tmp_path: Path) -> None:
    small = {"H": page(2, 0), "pages": {"staff:idea_list": page(20, 11)}}
    big = {
        "H": page(2, 0),
        "pages": {
            "staff:idea_list": page(25, 11),
            "staff:idea_list[filtered]": page(10, 11),
            "staff:dashboard": page(5, 12),
            "staff:statistics": page(5, 12),
            "staff:national_statistics": page(5, 12),
        },
        "searches": {"bank_sv": {"p95_ms": 9, "bare_sql": {"p95_ms": 4}, "goal_ms": 10}},
        # The 500-row list timed again, in turns with the big one: 2.5× the moment's figure.
        "beside": {
            "set": "rows500",
            "pages": {"staff:idea_list": page(10, 0)},
            "searches": {"bank_sv": page(3, 0)},
        },
    }
    (tmp_path / "pages-rows500.json").write_text(json.dumps(small))
    (tmp_path / "pages-national.json").write_text(json.dumps(big))
    summary = summarise(tmp_path, "national")
    size = next(g for g in summary["goals"] if g["goal"].startswith("staff:idea_list: p95 at"))
    assert not size["met"]
    assert "25 ms vs 10 ms (2.5×) (timed in turns); 11 vs 11 queries" in size["figures"]
    search = next(g for g in summary["goals"] if g["goal"].startswith("search bank_sv"))
    assert search["met"] and "at 500 rows 3 ms (3.0×)" in search["figures"]


def test_pages_timed_in_turns_are_timed_each_in_its_turn() -> None:
    import http.server
    import threading
    import time

    log: list[str] = []

    def serving(name: str, pause: float) -> http.server.ThreadingHTTPServer:
        class Page(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 65536  # the answer in one write, not held back by delayed ACKs

            def do_GET(self) -> None:
                log.append(name)
                time.sleep(pause)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    slow, quick = serving("slow", 0.02), serving("quick", 0)
    try:
        targets = [
            b.Target(b.Server(s.server_address[1], None, Path()), "/")  # type: ignore[arg-type]
            for s in (slow, quick)
        ]
        timed_slow, timed_quick = b.timed_in_turns(targets, count=6, warm_up=2)
    finally:
        slow.shutdown()
        quick.shutdown()
    assert timed_slow["n"] == timed_quick["n"] == 6
    assert timed_slow["p50_ms"] >= 20 > timed_quick["p50_ms"]
    # Warmed up each, then one of each per round, the order changed every round.
    assert log[:4] == ["slow", "slow", "quick", "quick"]
    rounds = [tuple(log[i : i + 2]) for i in range(4, len(log), 2)]
    assert rounds == [("slow", "quick"), ("quick", "slow")] * 3


def load_figures(pdf: float, same: float, alone: float, during: float, errors: int = 0) -> dict:  # type: ignore[type-arg]
    return {
        "report": "x 2025",
        "clients": 8,
        "bytes": 176066,
        "first_request_ms": 1500.0,
        "report_pdf": {**page(pdf, 0), "errors": errors},
        "same_size_file": {**page(same, 0), "errors": 0},
        "ratio": round(pdf / same, 2),
        "home_alone": page(alone, 0),
        "home_during_load": {**page(during, 0), "n": 40},
        "home_ratio": round(during / alone, 2),
        "home_during_file_load": page(during, 0),
    }


def test_the_report_under_load_goals_compare_with_a_file_and_the_home_page_alone(
    tmp_path: Path,
) -> None:
    from soin.core.management.commands.bench import report_load_goals

    assert report_load_goals({}) == []
    met = report_load_goals(load_figures(pdf=19, same=10, alone=20, during=29))
    assert [g["met"] for g in met] == [True, True]
    assert met[0]["goal"].startswith("public report PDF under 8 clients: p95 ≤ 2×")
    assert "19 ms vs 10 ms (1.9×), 176066 bytes" in met[0]["figures"]
    assert "29 ms vs 20 ms alone (1.45×)" in met[1]["figures"]
    slow = report_load_goals(load_figures(pdf=21, same=10, alone=20, during=31))
    assert [g["met"] for g in slow] == [False, False]
    # An error under load: nothing is met, however quick.
    broken = report_load_goals(load_figures(pdf=5, same=10, alone=20, during=20, errors=1))
    assert [g["met"] for g in broken] == [False, False] and "1 errors" in broken[0]["figures"]
    # The summary carries them beside the other goals.
    big = {
        "H": page(2, 0),
        "pages": {
            "staff:idea_list": page(10, 11),
            "staff:idea_list[filtered]": page(10, 11),
            "staff:dashboard": page(5, 12),
            "staff:statistics": page(5, 12),
            "staff:national_statistics": page(5, 12),
        },
        "searches": {},
    }
    (tmp_path / "pages-rows500.json").write_text(json.dumps({"H": page(2, 0), "pages": {}}))
    (tmp_path / "pages-region.json").write_text(json.dumps(big))
    (tmp_path / "report_load.json").write_text(json.dumps(load_figures(21, 10, 20, 29)))
    goals = {g["goal"]: g["met"] for g in summarise(tmp_path, "region")["goals"]}
    assert goals["public report PDF under 8 clients: p95 ≤ 2× a static file of its size"] is False
    assert goals["home page during that load: p95 ≤ 1.5× alone"] is True


def test_clients_under_load_ask_at_once_and_a_probe_is_timed_beside_them() -> None:
    import http.server
    import threading
    import time

    busy = {"now": 0, "most": 0}
    lock = threading.Lock()

    class Page(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 65536

        def do_GET(self) -> None:
            with lock:
                busy["now"] += 1
                busy["most"] = max(busy["most"], busy["now"])
            time.sleep(0.01 if self.path == "/file" else 0)
            body = b"x" * 1000 if self.path == "/file" else b"ok"
            with lock:
                busy["now"] -= 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = b.Server(server.server_address[1], None, Path())  # type: ignore[arg-type]
        figures = b.under_load(target, "/file", clients=4, count=5, probe="/home")
    finally:
        server.shutdown()
    assert figures["n"] == 20 and figures["errors"] == 0 and figures["bytes"] == 1000
    assert figures["p50_ms"] >= 10
    # Only while the clients ran: at most one request per pause of 20 ms in that time.
    assert 1 <= figures["probe"]["n"] <= figures["seconds"] / 0.02 + 2
    assert busy["most"] >= 3  # the clients asked at the same time


def test_the_bench_measures_through_the_front_server_as_deployed() -> None:
    """The front server of the benchmarks caches as deploy/nginx.conf.example does: the same
    proxy_cache directives, in the server block."""
    directives = b.cache_directives()
    assert "proxy_cache soin;" in directives and "proxy_cache_lock on;" in directives
    config = b.front_config(Path("/f"), Path("/files"), 8000, 8001)
    server_block = config[config.index("server {") :]
    assert all(line in server_block for line in directives)
    assert not any(line.startswith("proxy_cache_path") for line in directives)


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
    reason="nginx is installed by scripts/system-deps.sh --bench",
)
def test_the_front_server_keeps_public_answers_only(tmp_path: Path) -> None:
    """Behind nginx as deployed: an answer marked public is sent from the cache the second
    time; a private one, one that says nothing about caching, and a public one that sets a
    cookie always go to the application."""
    import http.server
    import threading

    asked: dict[str, int] = {}

    class App(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            asked[self.path] = asked.get(self.path, 0) + 1
            body = b"x" * 5000
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if self.path == "/public":
                self.send_header("Cache-Control", "public, max-age=300")
            elif self.path == "/private":
                self.send_header("Cache-Control", "private, max-age=300")
            elif self.path == "/cookie":
                self.send_header("Cache-Control", "public, max-age=300")
                self.send_header("Set-Cookie", "sessionid=abc; HttpOnly")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    upstream = b.Server(app.server_address[1], None, tmp_path / "app.log")  # type: ignore[arg-type]
    try:
        with b.front_server(tmp_path, upstream) as front:
            statuses = {}
            for path in ("/public", "/private", "/plain", "/cookie"):
                for _ in range(3):
                    status, body, headers = b.request(front, "GET", path)
                    assert status == 200 and len(body) == 5000
                statuses[path] = headers.get("x-cache-status", "")
    finally:
        app.shutdown()
    asked.pop("/_bench/hello/", None)  # the front server asked whether it was up
    assert asked == {"/public": 1, "/private": 3, "/plain": 3, "/cookie": 3}
    assert statuses["/public"] == "HIT"
