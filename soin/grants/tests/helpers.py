"""What the grant tests share: a filled-in application as the form posts it."""

from __future__ import annotations

from typing import Any

from soin.regions.models import Municipality, Partnership


def municipality(partnership: Partnership, name: str) -> Municipality:
    return Municipality.objects.get(region=partnership.region, name=name)


def application_post(
    partnership: Partnership,
    *,
    language: str = "en",
    lines: list[tuple[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Return the POST of the public form in ``language``: the fields, the budget formset and
    the fingerprint of the privacy information as that language shows it."""
    from django.utils import translation

    from soin.grants.forms import consent_fingerprint
    from soin.grants.services import consent_information

    with translation.override(language):
        shown = consent_fingerprint(consent_information(partnership=partnership))

    lines = [("Lokalhyra för bymöten", 6000), ("Material", 4000)] if lines is None else lines
    data: dict[str, Any] = {
        "association_name": "Byalaget i Vretstorp",
        "org_number": "802455-6576",
        "municipality": municipality(partnership, "Hallsberg").pk,
        "contact_name": "Test Sökande",
        "contact_email": "Test.Sokande@example.org",
        "contact_phone": "070-000 00 00",
        "title": "Bymöten om framtiden",
        "purpose": "Tre möten där byn planerar sina nästa steg.",
        "amount_applied": "8000",
        "co_financing": "2000",
        "consent": "on",
        "consent_shown": shown,
        "homepage": "",
        "budget-TOTAL_FORMS": "4",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "20",
    }
    for index in range(4):
        item, amount = lines[index] if index < len(lines) else ("", "")
        data[f"budget-{index}-item"] = item
        data[f"budget-{index}-amount"] = str(amount)
    data.update(overrides)
    return data
