"""The back office's list of organisations is searched in the terms of each one's name."""

from django.db import migrations, models

from soin.core.normalise import terms_filler

fill = terms_filler("partners.Organisation", ("name",))


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
