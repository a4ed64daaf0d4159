from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.accounts.models import Role, User
from soin.activities.models import Activity
from soin.activities.selectors import places_to_meet_ideas
from soin.core.forms import DateInput
from soin.ideas.models import CarrierContact, Challenge, Idea
from soin.ideas.selectors import challenges_for
from soin.partners.models import Organisation
from soin.regions.models import Municipality, Partnership


class IntakeFields(forms.Form):
    """What every channel asks about an idea and its carrier."""

    title = forms.CharField(
        label=_("A short name for the idea"),
        max_length=200,
        help_text=_("For example: “Repair café in the library”."),
    )
    description = forms.CharField(
        label=_("Your idea in your own words"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "What would you like to change, for whom, and how? A few sentences are enough."
        ),
    )
    carrier_category = forms.ChoiceField(
        label=_("Who brings the idea?"),
        choices=Idea.CarrierCategory.choices,
        widget=forms.RadioSelect,
    )
    carrier_organisation = forms.CharField(
        label=_("Association, company or body"),
        max_length=200,
        required=False,
        help_text=_("If you bring the idea on behalf of an organisation."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Where the idea would make a difference."),
    )
    carrier_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    carrier_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    carrier_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(region=partnership.region)

    def intake_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in IntakeFields.base_fields}


def consent_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class PublicIdeaForm(IntakeFields):
    """The citizen's form. Spam is kept out without third-party services: a field people do
    not see (robots fill it in), and a minimum time between first showing the form and
    sending it, measured from a stamp that is signed, tied to the visitor's session and used
    once (soin.core.submissions)."""

    consent = forms.BooleanField(
        label=_("I have read how my personal data will be handled and agree to it."),
    )
    # The honeypot: hidden from people by CSS, from assistive technology by aria-hidden, and
    # out of the tab order.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Which information the citizen was shown before consenting (a fingerprint of the text).
    consent_shown = forms.CharField(widget=forms.HiddenInput, required=False)
    hidden_from_people = ("homepage",)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("carrier_email") or data.get("carrier_phone")):
            self.add_error(
                "carrier_email",
                _("Give an e-mail address or a phone number so that we can reach you."),
            )
        return data

    def filled_in_honeypot(self) -> bool:
        return bool(self.data.get("homepage"))


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = f" ({obj.municipality.name})" if obj.municipality else ""
        return f"{timezone.localtime(obj.starts_at):%Y-%m-%d} {obj.title}{where}"


class RegisterIdeaForm(IntakeFields):
    channel = forms.ChoiceField(
        label=_("Where was the idea met?"),
        choices=[
            c for c in Idea.Channel.choices if c[0] not in (Idea.Channel.WEB, Idea.Channel.PARTNER)
        ],
    )
    received_on = forms.DateField(label=_("Date"), widget=DateInput())
    activity = ActivityChoiceField(
        label=_("At which activity?"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("The outreach stop, seminar or meeting where the idea was met, if any."),
    )

    field_order = [
        "channel",
        "received_on",
        "activity",
        "title",
        "description",
        "carrier_category",
        "carrier_organisation",
        "municipality",
        "carrier_name",
        "carrier_email",
        "carrier_phone",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("The idea as the carrier told it")
        self.fields["carrier_category"].label = _("Who brings the idea")
        self.fields["carrier_name"].label = _("The carrier's name")
        self.fields["carrier_category"].widget = forms.Select(choices=Idea.CarrierCategory.choices)
        activity = self.fields["activity"]
        assert isinstance(activity, forms.ModelChoiceField)
        activity.queryset = places_to_meet_ideas(partnership=kwargs["partnership"])
        self.order_fields(self.field_order)


class ChannelIdeaForm(IntakeFields):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class MoveForm(forms.Form):
    note = forms.CharField(
        label=_("Why (shown on the idea's timeline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    referred_to = forms.ModelChoiceField(
        label=_("To which partner"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referred_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(partnership=partnership)


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why the extended group"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Idea.Outcome.choices, required=False)
    note = forms.CharField(
        label=_("About the outcome"),
        required=False,
        max_length=300,
        help_text=_("For example the body the idea was handed to."),
    )


class CarrierContactForm(forms.ModelForm):
    class Meta:
        model = CarrierContact
        fields = ["happened_on", "means", "summary"]
        widgets = {"happened_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class DocumentationForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = [
            "solution_type",
            "challenges",
            "new_for",
            "similar_solutions",
            "evaluated",
            "evaluation",
            "evidence_level",
            "can_spread",
            "spread_to",
        ]
        widgets = {
            "challenges": forms.CheckboxSelectMultiple,
            "similar_solutions": forms.Textarea(attrs={"rows": 3}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "spread_to": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["challenges"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = challenges_for(partnership=partnership)


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Text or number"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Idea.Stage.choices]
    )
    challenge = forms.ModelChoiceField(
        label=_("Societal challenge"),
        required=False,
        queryset=Challenge.objects.none(),
        empty_label=_("All challenges"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("All municipalities"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Idea.Channel.choices]
    )
    handler = forms.ModelChoiceField(
        label=_("Handler"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("All handlers"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        challenge = self.fields["challenge"]
        municipality = self.fields["municipality"]
        assert isinstance(challenge, forms.ModelChoiceField)
        assert isinstance(municipality, forms.ModelChoiceField)
        challenge.queryset = challenges_for(partnership=partnership)
        municipality.queryset = Municipality.objects.filter(region=partnership.region)
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ModelChoiceField)
        handler.queryset = User.objects.filter(
            roles__partnership=partnership,
            roles__kind__in=[Role.Kind.COORDINATOR, Role.Kind.ADVISOR],
        ).distinct()


class ChallengeForm(forms.Form):
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=250)
    name_en = forms.CharField(label=_("Name (English)"), max_length=250, required=False)
