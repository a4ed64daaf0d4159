"""The canonical form of each registrant's address, filled for existing registrations. Two
active registrations for one activity whose addresses are one address stop the migration
with their ids (0003 makes one active registration per canonical address the rule)."""

import sys

from django.db import migrations, models

import soin.core.emails
from soin.core.emails import canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("activities", "Registration"),
        source="email",
        target="email_canonical",
        unique_within=("activity_id",), unique_among=models.Q(state__in=["confirmed", "waiting", "offered"]),
        write=sys.stdout.write,
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration", name="registration_one_active_per_email"
        ),
        migrations.AddField(
            model_name="registration",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
