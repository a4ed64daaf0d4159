"""Clean the text already stored by the rule every save now follows (soin/core/cleaning.py):
the characters XML, feeds and documents cannot hold taken out of every text column of the
project's models, open bidirectional embeddings closed. Rows are found by the database's own
regular expressions, so only the few that need it are read and written."""

from django.db import migrations, models
from django.db.models import Q

LABELS = [
    "accounts",
    "activities",
    "audit",
    "core",
    "funding",
    "grants",
    "ideas",
    "impact",
    "knowledge",
    "newsletter",
    "partners",
    "plans",
    "privacy",
    "regions",
    "reports",
    "retention",
]


def clean_stored_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    from soin.core.cleaning import STORED_UNSTORABLE, clean_text

    pattern = STORED_UNSTORABLE
    if schema_editor.connection.vendor != "postgresql":
        # SQLite may hold a NUL; PostgreSQL holds none, and refuses one in a pattern.
        pattern = "[\x00" + pattern[1:]
    for model in apps.get_models():
        if model._meta.app_label not in LABELS or model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        found = Q()
        for field in fields:
            found |= Q(**{f"{field.attname}__regex": pattern})
        names = [f.attname for f in fields]
        rows = model._base_manager.using(schema_editor.connection.alias).filter(found)
        for row in rows.values("pk", *names).iterator():
            changes = {}
            for field in fields:
                value = row[field.attname]
                if isinstance(value, str):
                    cleaned = clean_text(value, field.max_length)
                    if cleaned != value:
                        changes[field.attname] = cleaned
            if changes:
                model._base_manager.using(schema_editor.connection.alias).filter(
                    pk=row["pk"]
                ).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_cache_table"),
        ("accounts", "0002_initial"),
        ("activities", "0001_initial"),
        ("audit", "0001_initial"),
        ("funding", "0001_initial"),
        ("grants", "0001_initial"),
        ("ideas", "0010_work_list_indexes"),
        ("impact", "0001_initial"),
        ("knowledge", "0005_exchange_source"),
        ("newsletter", "0002_friend_tip_until_sent"),
        ("partners", "0002_open_records_unique"),
        ("plans", "0001_initial"),
        ("privacy", "0001_access_request"),
        ("regions", "0004_partnership_fte_hours"),
        ("reports", "0002_report_files"),
        ("retention", "0001_erasure_and_retention"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
