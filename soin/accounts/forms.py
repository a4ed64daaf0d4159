from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from soin.accounts.models import Role
from soin.partners.models import Organisation
from soin.regions.models import Partnership


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. The password is case-sensitive."
        ),
    }
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[c for c in Role.Kind.choices if c[0] != Role.Kind.NATIONAL_COORDINATOR],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a partner contact: the organisation they speak for."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("sv", _("Swedish")), ("en", _("English"))]
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(partnership=partnership)


class ChoosePasswordForm(SetPasswordForm):
    """Django's form for a new password, saved through the service so that it is audited."""

    def save(self, commit: bool = True) -> Any:
        from soin.accounts.services import user_set_password

        return user_set_password(user=self.user, password=self.cleaned_data["new_password1"])


class CodeForm(forms.Form):
    """The second step of logging in: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


class FirstCodeForm(forms.Form):
    """Confirming a new authenticator app with the first code it shows."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The six digits the app shows for Soin."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
