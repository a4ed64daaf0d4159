"""The bank of financial proxies is searched in the terms of each proxy's words."""

from django.db import migrations, models

from soin.core.normalise import stored_terms

FIELDS = ("stakeholder", "outcome", "indicator", "source")


def fill(apps, schema_editor):
    model = apps.get_model("impact", "FinancialProxy")
    rows = []
    for row in model.objects.only("pk", *FIELDS).order_by("pk").iterator(chunk_size=2000):
        row.search_terms = stored_terms(*(getattr(row, f) for f in FIELDS))
        rows.append(row)
        if len(rows) == 2000:
            model.objects.bulk_update(rows, ["search_terms"])
            rows = []
    model.objects.bulk_update(rows, ["search_terms"])


class Migration(migrations.Migration):

    dependencies = [
        ('impact', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='financialproxy',
            name='search_terms',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
