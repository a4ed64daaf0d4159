"""The bank of financial proxies is searched in the terms of each proxy's words."""

from django.db import migrations, models

from soin.core.normalise import terms_filler

fill = terms_filler("impact.FinancialProxy", ("stakeholder", "outcome", "indicator", "source"))


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
