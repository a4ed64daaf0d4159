"""Shapes of input for analyses and the bank of proxies (the services check the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.funding.models import Project
from soin.ideas.models import Idea
from soin.impact import selectors
from soin.impact.models import Analysis, FinancialProxy, Outcome, Stakeholder
from soin.knowledge.models import Entry
from soin.regions.models import Partnership


def _percent(label: Any, initial: Decimal = Decimal(0)) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": "any"}),
        error_messages={
            "min_value": _("Enter a percentage from 0 to 100."),
            "max_value": _("Enter a percentage from 0 to 100."),
        },
    )


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        required=required,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class AnalysisForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    idea = forms.ModelChoiceField(
        label=_("Idea"),
        queryset=Idea.objects.none(),
        required=False,
        empty_label=_("(not an idea)"),
        help_text=_(
            "What is analysed: an idea, an entry of the knowledge bank or a joint project."
        ),
    )
    entry = forms.ModelChoiceField(
        label=_("Innovation in the knowledge bank"),
        queryset=Entry.objects.none(),
        required=False,
        empty_label=_("(not an entry of the bank)"),
    )
    project = forms.ModelChoiceField(
        label=_("Joint project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("(not a project)"),
    )
    first_year = forms.IntegerField(label=_("First year"), min_value=2000)
    discount_rate = _percent(_("Discount rate (%)"), Decimal("3.50"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The scope of the analysis: what, for whom, over which period."),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, analysis: Analysis | None = None, **kw: Any
    ) -> None:
        if analysis is not None:
            kw.setdefault(
                "initial",
                {
                    "title": analysis.title,
                    "idea": analysis.idea_id,
                    "entry": analysis.entry_id,
                    "project": analysis.project_id,
                    "first_year": analysis.first_year,
                    "discount_rate": analysis.discount_rate,
                    "description": analysis.description,
                },
            )
        super().__init__(*args, **kw)
        ideas, entries, projects = selectors.innovations_for(partnership=partnership)
        fields: dict[str, Any] = self.fields
        fields["idea"].queryset = ideas
        fields["entry"].queryset = entries
        fields["project"].queryset = projects
        fields["first_year"].initial = timezone.localdate().year


class StakeholderForm(forms.Form):
    name = forms.CharField(label=_("Stakeholder"), max_length=200)
    description = forms.CharField(
        label=_("How the stakeholder is involved"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _PartForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none()
    )

    def __init__(self, *args: Any, analysis: Analysis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["stakeholder"].queryset = analysis.stakeholders.order_by("pk")


class InputForm(_PartForm):
    description = forms.CharField(label=_("Input"), max_length=300)
    value = _money(_("Value (SEK)"))


class OutcomeForm(_PartForm):
    output = forms.CharField(
        label=_("Output"),
        required=False,
        max_length=300,
        help_text=_("What the activity delivers, counted (for example: 20 people trained)."),
    )
    description = forms.CharField(label=_("Outcome"), max_length=300)
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    quantity = _money(_("Quantity"))
    proxy = forms.ModelChoiceField(
        label=_("Financial proxy from the bank"),
        queryset=FinancialProxy.objects.none(),
        required=False,
        empty_label=_("(a proxy of this analysis's own, below)"),
    )
    proxy_value = _money(_("Proxy value for this analysis (SEK)"), required=False)
    proxy_source = forms.CharField(label=_("Source of that proxy"), required=False, max_length=2000)
    proxy_source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=200, assume_scheme="https"
    )
    deadweight = _percent(_("Deadweight (%)"))
    displacement = _percent(_("Displacement (%)"))
    attribution = _percent(_("Attribution (%)"))
    drop_off = _percent(_("Drop-off (%)"))
    duration = forms.IntegerField(
        label=_("Duration (years)"),
        min_value=1,
        max_value=50,
        initial=1,
        error_messages={
            "min_value": _("Enter a duration from 1 to 50 years."),
            "max_value": _("Enter a duration from 1 to 50 years."),
        },
    )

    def __init__(
        self, *args: Any, analysis: Analysis, outcome: Outcome | None = None, **kwargs: Any
    ) -> None:
        if outcome is not None:
            kwargs.setdefault(
                "initial",
                {
                    field: (
                        getattr(outcome, f"{field}_id")
                        if field in ("stakeholder", "proxy")
                        else getattr(outcome, field)
                    )
                    for field in self.base_fields
                },
            )
        super().__init__(*args, analysis=analysis, **kwargs)
        choices = selectors.proxy_choices()
        if outcome is not None and outcome.proxy_id is not None:
            # The version the outcome uses stays a choice, retired or not.
            choices = FinancialProxy.objects.filter(pk=outcome.proxy_id) | choices
        fields: dict[str, Any] = self.fields
        fields["proxy"].queryset = choices.order_by("stakeholder", "outcome", "version")
        fields["proxy"].label_from_instance = _proxy_label


def _proxy_label(proxy: FinancialProxy) -> str:
    figures = f"{proxy.value} {proxy.currency}, {proxy.price_year}, v{proxy.version}"
    return f"{proxy.outcome} — {proxy.stakeholder} ({figures})"


class ProxyForm(forms.Form):
    stakeholder = forms.CharField(label=_("Stakeholder"), max_length=200)
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    value = _money(_("Proxy value"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="SEK")
    price_year = forms.IntegerField(label=_("Price year"), min_value=1990)
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the value comes from: a publication, a statistic, a study."),
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=200, assume_scheme="https"
    )

    def __init__(self, *args: Any, proxy: FinancialProxy | None = None, **kwargs: Any) -> None:
        if proxy is not None:
            kwargs.setdefault("initial", {f: getattr(proxy, f) for f in self.base_fields})
        super().__init__(*args, **kwargs)
        if proxy is None:
            self.fields["price_year"].initial = timezone.localdate().year


class ProxySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stakeholder = forms.ChoiceField(label=_("Stakeholder"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facets = selectors.proxy_facets()
        fields: dict[str, Any] = self.fields
        fields["stakeholder"].choices = [("", _("Every stakeholder"))] + [
            (s, s) for s in facets["stakeholder"]
        ]
        fields["outcome"].choices = [("", _("Every outcome"))] + [(o, o) for o in facets["outcome"]]

    def criteria(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {
            "query": self.cleaned_data["q"],
            "stakeholder": self.cleaned_data["stakeholder"],
            "outcome": self.cleaned_data["outcome"],
        }


class ProxyMoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)
