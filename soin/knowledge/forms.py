from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soin.ideas.selectors import challenges_for
from soin.knowledge.models import Entry, News
from soin.knowledge.selectors import organisations_for_entry
from soin.regions.models import Municipality, Partnership


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "kind",
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "story_sv",
            "story_en",
            "solution_type",
            "challenges",
            "new_for",
            "evidence_level",
            "can_spread",
            "municipality",
            "organisations",
            "other_organisations",
        ]
        widgets = {
            "challenges": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "summary_sv": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "other_organisations": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "summary_sv": _("A few sentences that say what the innovation is and does."),
            "story_sv": _("How it came about, who took part, what it has led to."),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["challenges"].queryset = challenges_for(partnership=partnership)
        fields["organisations"].queryset = organisations_for_entry(partnership=partnership)
        fields["municipality"].queryset = Municipality.objects.filter(region=partnership.region)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["challenges"] = list(data["challenges"])
        data["organisations"] = list(data["organisations"])
        return data


class MoveForm(forms.Form):
    note = forms.CharField(
        label=_("Why (when returning or taking back)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The version of the entry the page showed: publishing approves that version only.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ConsentForm(forms.Form):
    note = forms.CharField(
        label=_("How and when the carrier agreed"),
        max_length=300,
        help_text=_("For example: by e-mail on 3 March 2018, or in a meeting with the advisor."),
    )
    carrier_name = forms.CharField(
        label=_("Name the carrier publicly as"),
        max_length=200,
        required=False,
        help_text=_("Only if the carrier agreed to be named. Leave it empty otherwise."),
    )


DESCRIBE = {"required": _("Describe the image for those who cannot see it.")}


class ImageForm(forms.Form):
    upload = forms.FileField(label=_("Image (PNG or JPEG)"))
    alt_sv = forms.CharField(
        label=_("What the image shows (Swedish)"), max_length=300, error_messages=DESCRIBE
    )
    alt_en = forms.CharField(
        label=_("What the image shows (English)"), max_length=300, error_messages=DESCRIBE
    )


class LinkForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")
    label_sv = forms.CharField(label=_("Link text (Swedish)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Link text (English)"), max_length=200, required=False)


class NewsForm(forms.ModelForm):
    class Meta:
        model = News
        fields = ["title_sv", "title_en", "body_sv", "body_en"]


class ExchangeSourceForm(forms.Form):
    """The national coordinator's two choices about an exchange source."""

    publish = forms.ChoiceField(
        label=_("New and changed entries from this source"),
        choices=[
            ("review", _("Wait in review")),
            ("directly", _("Are published directly")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "In review, a coordinator of the partnership where an entry lands reads it and "
            "publishes it. Published directly, it is shown in the public bank at once."
        ),
    )
    relay = forms.ChoiceField(
        label=_("Entries this source passes on from other installations"),
        choices=[
            ("no", _("Are not taken in: only the source's own entries")),
            ("yes", _("Are taken in: the source is trusted as a relay")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "A relay, such as the national bank, passes on the entries of other "
            "installations. Trust only a source that checks what it passes on."
        ),
    )

    def __init__(self, *args: Any, source: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "publish": "directly" if source.publish_directly else "review",
                "relay": "yes" if source.trusted_as_relay else "no",
            },
        )
        super().__init__(*args, **kwargs)

    def choices(self) -> dict[str, bool]:
        """The choices as ``exchange_source_update`` takes them."""
        return {
            "publish_directly": self.cleaned_data["publish"] == "directly",
            "trusted_as_relay": self.cleaned_data["relay"] == "yes",
        }
