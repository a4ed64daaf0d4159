"""The self-service form: the address a person asks about."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soin.core.forms import stamp_field
from soin.newsletter.forms import HoneypotMixin, _honeypot


class DataRequestForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the link to this address only."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    homepage = _honeypot()
    started = stamp_field()
