"""One renderer for every chart and map, in pages and in reports: matplotlib drawing SVG.

Text stays text in the SVG (``svg.fonttype`` none), each value drawn on a chart carries the id
``<key>-value-<column>-<row>`` so that a test can read the numbers back and compare them with
the table, and the SVG has a ``<title>`` and ``role="img"``. Bars of different series differ in
hatching as well as colour, and every bar and map mark has its number written beside it, so
nothing is told by colour alone.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from soin.core.text import xml_safe
from soin.reports.tables import Number, Table

COLOURS = ["#1d4f91", "#b3541e", "#2e7d32", "#6a1b9a"]
HATCHES = ["", "//", "..", "xx"]
TEXT = "#1a1a1a"
RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "soin",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "hatch.color": "#ffffff",
    # Names are names: "$" in a label is a dollar sign, never the start of a formula.
    "text.parse_math": False,
}
DATA = Path(__file__).resolve().parent.parent / "regions" / "data"


def number(value: Number) -> str:
    """A number as Swedish and English readers expect it in the active language."""
    if isinstance(value, float | Decimal) and value != int(value):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(int(value), force_grouping=True)


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _svg(figure: Any, title: str, fmt: str = "svg", key: str = "chart") -> Any:
    import matplotlib

    if fmt == "png":
        raw = io.BytesIO()
        with matplotlib.rc_context(RC):
            figure.savefig(raw, format="png", dpi=150)
        return raw.getvalue()
    out = io.StringIO()
    with matplotlib.rc_context(RC):
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    # Styles become presentation attributes: every SVG reader (browsers, WeasyPrint) knows
    # them, and the chart carries no inline CSS.
    svg = re.sub(r"\s*<defs>\s*<style[^<]*</style>\s*</defs>", "", svg)
    svg = re.sub(r' style="([^"]*)"', _attributes, svg)
    # Every id is prefixed with the chart's key, so that several charts fit in one document.
    svg = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{key}-\2", svg)
    svg = re.sub(
        r"<svg ",
        f'<svg role="img" aria-labelledby="{key}-title" ',
        svg,
        count=1,
    )
    return re.sub(
        r"(<svg[^>]*>)",
        lambda m: f'{m.group(1)}\n <title id="{key}-title">{escape(xml_safe(title))}</title>',
        svg,
        count=1,
    )


def _attributes(match: re.Match[str]) -> str:
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def inline(svg: str) -> SafeString:
    """An SVG drawn here, for a page: its text was escaped by the renderer, and it has no
    script and no inline CSS (the Content Security Policy holds)."""
    return mark_safe(svg)


def _wrap(label: str, width: int = 38) -> str:
    label = xml_safe(label)
    return "\n".join(textwrap.wrap(label, width)) or label


# matplotlib keeps its settings and font caches in the process and is not thread-safe: one
# drawing at a time (a threaded server draws a page's charts in parallel otherwise).
DRAWING = threading.RLock()


def chart_svg(table: Table, fmt: str = "svg") -> Any:
    """Draw ``table`` as its ``chart`` says (SVG text, or PNG bytes with ``fmt="png"``). The
    same table in the same language gives the same drawing, so drawings are kept for reuse."""
    key = json.dumps([table.as_dict(), fmt, get_language()], sort_keys=True, default=str)
    return _drawn(key)


# The drawing code's own version: drawings made by other code are not reused.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def kept(spec: str, draw: Callable[[], Any]) -> Any:
    """``draw()``, or the drawing made for the same ``spec`` before: by any process, since
    drawings are kept in the shared cache too (a drawing is named by what it shows, so it is
    never out of date, and by the code that draws it, so a new version draws anew). A server's
    workers and every application server draw a chart once, not once each."""
    name = f"soin:drawing:{_CODE}:" + hashlib.sha256(spec.encode()).hexdigest()
    drawing = cache.get(name)
    if drawing is None:
        drawing = draw()
        cache.set(name, drawing)
    return drawing


@functools.lru_cache(maxsize=128)
def _drawn(key: str) -> Any:
    return kept(f"chart:{key}", lambda: _draw_chart(key))


def _draw_chart(key: str) -> Any:
    import matplotlib

    data, fmt, _language = json.loads(key)
    table = Table.from_dict(data)
    with DRAWING, matplotlib.rc_context(RC):
        if table.chart == "line":
            return _line(table, fmt)
        return _bars(table, fmt)


def _bars(table: Table, fmt: str) -> Any:
    columns = table.chart_columns if table.chart == "bars" else table.chart_columns[:1]
    labels = [_wrap(label) for label, _values in table.rows]
    lines = sum(label.count("\n") + 1 for label in labels)
    band = 0.8 / len(columns)
    height = max(1.6, 0.7 + 0.2 * lines + 0.22 * len(labels) * len(columns))
    figure = _figure(7.5, height)
    ax = figure.add_subplot()
    positions = list(range(len(labels)))
    most = max([float(v) for c in columns for v in table.column(c)] or [0]) or 1
    for n, column in enumerate(columns):
        values = [float(v) for v in table.column(column)]
        offsets = [p - 0.4 + band * (n + 0.5) for p in positions]
        bars = ax.barh(
            offsets,
            values,
            height=band * 0.9,
            color=COLOURS[n % len(COLOURS)],
            hatch=HATCHES[n % len(HATCHES)],
            label=xml_safe(table.columns[column]),
            edgecolor="#ffffff" if HATCHES[n % len(HATCHES)] else COLOURS[n % len(COLOURS)],
        )
        # Grouped bars leave a zero unlabelled (there is no bar); a single series says "0".
        texts = ax.bar_label(
            bars,
            labels=[number(v) if v or len(columns) == 1 else "" for v in table.column(column)],
            padding=3,
            color=TEXT,
        )
        for row, text in enumerate(texts):
            text.set_gid(f"value-{column}-{row}")
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, most * 1.15)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if len(columns) > 1:
        ax.legend(loc="lower right", frameon=False)
    return _svg(figure, table.title, fmt, table.key)


def _line(table: Table, fmt: str) -> Any:
    figure = _figure(7.5, 3.0)
    ax = figure.add_subplot()
    labels = [xml_safe(label) for label, _values in table.rows]
    positions = list(range(len(labels)))
    markers = ["o", "s", "^", "D"]
    for n, column in enumerate(table.chart_columns):
        values = [float(v) for v in table.column(column)]
        ax.plot(
            positions,
            values,
            marker=markers[n % len(markers)],
            color=COLOURS[n % len(COLOURS)],
            label=xml_safe(table.columns[column]),
            linestyle=["-", "--", ":", "-."][n % 4],
        )
        for row, value in enumerate(table.column(column)):
            text = ax.annotate(
                number(value),
                (row, float(value)),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                color=TEXT,
                fontsize=8,
            )
            text.set_gid(f"value-{column}-{row}")
    ax.set_xticks(positions, labels)
    top = max([float(v) for c in table.chart_columns for v in table.column(c)] or [0]) or 1
    ax.set_ylim(0, top * 1.2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(table.chart_columns) > 1:
        ax.legend(frameon=False)
    return _svg(figure, table.title, fmt, table.key)


# The schematic map ------------------------------------------------------------------------


@functools.cache
def seats(kind: str) -> dict[str, tuple[float, float, str]]:
    """The seats (latitude, longitude) of municipalities or regions we ship: public facts."""
    path = DATA / f"{kind}_seats.csv"
    with path.open(encoding="utf-8") as f:
        return {
            row["code"]: (float(row["lat"]), float(row["lon"]), row["label"])
            for row in csv.DictReader(f)
        }


def _positions(codes: Sequence[str], kind: str) -> dict[str, tuple[float, float, str]]:
    """Where each place goes: its seat by latitude and longitude (x scaled by the cosine of
    the latitude), or, where a seat is missing, a tile grid in the order given."""
    known = seats(kind)
    if codes and all(code in known for code in codes):
        mean = math.radians(sum(known[c][0] for c in codes) / len(codes))
        return {c: (known[c][1] * math.cos(mean), known[c][0], known[c][2]) for c in codes}
    width = max(1, math.ceil(math.sqrt(len(codes))))
    return {c: (float(i % width), float(-(i // width)), "right") for i, c in enumerate(codes)}


def map_svg(
    places: Sequence[Any],
    *,
    title: str,
    kind: str = "municipality",
    layers: Sequence[str] = (),
    fmt: str = "svg",
    key: str = "map",
) -> Any:
    """A schematic map: one panel per layer ("ideas", "activities"), each place a circle at its
    seat whose area grows with its number; a place with none is an empty dashed ring. Every
    place's name and number are written beside it. The same places and numbers in the same
    language give the same drawing, kept for reuse like the charts'."""
    drawn = [(p.code, p.name, int(p.ideas), int(p.activities)) for p in places]
    return _map_drawn(json.dumps([drawn, str(title), kind, list(layers), fmt, key, get_language()]))


