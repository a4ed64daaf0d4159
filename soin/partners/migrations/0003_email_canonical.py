"""The canonical form of each contact person's address, filled for existing contacts."""

import sys

from django.db import migrations

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("partners", "ContactPerson"),
        source="email",
        target="email_canonical",
        unique_within=None,
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_open_records_unique")]

    operations = [
        migrations.AddField(
            model_name="contactperson",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared", db_index=True
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
