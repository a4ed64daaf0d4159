"""The staff list of ideas is searched in the terms of each idea's number, title and description."""

from django.db import migrations, models

from soin.core.normalise import terms_filler

fill = terms_filler("ideas.Idea", ("number", "title", "description"))


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
