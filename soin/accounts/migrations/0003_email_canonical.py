"""The canonical form of each account's address (soin.core.emails), filled for existing
accounts. Two accounts whose addresses are one address stop the migration with their ids:
a person decides which account keeps it (0004 makes the column unique)."""

import sys

from django.db import migrations

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("accounts", "User"),
        source="email",
        target="email_canonical",
        unique_within=(),
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
