"""One subscriber per partnership and address, however the address is typed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0003_email_canonical")]

    operations = [
        migrations.AddConstraint(
            model_name="subscriber",
            constraint=models.UniqueConstraint(
                fields=("partnership", "email_canonical"), name="subscriber_email_canonical"
            ),
        ),
    ]
