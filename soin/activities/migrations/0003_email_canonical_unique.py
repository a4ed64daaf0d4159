"""One active registration per activity and address, however the address is typed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_email_canonical")]

    operations = [
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(state__in=["confirmed", "waiting", "offered"]),
                fields=("activity", "email_canonical"),
                name="registration_one_active_per_email",
            ),
        ),
    ]
