"""Shapes of input for small development grants. Forms check shape; the services check the
rules (the maximum, the budget's total, the amount granted, the payments)."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.core.forms import DateInput
from soin.grants.models import Grant, max_amount
from soin.grants.validators import normalise_org_number
from soin.regions.models import Municipality, Partnership

# The largest sum the database keeps in a whole-krona field (PositiveIntegerField).
LARGEST_SUM = 2_147_483_647


class ApplicationFields(forms.Form):
    """What every application holds, from the web form or registered by staff."""

    association_name = forms.CharField(label=_("Name of the association"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=13,
        help_text=_("Ten digits, NNNNNN-NNNN."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        help_text=_("Where the project takes place."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    title = forms.CharField(label=_("Project title"), max_length=200)
    purpose = forms.CharField(
        label=_("The project's purpose"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you want to do, for whom, and what it should lead to."),
    )
    amount_applied = forms.IntegerField(label=_("Amount applied for (SEK)"), min_value=1)
    co_financing = forms.IntegerField(
        label=_("Co-financing and own contribution (SEK)"),
        min_value=0,
        max_value=LARGEST_SUM,
        initial=0,
        help_text=_("Money from others and the value of your own work and premises."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(region=partnership.region)
        self.fields["amount_applied"].help_text = _(
            "At most %(limit)s, and not more than the budget's total."
        ) % {"limit": f"{max_amount():,}".replace(",", "\u00a0") + "\u00a0kr"}

    def clean_org_number(self) -> str:
        return normalise_org_number(self.cleaned_data["org_number"])

    def application_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ApplicationFields.base_fields}


def consent_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class PublicGrantForm(ApplicationFields):
    consent = forms.BooleanField(
        label=_("I have read how the personal data will be handled."),
    )
    # The honeypot: hidden from people by CSS, from assistive technology by aria-hidden.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # Which information the applicant was shown before consenting (a fingerprint of the text).
    consent_shown = forms.CharField(widget=forms.HiddenInput, required=False)
    # The form's single-use stamp (soin.core.submissions).
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    hidden_from_people = ("homepage",)

    def filled_in_honeypot(self) -> bool:
        return bool(self.data.get("homepage"))


class RegisterGrantForm(ApplicationFields):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (Grant.Channel.POST, Grant.Channel.POST.label),
            (Grant.Channel.EMAIL, Grant.Channel.EMAIL.label),
        ],
    )
    received_on = forms.DateField(label=_("Received"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language for mails to the applicant"),
        choices=[("sv", _("Swedish")), ("en", _("English"))],
    )
    field_order = ["channel", "received_on", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].required = False
        self.fields["received_on"].initial = timezone.localdate()


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = forms.IntegerField(
        label=_("Amount (SEK)"), min_value=1, max_value=LARGEST_SUM, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("item") and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Write the amount of this line."))
        if data.get("amount") and not data.get("item"):
            self.add_error("item", _("Write what this line is for."))
        return data


class BaseBudgetFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not budget_lines(self):
            raise ValidationError(_("Give at least one line of the budget."))


def budget_lines(formset: forms.BaseFormSet) -> list[tuple[str, int]]:
    """Return the filled-in lines of a valid budget formset as (item, amount)."""
    return [
        (f.cleaned_data["item"], f.cleaned_data["amount"])
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and f.cleaned_data.get("item")
    ]


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetFormSet, extra=4, max_num=20, absolute_max=20
)


class ApproveForm(forms.Form):
    amount_granted = forms.IntegerField(label=_("Amount granted (SEK)"), min_value=1)
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount = forms.IntegerField(label=_("Amount (SEK)"), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FollowupForm(forms.Form):
    done = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What came out of it, for whom, and what happens next."),
    )
    costs = forms.IntegerField(label=_("Actual costs (SEK)"), min_value=0, max_value=LARGEST_SUM)


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *Grant.State.choices]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"state": data.get("state") or "", "year": data.get("year")}
