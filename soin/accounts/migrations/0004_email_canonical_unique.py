"""One account per address, however it is typed (soin.core.emails)."""

from django.db import migrations

import soin.core.emails


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_email_canonical")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", unique=True, verbose_name="e-mail as compared"
            ),
        ),
    ]
