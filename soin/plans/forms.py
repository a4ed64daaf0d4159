"""Shapes of input for activity plans; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.activities.models import Activity
from soin.core.forms import DateInput
from soin.partners.models import Organisation
from soin.plans import selectors
from soin.plans.models import Area, FollowUp, Item, Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title_sv", "title_en", "first_year", "last_year", "adopted_on"]
        widgets = {"adopted_on": DateInput()}
        help_texts = {"adopted_on": _("Set when the plan is adopted.")}

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["adopted_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year cannot come before the first."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)
    adopted_on = forms.DateField(label=_("Adopted on"), required=False, widget=DateInput())


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["title_sv", "title_en", "position"]


class ItemForm(forms.ModelForm):
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Item
        fields = [
            "area",
            "title_sv",
            "title_en",
            "description_sv",
            "description_en",
            "goal_sv",
            "goal_en",
            "responsible",
            "responsible_text",
            "position",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("description_sv", "description_en", "goal_sv", "goal_en")
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = plan.areas.order_by("position", "pk")  # type: ignore[attr-defined]
        self.fields["area"].empty_label = None  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnership=plan.partnership
        ).order_by("name")
        self.fields["position"].required = False

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.fields}
        data["responsible"] = list(data["responsible"])
        return data


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{timezone.localtime(obj.starts_at):%Y-%m-%d} {obj.title}"


class FollowUpForm(forms.ModelForm):
    meeting = MeetingChoice(
        label=_("Presented at the plenary meeting"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("Not at a meeting"),
    )

    class Meta:
        model = FollowUp
        fields = ["status", "text", "reported_on", "meeting"]
        widgets = {"reported_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "reported_on": _("Empty: the meeting's day, or today."),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = selectors.plenary_meetings(plan=plan)  # type: ignore[attr-defined]
        self.fields["reported_on"].required = False
        self.fields["status"].choices = FollowUp.Status.choices  # type: ignore[attr-defined]
