"""The canonical form of the address of each request for one's own data."""

import sys

from django.db import migrations

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("privacy", "AccessRequest"),
        source="email",
        target="email_canonical",
        unique_within=None,
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_access_request")]

    operations = [
        migrations.AddField(
            model_name="accessrequest",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
