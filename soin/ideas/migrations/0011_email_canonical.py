"""The canonical form of each carrier's address, filled for existing ideas (one carrier may
have many ideas: nothing here is unique)."""

import sys

from django.db import migrations, models

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("ideas", "Idea"),
        source="carrier_email",
        target="carrier_email_canonical",
        unique_within=None,
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0010_work_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="carrier_email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="carrier_email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["partnership", "carrier_email_canonical"], name="idea_carrier_email"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
