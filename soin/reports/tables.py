"""A table of figures: what a chart draws, what the page shows beside it as an accessible table,
and what downloads as CSV or XLSX. One shape for every statistic, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Number = int | float | Decimal


@dataclass
class Table:
    key: str
    title: str
    label_header: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]]
    # How the chart draws it: "bar" (the first column, one bar per row), "bars" (every column,
    # grouped), "line" (every column over the rows), or "" for a table without a chart.
    chart: str = "bar"
    # Which column the chart draws for "bar"; which columns for "bars" and "line".
    chart_columns: list[int] = field(default_factory=lambda: [0])
    note: str = ""

    @property
    def headers(self) -> list[str]:
        return [self.label_header, *self.columns]

    def plain_rows(self) -> list[list[Any]]:
        return [[label, *values] for label, values in self.rows]

    def column(self, index: int) -> list[Number]:
        return [values[index] for _label, values in self.rows]

    @property
    def is_empty(self) -> bool:
        return not any(any(v for v in values) for _label, values in self.rows)

    def as_dict(self) -> dict[str, Any]:
        """The table as JSON (a published report keeps its tables so)."""
        return {
            "key": self.key,
            "title": self.title,
            "label_header": self.label_header,
            "columns": self.columns,
            "rows": [[label, [_plain(v) for v in values]] for label, values in self.rows],
            "chart": self.chart,
            "chart_columns": self.chart_columns,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(
            key=data["key"],
            title=data["title"],
            label_header=data["label_header"],
            columns=list(data["columns"]),
            rows=[(label, list(values)) for label, values in data["rows"]],
            chart=data.get("chart", "bar"),
            chart_columns=list(data.get("chart_columns", [0])),
            note=data.get("note", ""),
        )


def _plain(value: Number) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
