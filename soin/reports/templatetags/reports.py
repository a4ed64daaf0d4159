from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from soin.reports.charts import number

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A number in a statistics table, written as the chart beside it writes it."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    return number(value)
