"""Time the pages of the data set in this database (DATABASE_URL) under gunicorn: the minimal
page H, every list and search page, the dashboards; with ``--full`` also the yearly report's
PDF against WeasyPrint alone, the public idea form under load, and the published report's PDF
under eight clients against a file of its size (``--only report_load`` for that alone). Run by
``manage.py bench`` (see soin.core.benchmarks); writes var/bench/pages-<set>.json and, with
``--full``, report.json, form.json and report_load.json."""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from soin.core import aggregates
from soin.core import benchmarks as b

SEARCHES = {
    # name: (language, address name, query)
    "bank_sv": ("sv", "public:bank", "språkcafé"),
    "bank_en": ("en", "public:bank", "language café"),
    "national_bank_sv": ("sv", "public:national_bank", "mötesplats"),
    "national_bank_en": ("en", "public:national_bank", "meeting place"),
}


class Command(BaseCommand):
    help = "Time this database's pages under gunicorn (run by manage.py bench)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--set", required=True, help="the data set's name in the figures")
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "bench"))
        parser.add_argument("--count", type=int, default=50, help="requests per page")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
        parser.add_argument("--full", action="store_true")
        parser.add_argument(
            "--only", default="", help="time only the pages and searches whose names match"
        )
        parser.add_argument(
            "--beside",
            default="",
            help="a data set timed before (its figures in --output): each page and search is "
            "timed in turns with its, on a second server",
        )
        parser.add_argument("--beside-url", default="", help="the database of --beside")

    def handle(self, *args: Any, **options: Any) -> None:
        from soin.accounts.models import Role, User
        from soin.regions.models import Partnership

        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL: set DATABASE_URL.")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum leaves a database that has settled
        p = Partnership.objects.order_by("region__code").first()
        if p is None:
            raise CommandError("No data: run manage.py generate_load_data first.")
        coordinator = Role.objects.filter(partnership=p, kind=Role.Kind.COORDINATOR).first()
        if coordinator is None:
            raise CommandError(f"{p.slug} has no coordinator: generate the data again.")
        national, _new = User.objects.get_or_create(
            email="bench.national@example.org", defaults={"full_name": "Riks Samordnare"}
        )
        Role.objects.get_or_create(user=national, kind=Role.Kind.NATIONAL_COORDINATOR)
        users = {b.ANON: None, b.COORDINATOR: coordinator.user, b.NATIONAL: national}
        cookies = {role: b.staff_cookie(u) if u else "" for role, u in users.items()}
        count, output, name = options["count"], Path(options["output"]), options["set"]
        figures: dict[str, Any] = {"set": name, "partnership": p.slug, "count": count}
        # The sessions, for a later run that times this set's pages beside its own.
        (output / f"server-{name}").mkdir(parents=True, exist_ok=True)
        (output / f"server-{name}" / "sessions.json").write_text(json.dumps(cookies))
        beside = self._beside(output, options["beside"], options["beside_url"])
        with (
            b.gunicorn(output / f"server-{name}", options["workers"]) as server,
            contextlib.ExitStack() as stack,
        ):
            if beside:
                beside["server"] = stack.enter_context(
                    b.gunicorn(output / f"server-{name}-beside", options["workers"], beside["url"])
                )
            self.stdout.write(
                f"{name}: gunicorn with {options['workers']} workers on {server.base}"
            )
            h = b.timed(server, "/_bench/hello/", count=count * 4)
            figures["H"] = h
            # The same minimal view behind the back office's guard, for the staff pages.
            figures["H_staff"] = b.timed(
                server, f"/_bench/{p.slug}/hello/", cookie=cookies[b.COORDINATOR], count=count * 4
            )
            pages = {}
            addresses = [
                *(
                    (n, r, reverse(n, kwargs={"partnership": p.slug}))
                    for n, r in b.LIST_PAGES.items()
                ),
                *((n, r, reverse(n)) for n, r in b.NATIONAL_PAGES.items()),
                *(
                    (n, r, path)
                    for n, (r, label) in b.NATIONAL_RECORD_PAGES.items()
                    if (path := b.record_address(n, label))
                ),
                *(
                    (n, r, path)
                    for n, (r, label) in b.RECORD_PAGES.items()
                    if (path := b.partnership_record_address(n, label, p))
                ),
                (
                    "staff:idea_list[filtered]",
                    b.COORDINATOR,
                    reverse("staff:idea_list", kwargs={"partnership": p.slug})
                    + "?stage=in_advice&channel=web",
                ),
            ]
            only = re.compile(options["only"])
            in_turns: dict[str, Any] = {"pages": {}, "searches": {}}
            for page, role, path in addresses:
                if not only.search(page):
                    continue
                measured = self._timed(
                    server, path, cookies, role, count, beside, "pages", page, in_turns
                )
                measured["role"] = role
                measured["queries"] = len(b.page_queries(path, users[role]))
                measured["ratio_to_H"] = round(measured["p95_ms"] / h["p95_ms"], 1)
                pages[page] = measured
                self.stdout.write(
                    f"  {page:40} p50 {measured['p50_ms']:8.1f} ms  "
                    f"p95 {measured['p95_ms']:8.1f} ms  {measured['queries']:3} queries"
                )
            drawn = "staff:idea_list[drawn anew]"
            if only.search(drawn):
                # The list is drawn once and read again until an idea changes: here every
                # request follows a change, so every one draws it (what the first reader
                # after each change waits for).
                path = reverse("staff:idea_list", kwargs={"partnership": p.slug})
                measured = b.timed(
                    server,
                    path,
                    cookie=cookies[b.COORDINATOR],
                    count=count,
                    before_each=lambda: aggregates.stamp_bump(source="idea_list", partnership=p.pk),
                )
                measured["ratio_to_H"] = round(measured["p95_ms"] / h["p95_ms"], 1)
                figures["idea_list_drawn"] = measured
                self.stdout.write(
                    f"  {drawn:40} p50 {measured['p50_ms']:8.1f} ms  "
                    f"p95 {measured['p95_ms']:8.1f} ms"
                )
            figures["pages"] = pages
            searches = {}
            for key, (language, page, query) in SEARCHES.items():
                if not only.search(f"search {key}"):
                    continue
                with translation.override(language):
                    kwargs = {"partnership": p.slug} if page == "public:bank" else None
                    path = reverse(page, kwargs=kwargs)
                path += "?q=" + urllib.parse.quote_plus(query)
                measured = self._timed(
                    server, path, cookies, b.ANON, count, beside, "searches", key, in_turns
                )
                sql = [q for q in b.page_queries(path, None) if "knowledge_entry" in q]
                measured["bare_sql"] = b.bare_sql(sql, count=count)
                measured["goal_ms"] = round(2 * measured["bare_sql"]["p95_ms"] + h["p95_ms"], 2)
                searches[key] = measured
                self.stdout.write(
                    f"  search {key:33} p95 {measured['p95_ms']:8.1f} ms, its SQL alone "
                    f"{measured['bare_sql']['p95_ms']:.1f} ms"
                )
            figures["searches"] = searches
            if beside:
                figures["beside"] = {"set": beside["set"], **in_turns}
            if options["full"] or (options["only"] and only.search("report_load")):
                load = self._report_load(server, p, coordinator.user, count)
                b.write(output, "report_load", load)
                self.stdout.write(
                    f"  report PDF, {load['clients']} clients: p95 "
                    f"{load['report_pdf']['p95_ms']} ms, a file of its size "
                    f"{load['same_size_file']['p95_ms']} ms ({load['ratio']}×); home page p95 "
                    f"{load['home_during_load']['p95_ms']} ms during, "
                    f"{load['home_alone']['p95_ms']} ms alone ({load['home_ratio']}×)"
                )
            if options["full"]:
                from soin.reports.models import YearlyReport

                report = YearlyReport.objects.filter(partnership=p).order_by("-year")[1:2].first()
                if report is None:
                    raise CommandError(f"{p.slug} has no yearly report to draw.")
                pdf = b.report_pdf_figures(report)
                b.write(output, "report", pdf)
                self.stdout.write(
                    f"  yearly report PDF {pdf['application_s']} s, WeasyPrint alone "
                    f"{pdf['weasyprint_alone_s']} s"
                )
                form = b.idea_form_load(server, p.slug)
                b.write(output, "form", form)
                self.stdout.write(
                    f"  idea form: {form['requests_per_second']} requests/s, {form['errors']} "
                    f"errors, {form['accepted']} accepted, {form['stored']} stored"
                )
        if options["only"]:
            b.write(output, f"pages-{name}-only", figures)
        else:
            b.write(output, f"pages-{name}", figures)

    def _report_load(
        self, server: b.Server, p: Any, coordinator: Any, count: int
    ) -> dict[str, Any]:
        """The published report's PDF under eight clients (the report is published first if
        the generated data left it a draft)."""
        from soin.reports import services as report_services
        from soin.reports.models import YearlyReport

        report = YearlyReport.objects.filter(partnership=p).order_by("-year")[1:2].first()
        if report is None:
            raise CommandError(f"{p.slug} has no yearly report to publish.")
        if report.state != YearlyReport.State.PUBLISHED:
            report_services.report_move(report=report, actor=coordinator, move="publish")
        with translation.override("sv"):
            path = reverse(
                "public:report_download",
                kwargs={"partnership": p.slug, "year": report.year, "fmt": "pdf"},
            )
            home = reverse("public:start")
        # As deployed: nginx in front (deploy/nginx.conf.example), keeping public answers.
        with b.front_server(server.log.parent, server) as front:
            figures = b.report_load_figures(front, path, home, count=max(5, count // 2))
        return {"report": f"{p.slug} {report.year}", "front_server": "nginx", **figures}

    def _beside(self, output: Path, name: str, url: str) -> dict[str, Any]:
        if not name:
            return {}
        if not url:
            raise CommandError("--beside needs --beside-url, the database of that set.")
        try:
            figures = json.loads((output / f"pages-{name}.json").read_text())
            sessions = json.loads((output / f"server-{name}" / "sessions.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"No figures of {name} to time beside: {error}") from error
        return {"set": name, "url": url, "figures": figures, "sessions": sessions}

    def _timed(
        self,
        server: b.Server,
        path: str,
        cookies: dict[str, str],
        role: str,
        count: int,
        beside: dict[str, Any],
        kind: str,
        name: str,
        in_turns: dict[str, Any],
    ) -> dict[str, Any]:
        """``path`` timed; in turns with the same page of the set beside, where it has it."""
        theirs = beside.get("figures", {}).get(kind, {}).get(name) if beside else None
        if theirs is None:
            return b.timed(server, path, cookie=cookies[role], count=count)
        mine, other = b.timed_in_turns(
            [
                b.Target(server, path, cookies[role]),
                b.Target(beside["server"], theirs["path"], beside["sessions"].get(role, "")),
            ],
            count=count,
        )
        in_turns[kind][name] = other
        return mine
