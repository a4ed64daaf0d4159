from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soin.core.forms import DateInput
from soin.partners.models import (
    AgreementTemplate,
    ContactPerson,
    Group,
    Organisation,
)
from soin.partners.services import CONTACT_FIELDS, ORGANISATION_FIELDS, ORGANISATION_OWN_FIELDS
from soin.regions.models import Municipality, Partnership


def website_field() -> forms.URLField:
    return forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class OrganisationForm(forms.ModelForm):
    website = website_field()
    joined_on = forms.DateField(
        label=_("Partner since"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for an organisation that is not (yet) a partner."),
    )

    class Meta:
        model = Organisation
        # The form offers exactly what the service lets staff change.
        fields = list(ORGANISATION_FIELDS)

    def __init__(
        self, *args: Any, partnership: Partnership, with_joined: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.filter(region=partnership.region)
        if not with_joined:
            del self.fields["joined_on"]

    def validate_unique(self) -> None:
        # Uniqueness within the partnership is a business rule the service checks.
        pass


class OrganisationOwnForm(forms.ModelForm):
    website = website_field()

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_OWN_FIELDS)


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = list(CONTACT_FIELDS)


class MembershipStartForm(forms.Form):
    joined_on = forms.DateField(label=_("Partner from"), widget=DateInput())


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("Last day as a partner"), widget=DateInput())


class SeatForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=Group.choices)
    since = forms.DateField(label=_("Since"), widget=DateInput())


class SeatEndForm(forms.Form):
    until = forms.DateField(label=_("Until"), widget=DateInput())


class AgreementDraftForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=AgreementTemplate.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = templates


class AgreementEditForm(forms.Form):
    preamble_sv = forms.CharField(label=_("Preamble (Swedish)"), widget=forms.Textarea)
    preamble_en = forms.CharField(label=_("Preamble (English)"), widget=forms.Textarea)
    coordinator_commitments_sv = forms.CharField(
        label=_("The coordinator's commitments (Swedish)"),
        widget=forms.Textarea,
        help_text=_("One commitment per line."),
    )
    coordinator_commitments_en = forms.CharField(
        label=_("The coordinator's commitments (English)"),
        widget=forms.Textarea,
        help_text=_("One commitment per line."),
    )
    partner_commitments_sv = forms.CharField(
        label=_("The partner's commitments (Swedish)"),
        widget=forms.Textarea,
        help_text=_("One commitment per line."),
    )
    partner_commitments_en = forms.CharField(
        label=_("The partner's commitments (English)"),
        widget=forms.Textarea,
        help_text=_("One commitment per line."),
    )


class AgreementSignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: until further notice."),
    )


class AgreementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("partner", _("Partners today")),
            ("former", _("Not partners today")),
        ],
    )
