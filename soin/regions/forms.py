from __future__ import annotations

from django import forms

from soin.regions.models import Partnership


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name_sv",
            "name_en",
            "about_sv",
            "about_en",
            "contact_email",
            "idea_stale_days",
            "fte_hours",
        ]
        widgets = {
            "about_sv": forms.Textarea(attrs={"rows": 8}),
            "about_en": forms.Textarea(attrs={"rows": 8}),
        }
