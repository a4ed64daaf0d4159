"""The back office's list of organisations is searched in the terms of each one's name."""

from django.db import migrations, models

from soin.core.normalise import stored_terms

FIELDS = ("name",)


def fill(apps, schema_editor):
    model = apps.get_model("partners", "Organisation")
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
        ('partners', '0003_email_canonical'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='search_terms',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
