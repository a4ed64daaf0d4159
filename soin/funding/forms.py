"""Shapes of input for calls, applications and projects. The services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.accounts.models import Role, User
from soin.activities.models import Activity
from soin.core.forms import DateInput
from soin.funding.models import Application, CoFinancing, FundingCall, Programme, Project
from soin.funding.selectors import CallState
from soin.ideas.models import Challenge, Idea
from soin.ideas.selectors import challenges_for
from soin.partners.models import Organisation
from soin.regions.models import Partnership


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_digits=14, decimal_places=0, required=required
    )


def _organisations(partnership: Partnership) -> Any:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


def _multiple(label: Any, **kwargs: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        **kwargs,
    )


class CallFilterForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", _("All")), *Programme.choices], required=False
    )
    challenge = forms.ModelChoiceField(
        label=_("Societal challenge"),
        queryset=Challenge.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *CallState.choices], required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges_for(partnership=partnership)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            "programme": self.cleaned_data["programme"],
            "challenge": self.cleaned_data["challenge"],
            "state": self.cleaned_data["state"],
        }


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    funder = forms.CharField(
        label=_("Funder"), max_length=200, help_text=_("For example: “Tillväxtverket”.")
    )
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    url = forms.URLField(
        label=_("Link to the call"), max_length=500, required=False, assume_scheme="https"
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput(), required=False)
    closes_on = forms.DateField(label=_("Closes (deadline)"), widget=DateInput())
    themes = forms.CharField(
        label=_("Themes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("Societal challenges the call fits"),
        queryset=Challenge.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    watcher = forms.ModelChoiceField(
        label=_("Watched by"), queryset=User.objects.none(), required=False
    )
    interested = _multiple(_("Interested partners"))
    remind_days = forms.IntegerField(
        label=_("Remind this many days before the deadline"),
        min_value=1,
        max_value=180,
        initial=14,
        help_text=_(
            "The interested partners' contact persons and the person watching the call get a "
            "reminder by e-mail, once for each deadline."
        ),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = challenges_for(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["interested"].queryset = _organisations(partnership)  # type: ignore[attr-defined]
        self.fields["watcher"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                roles__partnership=partnership,
                roles__kind__in=[Role.Kind.COORDINATOR, Role.Kind.ADVISOR],
            )
            .distinct()
            .order_by("full_name")
        )

    @classmethod
    def initial_for(cls, call: FundingCall) -> dict[str, Any]:
        data = {f: getattr(call, f) for f in cls.base_fields if hasattr(call, f)}
        data["challenges"] = list(call.challenges.all())
        data["interested"] = list(call.interested.all())
        return data


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=FundingCall.objects.none(),
        required=False,
        help_text=_("Leave empty for an application outside the calls watched."),
    )
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        required=False,
        help_text=_("Taken from the call when left empty."),
    )
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[("", _("As the call")), *Programme.choices],
        required=False,
    )
    lead = forms.ModelChoiceField(label=_("Lead partner"), queryset=Organisation.objects.none())
    partners = _multiple(_("Participating partners"))
    budget = _money(_("Total budget (SEK)"))
    applied = _money(_("Amount applied for (SEK)"))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("Grew from the ideas"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = FundingCall.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("-closes_on")
        self.fields["lead"].queryset = _organisations(partnership)  # type: ignore[attr-defined]
        self.fields["partners"].queryset = _organisations(partnership)  # type: ignore[attr-defined]
        self.fields["ideas"].queryset = Idea.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, merged_into__isnull=True
        ).order_by("title")

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        data = {f: getattr(application, f) for f in cls.base_fields if hasattr(application, f)}
        data["partners"] = list(application.partners.all())
        data["ideas"] = list(application.ideas.all())
        return data


class CoFinancingForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    amount = _money(_("Amount (SEK)"), required=False)
    kind = forms.ChoiceField(
        label=_("Cash or in kind"),
        choices=[("", "–"), *CoFinancing.Kind.choices],
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(partnership)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get("organisation"), data.get("amount"), data.get("kind")]
        if any(v not in (None, "") for v in filled) and not all(
            v not in (None, "") for v in filled
        ):
            raise forms.ValidationError(
                _("Fill in the organisation, the amount and the kind, or leave the line empty.")
            )
        return data

    def line(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data or data.get("organisation") is None:
            return None
        return {
            "organisation": data["organisation"],
            "amount": data["amount"],
            "kind": data["kind"],
        }


CoFinancingFormSet = forms.formset_factory(CoFinancingForm, extra=2, max_num=30)


def co_financing_formset(
    data: Any, *, partnership: Partnership, application: Application | None = None
) -> Any:
    initial = (
        [
            {"organisation": c.organisation, "amount": c.amount, "kind": c.kind}
            for c in application.co_financing.all()
        ]
        if application is not None
        else []
    )
    return CoFinancingFormSet(
        data, initial=initial, prefix="cofin", form_kwargs={"partnership": partnership}
    )


class MoveForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class GrantForm(MoveForm):
    name = forms.CharField(
        label=_("Project name"),
        max_length=250,
        required=False,
        help_text=_("The application's title when left empty."),
    )
    starts_on = forms.DateField(label=_("Project starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Project ends"), widget=DateInput())
    description = forms.CharField(
        label=_("Project description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The application's description when left empty."),
    )

    def project(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("name", "starts_on", "ends_on", "description")}


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    lead = forms.ModelChoiceField(label=_("Lead partner"), queryset=Organisation.objects.none())
    partners = _multiple(_("Partner organisations"))
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    funder = forms.CharField(label=_("Funder"), max_length=200, required=False)
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", "–"), *Programme.choices], required=False
    )
    budget = _money(_("Budget (SEK)"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(
        self, *args: Any, partnership: Partnership, leads: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = (  # type: ignore[attr-defined]
            leads if leads is not None else _organisations(partnership)
        )
        self.fields["partners"].queryset = _organisations(partnership)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        data = {f: getattr(project, f) for f in cls.base_fields if hasattr(project, f)}
        data["partners"] = list(project.partners.all())
        return data


class ResultForm(forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingLinkForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Activity.objects.none())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
