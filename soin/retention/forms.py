"""Forms of the erasure and retention pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soin.retention.models import MAX_MONTHS


class EraseForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        max_length=254,
        help_text=_(
            "Everything the partnership holds with this address is found, in any case "
            "of letters. You see how much before anything is erased."
        ),
    )


class ConfirmEraseForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput, max_length=254)


def _months(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("Whole months, from 1 to 240."),
    )


class RetentionPolicyForm(forms.Form):
    idea_months = _months(_("Carriers' contact details, months after the idea was closed"))
    registration_months = _months(_("Registrations, months after the event ended"))
    subscriber_months = _months(_("Unsubscribed subscribers, months after unsubscribing"))
