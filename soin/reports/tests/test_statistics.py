"""The statistics pages: every chart draws the numbers of the table beside it, filters count
what they say, downloads hold the same numbers, and the funnel and the time per stage follow
the ideas' timelines."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soin.core.testing import COORDINATOR, NATIONAL, login
from soin.ideas import services as idea_services
from soin.ideas.models import Challenge, Idea, IdeaEvent
from soin.regions.models import Municipality
from soin.reports import selectors
from soin.reports.tests.documents import html_tables

pytestmark = pytest.mark.django_db

VALUE = re.compile(
    r'<g id="(?P<key>[\w]+)-value-(?P<col>\d+)-(?P<row>\d+)">\s*<text[^>]*>(?P<text>[^<]*)</text>'
)


def chart_values(svg: str) -> dict[tuple[int, int], str]:
    """The numbers a chart draws, by (column, row) of its table."""
    return {
        (int(m["col"]), int(m["row"])): m["text"].replace("\xa0", " ") for m in VALUE.finditer(svg)
    }


def client_for(world, role: str = COORDINATOR) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[role])
    return client


@pytest.fixture
def ideas(world):  # type: ignore[no-untyped-def]
    """Four more ideas in three municipalities, with challenges, over 2017."""
    coordinator = world.users[COORDINATOR]
    municipalities = {m.code: m for m in Municipality.objects.filter(region__code="18")}
    inclusive = Challenge.objects.get(partnership__isnull=True, key="inclusive-societies")
    health = Challenge.objects.get(partnership__isnull=True, key="health")
    made = []
    for title, code, challenges, day in [
        ("Cykelkök", "1880", [inclusive], datetime.date(2017, 3, 1)),
        ("Läxhjälp", "1880", [inclusive, health], datetime.date(2017, 4, 1)),
        ("Byalag", "1863", [inclusive], datetime.date(2017, 6, 1)),
        ("Vårdhjälp", "1881", [health], datetime.date(2017, 9, 1)),
    ]:
        idea = idea_services.idea_register(
            partnership=world.partnership,
            actor=coordinator,
            channel="outreach",
            received_on=day,
            title=title,
            description="En idé.",
            carrier_category="private",
            municipality=municipalities[code],
        )
        idea_services.idea_document(idea=idea, actor=coordinator, challenges=challenges)
        made.append(idea)
    return made


def test_every_chart_draws_the_numbers_of_its_table(world, ideas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world)
    query = "?year=2017&municipality="
    page = client.get(reverse("staff:statistics", kwargs={"partnership": "orebro"}) + query)
    assert page.status_code == 200
    tables = html_tables(page.content.decode())
    scope = selectors.Scope([world.partnership], 2017)
    # The page draws its charts itself: the same SVG the chart's own address gives.
    drawn_in_page = page.content.decode().count('<svg role="img"')
    shown = [t for t in selectors.dashboard_tables(scope) if t.chart and not t.is_empty]
    assert drawn_in_page == len(shown) + 1  # and the map
    drawn = 0
    for table in [
        *selectors.dashboard_tables(scope),
        selectors.map_table(selectors.map_places(scope)),
    ]:
        if table.key != "map" and (not table.chart or table.is_empty):
            continue
        url = reverse("staff:statistics_chart", kwargs={"partnership": "orebro", "key": table.key})
        response = client.get(url + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert "<title" in svg and 'role="img"' in svg
        values = chart_values(svg)
        caption = next(c for c in tables if c.startswith(table.title))
        shown = tables[caption][1:]  # the rows of the table on the page, header left out
        columns = (
            [0, 1]
            if table.key == "map"
            else (table.chart_columns if table.chart in ("bars", "line") else [0])
        )
        assert values, table.key
        for row_index, row in enumerate(shown):
            for column in columns:
                number = (
                    values[(column, row_index)].rsplit(" ", 1)[-1]
                    if table.key == "map"
                    else values.get((column, row_index), "")
                )
                if not number and len(columns) > 1 and table.key != "map":
                    number = "0"  # grouped bars leave a zero unlabelled
                assert number == row[column + 1], (table.key, row_index, column)
                drawn += 1
    assert drawn > 60
    # Every chart draws, an empty one too (the page leaves those out), in both languages.
    for language in ("sv", "en"):
        client.cookies["django_language"] = language
        for key in selectors.BUILDERS:
            table = selectors.dashboard_table(scope, key)
            if table.chart:
                url = reverse(
                    "staff:statistics_chart", kwargs={"partnership": "orebro", "key": key}
                )
                assert client.get(url + "?year=2017&municipality=1814").status_code == 200, key


def test_the_figures_count_what_the_filters_say(world, ideas) -> None:  # type: ignore[no-untyped-def]
    orebro = Municipality.objects.get(code="1880")
    every = selectors.Scope([world.partnership], None)
    in_2017 = selectors.Scope([world.partnership], 2017)
    in_orebro = selectors.Scope([world.partnership], 2017, orebro)

    def by(scope, key):  # type: ignore[no-untyped-def]
        table = selectors.table_get(selectors.idea_tables(scope), key)
        return dict((label, values[0]) for label, values in table.rows)

    total_every = sum(by(every, "channels").values())
    # The world's two ideas (one from today, one from 2 May 2017) and the four above.
    assert total_every == Idea.objects.filter(partnership=world.partnership).count() == 6
    assert sum(by(in_2017, "channels").values()) == 5
    assert sum(by(in_orebro, "channels").values()) == 2
    municipalities = by(in_2017, "municipalities")
    assert municipalities["Örebro"] == 2 and municipalities["Kumla"] == 1
    assert len(municipalities) == 12 + 1  # every municipality, and those without one
    challenges = by(in_orebro, "challenges")
    assert challenges[str(Challenge.objects.get(key="inclusive-societies").name)] == 2
    assert challenges[str(Challenge.objects.get(key="health").name)] == 1
    # Each partnership counts its own ideas only: the other one has its single idea.
    other = Idea.objects.filter(partnership=world.other_partnership).count()
    assert other == 1
    assert sum(by(selectors.Scope([world.other_partnership], None), "channels").values()) == other


def test_the_funnel_and_the_time_in_each_stage(world, ideas) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users[COORDINATOR]
    idea = ideas[0]
    idea_services.idea_move(idea=idea, actor=coordinator, move="take", notify=False)
    idea.refresh_from_db()
    idea_services.idea_move(idea=idea, actor=coordinator, move="drop", note="Nej", notify=False)
    # Put the idea's steps at known times: registered 1 March, in advice 11 March, dropped
    # 21 March; the funnel is counted from the timeline.
    start = timezone.make_aware(datetime.datetime(2017, 3, 1, 12))
    for days, stage in ((0, "registered"), (10, "in_advice"), (20, "dropped")):
        IdeaEvent.objects.filter(idea=idea, to_stage=stage).update(
            created_at=start + datetime.timedelta(days=days)
        )
    now = timezone.make_aware(datetime.datetime(2017, 4, 1, 12))
    funnel, time = selectors.process_tables(
        selectors.Scope([world.partnership], 2017, Municipality.objects.get(code="1880")),
        now=now,
    )
    reached = dict((label, values[0]) for label, values in funnel.rows)
    assert reached[str(Idea.Stage.REGISTERED.label)] == 2
    assert reached[str(Idea.Stage.IN_ADVICE.label)] == 1
    assert reached[str(Idea.Stage.DROPPED.label)] == 1
    # Every idea was received, the ones staff registered too.
    assert reached[str(Idea.Stage.RECEIVED.label)] == 2
    stays = {label: values for label, values in time.rows}
    advice = stays[str(Idea.Stage.IN_ADVICE.label)]
    assert float(advice[0]) == 10.0 and advice[2] == 1
    # The other idea was registered after "now" (today): its stay is not counted yet.
    registered = stays[str(Idea.Stage.REGISTERED.label)]
    assert float(registered[0]) == 10.0 and registered[2] == 1
    # Dropped is the end of the way, not time spent waiting.
    assert str(Idea.Stage.DROPPED.label) not in stays
    # A past year's figures stop at its end: a stay going on since 2017 counts to 1 January 2018.
    idea_services.idea_move(idea=ideas[1], actor=coordinator, move="take", notify=False)
    IdeaEvent.objects.filter(idea=ideas[1], to_stage="registered").update(created_at=start)
    IdeaEvent.objects.filter(idea=ideas[1], to_stage="in_advice").update(
        created_at=timezone.make_aware(datetime.datetime(2017, 12, 22, 12))
    )
    _funnel, time = selectors.process_tables(
        selectors.Scope([world.partnership], 2017, Municipality.objects.get(code="1880"))
    )
    advice = dict(time.rows)[str(Idea.Stage.IN_ADVICE.label)]
    # Stays of 10 days and of 9.5 (22 December noon to the year's end): median 9.75.
    assert (float(advice[0]), float(advice[1]), advice[2]) == (9.8, 10.0, 2)


def test_the_downloads_hold_the_tables(world, ideas) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    client = client_for(world)
    query = "?year=2017&municipality=1880"
    url = reverse(
        "staff:statistics_download",
        kwargs={"partnership": "orebro", "key": "challenges", "fmt": "csv"},
    )
    response = client.get(url + query)
    assert response["Content-Disposition"].endswith('-2017-1880-challenges.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    table = selectors.table_get(
        selectors.idea_tables(
            selectors.Scope([world.partnership], 2017, Municipality.objects.get(code="1880"))
        ),
        "challenges",
    )
    assert rows == [table.headers, *[[label, str(v[0])] for label, v in table.rows]]
    everything = client.get(
        reverse(
            "staff:statistics_download",
            kwargs={"partnership": "orebro", "key": "all", "fmt": "xlsx"},
        )
        + query
    )
    book = load_workbook(io.BytesIO(everything.content))
    assert (
        len(book.sheetnames)
        == len(selectors.dashboard_tables(selectors.Scope([world.partnership], 2017))) + 1
    )
    sheet = book[book.sheetnames[0]]
    assert [c.value for c in sheet[1]] == table.headers
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == [
        [label, v[0]] for label, v in table.rows
    ]


def test_filters_that_cannot_be_read(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world)
    base = reverse("staff:statistics", kwargs={"partnership": "orebro"})
    page = client.get(base + "?year=1999&municipality=9999")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="error-summary"' in body
    chart = reverse("staff:statistics_chart", kwargs={"partnership": "orebro", "key": "funnel"})
    assert client.get(chart + "?year=abc").status_code == 404
    assert client.get(chart.replace("funnel", "nothing")).status_code == 404
    # A municipality of another region is not one of the choices.
    assert client.get(chart + "?year=&municipality=1780").status_code == 404


def test_national_statistics_cover_every_partnership(world, ideas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, NATIONAL)
    page = client.get(reverse("staff:national_statistics") + "?year=2017")
    assert page.status_code == 200
    tables = html_tables(page.content.decode())
    partnerships = tables[
        next(
            c
            for c in tables
            if c.startswith("Partnerskapen 2017") or c.startswith("The partnerships in 2017")
        )
    ]
    by_region = {row[0]: row for row in partnerships[1:]}
    assert set(by_region) == {"Örebro län", "Värmlands län"}
    assert by_region["Örebro län"][2] == "5"  # ideas of 2017
    assert by_region["Värmlands län"][2] == "0"
    svg = client.get(
        reverse("staff:national_chart", kwargs={"key": "map"}) + "?year=2017"
    ).content.decode()
    values = chart_values(svg)
    regions = selectors.region_places(year=2017)
    assert len(regions) == 21
    orebro = next(i for i, r in enumerate(regions) if r.code == "18")
    assert values[(0, orebro)] == "Örebro län 5"


def test_each_table_can_be_made_alone(world, ideas) -> None:  # type: ignore[no-untyped-def]
    scope = selectors.Scope([world.partnership], 2017)
    every = selectors.dashboard_tables(scope)
    assert set(selectors.BUILDERS) == {t.key for t in every}
    for table in every:
        assert selectors.dashboard_table(scope, table.key) == table


def test_a_drawing_made_by_another_process_is_reused(world, ideas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from soin.reports import charts

    table = selectors.dashboard_table(selectors.Scope([world.partnership], 2017), "challenges")
    charts._drawn.cache_clear()
    first = charts.chart_svg(table)
    # Another worker: nothing of its own kept, and it could not draw.
    charts._drawn.cache_clear()

    def cannot_draw(key: str) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts, "_draw_chart", cannot_draw)
    assert charts.chart_svg(table) == first
    charts._drawn.cache_clear()
    cache.clear()
    with pytest.raises(AssertionError, match="drawn again"):
        charts.chart_svg(table)


def test_a_drawing_is_kept_for_the_same_table_and_language(world, ideas) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from soin.reports import charts

    table = selectors.dashboard_table(selectors.Scope([world.partnership], 2017), "challenges")
    first = charts.chart_svg(table)
    hits = charts._drawn.cache_info().hits
    assert charts.chart_svg(table) == first
    assert charts._drawn.cache_info().hits == hits + 1
    # Another language writes its numbers its own way: drawn anew, not taken from the store.
    table.rows[0] = (table.rows[0][0], [12345])
    with translation.override("en"):
        english = charts.chart_svg(table)
    with translation.override("sv"):
        swedish = charts.chart_svg(table)
    assert "12,345" in english and "12\xa0345" in swedish