@functools.lru_cache(maxsize=64)
def _map_drawn(spec: str) -> Any:
    return kept(f"map:{spec}", lambda: _draw_map(spec))


def _draw_map(spec: str) -> Any:
    import matplotlib

    drawn, title, kind, layers, fmt, key, _language = json.loads(spec)
    places = [SimpleNamespace(code=c, name=n, ideas=i, activities=a) for c, n, i, a in drawn]
    layers = list(layers) or ["ideas", "activities"]
    names = {"ideas": _("Ideas"), "activities": _("Activities")}
    with DRAWING, matplotlib.rc_context(RC):
        positions = _positions([p.code for p in places], kind)
        xs = [positions[p.code][0] for p in places]
        ys = [positions[p.code][1] for p in places]
        span_x = (max(xs) - min(xs)) or 1
        span_y = (max(ys) - min(ys)) or 1
        panel_height = 5.2 if kind == "municipality" else 6.5
        panel_width = max(2.8, min(4.2, panel_height * span_x / span_y + 1.8))
        figure = _figure(panel_width * len(layers), panel_height + 0.4)
        axes = figure.subplots(1, len(layers), squeeze=False)[0]
        for column, (ax, layer) in enumerate(zip(axes, layers, strict=True)):
            counts = [int(getattr(p, layer)) for p in places]
            most = max(counts) or 1
            for row, (place, count) in enumerate(zip(places, counts, strict=True)):
                x, y, side = positions[place.code]
                size = 40 + 600 * count / most if count else 40
                if count:
                    ax.scatter(
                        [x],
                        [y],
                        s=size,
                        color=COLOURS[column % len(COLOURS)],
                        alpha=0.85,
                        edgecolors="#ffffff",
                        linewidths=0.8,
                        zorder=2,
                    )
                else:
                    ax.scatter(
                        [x],
                        [y],
                        s=size,
                        facecolors="none",
                        edgecolors="#555555",
                        linestyles="dashed",
                        linewidths=1,
                        zorder=2,
                    )
                # The label starts just outside the mark, whatever its size.
                gap = math.sqrt(size) / 2 + 3
                text = ax.annotate(
                    f"{xml_safe(place.name)} {number(count)}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(gap if side == "right" else -gap, 0),
                    ha="left" if side == "right" else "right",
                    va="center",
                    fontsize=8,
                    color=TEXT,
                    zorder=3,
                )
                text.set_gid(f"value-{column}-{row}")
            ax.set_title(names.get(layer, layer), color=TEXT)
            ax.set_aspect("equal", adjustable="datalim")
            ax.margins(x=0.45, y=0.06)
            ax.set_axis_off()
        return _svg(figure, title, fmt, key)
