"""The canonical form of each applicant contact's address, filled for existing grants."""

import sys

from django.db import migrations, models

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("grants", "Grant"),
        source="contact_email",
        target="contact_email_canonical",
        unique_within=None,
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="grant",
            name="contact_email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="contact_email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["partnership", "contact_email_canonical"], name="grant_contact_email"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
