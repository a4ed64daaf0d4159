from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.activities.models import INTERNAL_KINDS, Activity, Kind, MeetingItem
from soin.core.forms import DateInput, stamp_field
from soin.partners.models import Organisation
from soin.regions.models import Municipality, Partnership


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


def _organisations(partnership: Partnership) -> Any:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title_sv = forms.CharField(label=_("Title (Swedish)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description_sv = forms.CharField(
        label=_("Description (Swedish)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For example: “Idrottens Hus”."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosting organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_public = forms.BooleanField(label=_("Show on the public calendar"), required=False)
    registration_open = forms.BooleanField(
        label=_("Take registrations on the public page"), required=False
    )
    capacity = forms.IntegerField(
        label=_("Seats"), min_value=1, required=False, help_text=_("Empty for no limit.")
    )
    registration_deadline = forms.DateField(
        label=_("Register by"),
        widget=DateInput(),
        required=False,
        help_text=_("Registration closes at the end of this day."),
    )
    offer_hours = forms.IntegerField(
        label=_("Hours to accept a freed seat"),
        min_value=1,
        max_value=336,
        initial=48,
        help_text=_("How long the next person on the waiting list has to take a freed seat."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            region=partnership.region
        )
        for name in ("hosts", "participants"):
            self.fields[name].queryset = _organisations(partnership)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        tz = timezone.get_current_timezone()
        data = {f: getattr(activity, f) for f in cls.base_fields if hasattr(activity, f)}
        data["starts_at"] = timezone.localtime(activity.starts_at, tz)
        data["ends_at"] = timezone.localtime(activity.ends_at, tz)
        data["hosts"] = list(activity.hosts.all())
        data["participants"] = list(activity.participants.all())
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("offer_hours") is None:
            data["offer_hours"] = 48
        return data


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in Kind if k in INTERNAL_KINDS]
    )
    title_sv = forms.CharField(label=_("Title (Swedish)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    first_start = _datetime_field(_("First meeting starts"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=1, max_value=1440, initial=120
    )
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=52, initial=3
    )
    until = forms.DateField(label=_("Last day of the series"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosting organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("For the working committee: the organisations with a seat in it."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            region=partnership.region
        )
        for name in ("hosts", "participants"):
            self.fields[name].queryset = _organisations(partnership)  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=300)


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )


class MeetingItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision or action"), choices=MeetingItem.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _organisations(partnership)  # type: ignore[attr-defined]


WHEN_CHOICES = [
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
]


class FilterForm(forms.Form):
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            region=partnership.region
        ).order_by("name")

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "when": data.get("when") or "upcoming",
            "kind": data.get("kind") or "",
            "municipality": data.get("municipality"),
        }


class StaffFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = [("", _("All")), *WHEN_CHOICES]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "when": data.get("when") or "",
            "kind": data.get("kind") or "",
            "municipality": data.get("municipality"),
            "year": data.get("year"),
        }


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    dietary_needs = forms.CharField(
        label=_("Food preferences or allergies"), max_length=300, required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        help_text=_("For example: hearing loop, step-free access, sign language interpreter."),
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal data is used and agree to it."),
        error_messages={"required": _("We cannot register you without your consent.")},
    )
    # The honeypot: hidden from people by CSS, from assistive technology by aria-hidden, and
    # out of the tab order; robots fill it in.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = stamp_field()

    hidden_from_people = ("homepage",)

    def filled_in_honeypot(self) -> bool:
        return bool(self.data.get("homepage"))


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args: Any, seats: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name) for r in seats]  # type: ignore[attr-defined]
