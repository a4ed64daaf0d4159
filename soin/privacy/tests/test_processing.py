"""The record of processing covers every field that holds personal data."""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.utils import translation

from soin.privacy import processing

# Names that say a field is about a person: their name, address, phone, notes, consent, or a
# hash or token bound to them.
PERSONAL_NAME = re.compile(
    r"e?mail|phone|(^|_)name$|address|(^|_)note$|^summary$|needs$|consent|hash|nonce|"
    r"password|login|^carrier_|^contact_|sender|^before$|^after$|object_repr"
)


def soin_fields() -> dict[str, object]:
    fields = {}
    for model in apps.get_models():
        if not model.__module__.startswith("soin."):
            continue
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                fields[f"{model._meta.label}.{field.name}"] = field
    return fields


def looks_personal(field: object) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return bool(PERSONAL_NAME.search(field.name)) or (  # type: ignore[attr-defined]
        field.is_relation and field.related_model is user_model  # type: ignore[attr-defined]
    )


def test_every_field_that_looks_personal_is_in_the_record_or_declared_not_personal() -> None:
    fields = soin_fields()
    personal = {name for name, field in fields.items() if looks_personal(field)}
    # The scan itself must find what we know is there.
    assert {"ideas.Idea.carrier_email", "newsletter.FriendTip.email_hash"} <= personal
    missing = sorted(personal - processing.covered_fields())
    assert not missing, (
        "Fields that look like personal data but are neither in the record of processing "
        f"(soin/privacy/processing.py RECORD) nor in NOT_PERSONAL: {missing}"
    )


def test_the_record_names_only_fields_that_exist() -> None:
    fields = soin_fields()
    listed = [f for p in processing.RECORD for f in p.fields] + list(processing.NOT_PERSONAL)
    assert sorted(set(listed) - set(fields)) == []


def test_every_processing_states_purpose_basis_recipients_retention_and_rights() -> None:
    keys = [p.key for p in processing.RECORD]
    assert len(keys) == len(set(keys))
    for language in ("sv", "en"):
        with translation.override(language):
            for row in processing.record_for(None):
                assert row.bases, row.key
                for text in (row.name, row.data, row.purpose, row.recipients, row.retention):
                    assert text.strip(), row.key


def test_retention_follows_the_partnerships_own_policy(world) -> None:  # type: ignore[no-untyped-def]
    from soin.retention.models import RetentionPolicy

    RetentionPolicy.objects.update_or_create(
        partnership=world.partnership, defaults={"registration_months": 7}
    )
    with translation.override("en"):
        rows = {r.key: r for r in processing.record_for(world.partnership)}
        other = {r.key: r for r in processing.record_for(world.other_partnership)}
    assert "7 months" in rows["registrations"].retention
    assert "7 months" not in other["registrations"].retention
