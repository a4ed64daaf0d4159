from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.regions.models import Municipality, Partnership
from soin.reports.figures import SECTIONS
from soin.reports.models import KeyFigure


class StatisticsFilterForm(forms.Form):
    """The dashboard's filters: a year (or every year) and a municipality of the region."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("The whole region"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, years: list[int], region: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["year"].choices = [("", _("Every year")), *[(y, str(y)) for y in years]]
        if region is None:
            del fields["municipality"]
        else:
            fields["municipality"].queryset = Municipality.objects.filter(region=region)


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(MaxValueValidator(timezone.localdate().year))
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year - 1


class NarrativeForm(forms.Form):
    """The report's texts, a Swedish and an English field per section."""

    def __init__(self, *args: Any, report: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            for language, name in (("sv", _("Swedish")), ("en", _("English"))):
                self.fields[f"{key}_{language}"] = forms.CharField(
                    label=f"{label} ({name})",
                    required=False,
                    max_length=20_000,
                    initial=report.text(key, language),
                    widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
                )

    def narrative(self) -> dict[str, dict[str, str]]:
        return {
            key: {lang: self.cleaned_data[f"{key}_{lang}"] for lang in ("sv", "en")}
            for key, _label in SECTIONS
        }


class MoveForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why"), required=False, max_length=500)


class KeyFigureForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("link to the source"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = KeyFigure
        fields = ["year", "municipality", "measure", "value", "source", "source_url"]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["municipality"].queryset = Municipality.objects.filter(region=partnership.region)
        fields["municipality"].empty_label = _("The whole region")
        fields["year"].validators.append(MaxValueValidator(timezone.localdate().year))
        if not self.instance.pk:
            fields["year"].initial = timezone.localdate().year - 1

    def validate_unique(self) -> None:
        # The service checks that a figure is entered once, with a message that says what to do.
        pass
