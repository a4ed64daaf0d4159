from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.core.forms import stamp_field
from soin.newsletter.models import LANGUAGES


class HoneypotMixin:
    # The honeypot: hidden from people by CSS, from assistive technology by aria-hidden, and
    # out of the tab order; robots fill it in.
    hidden_from_people = ("homepage",)

    def filled_in_honeypot(self) -> bool:
        return bool(self.data.get("homepage"))  # type: ignore[attr-defined]


def _honeypot() -> forms.CharField:
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class SubscribeForm(HoneypotMixin, forms.Form):
    # The name its single-use stamp carries (soin.core.submissions).
    STAMP = "newsletter"
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label=_("Name (if you like)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=LANGUAGES, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal data is used and want the newsletter."),
        error_messages={"required": _("We cannot send you the newsletter without consent.")},
    )
    homepage = _honeypot()
    started = stamp_field()


class FriendForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your friend's e-mail"),
        help_text=_("We send one invitation and keep no copy of the address."),
    )
    sender_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        help_text=_("So that your friend knows who sent the tip."),
    )
    homepage = _honeypot()
    started = stamp_field()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=LANGUAGES, widget=forms.RadioSelect
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of subscribers (CSV)"),
        help_text=_("A column named email; name and language (sv or en) if you have them."),
    )
    consent_note = forms.CharField(
        label=_("On what consent did they subscribe?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “Subscribed through the form on www.so-in.se, 2014–2017.”"),
    )
    language = forms.ChoiceField(
        label=_("Language for rows that do not say"), choices=LANGUAGES, initial="sv"
    )

    def clean_file(self) -> Any:
        """Check the list by its content: text in UTF-8 (CSV), within the size limit."""
        from django.core.exceptions import ValidationError

        from soin.core.uploads import TABLES, check_upload

        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, kinds=TABLES)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        upload.seek(0)
        return upload


class IssueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title_sv = forms.CharField(label=_("Title (Swedish)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    intro_sv = forms.CharField(
        label=_("Introduction (Swedish)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    intro_en = forms.CharField(
        label=_("Introduction (English)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SectionForm(forms.Form):
    heading_sv = forms.CharField(label=_("Heading (Swedish)"), max_length=200, required=False)
    heading_en = forms.CharField(label=_("Heading (English)"), max_length=200, required=False)
    text_sv = forms.CharField(
        label=_("Text (Swedish)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    text_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    image = forms.FileField(label=_("Image (PNG or JPEG)"), required=False)
    image_alt_sv = forms.CharField(
        label=_("What the image shows (Swedish)"), max_length=300, required=False
    )
    image_alt_en = forms.CharField(
        label=_("What the image shows (English)"), max_length=300, required=False
    )
    link_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    link_text_sv = forms.CharField(label=_("Link text (Swedish)"), max_length=200, required=False)
    link_text_en = forms.CharField(label=_("Link text (English)"), max_length=200, required=False)
