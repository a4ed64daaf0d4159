"""The staff list of ideas is searched in the terms of each idea's number, title and description."""

from django.db import migrations, models

from soin.core.normalise import stored_terms

FIELDS = ("number", "title", "description")


def fill(apps, schema_editor):
    model = apps.get_model("ideas", "Idea")
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
        ('ideas', '0011_email_canonical'),
    ]

    operations = [
        migrations.AddField(
            model_name='idea',
            name='search_terms',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
