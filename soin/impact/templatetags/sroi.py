"""Numbers of an SROI analysis as the pages write them: sums to the krona, ratios to two
decimals, shares as percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from soin.impact import sroi

register = template.Library()


@register.filter
def sek(value: Any) -> str:
    """A sum of money to the krona, grouped as the active language groups it."""
    if value is None or value == "":
        return "–"
    return number_format(sroi.krona(Decimal(value)), decimal_pos=0, force_grouping=True)


@register.filter
def ratio(value: Any) -> str:
    """An SROI ratio to two decimals (3,25 : 1 is written 3,25)."""
    if value is None:
        return _("no ratio without an investment")
    return number_format(sroi.two_decimals(Decimal(value)), decimal_pos=2)


@register.filter
def amount(value: Any) -> str:
    """A quantity or a proxy value: decimals only where there are some."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0, force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


@register.filter
def pct(value: Any) -> str:
    if value is None:
        return "–"
    value = Decimal(value)
    shown = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
    return f"{number_format(shown)} %"
