"""Checks of the shape of an applicant's details, shared by the forms and the services."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ORG_NUMBER = re.compile(r"^\d{6}-\d{4}$")


def luhn_ok(digits: str) -> bool:
    """Return whether the last digit of ``digits`` is the Luhn check digit of the others."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_number(value: str) -> str:
    """Return a Swedish organisation number written NNNNNN-NNNN (spaces dropped, the hyphen
    added to ten digits); raise ValidationError when it is not one (format or check digit)."""
    text = re.sub(r"\s", "", value or "")
    if re.fullmatch(r"\d{10}", text):
        text = f"{text[:6]}-{text[6:]}"
    if not ORG_NUMBER.match(text):
        raise ValidationError(
            _("Write the organisation number as ten digits, NNNNNN-NNNN."), code="format"
        )
    if not luhn_ok(text.replace("-", "")):
        raise ValidationError(
            _(
                "The organisation number is not valid: check the digits (the last one is a "
                "check digit)."
            ),
            code="check_digit",
        )
    return text
