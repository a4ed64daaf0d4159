"""The canonical form of each subscriber's and each delivery's address, filled for existing
rows, and the friend invitations still holding an address hashed again from its canonical
form. Two subscribers of one partnership whose addresses are one address stop the migration
with their ids: a person decides which subscriber stays (0004 makes the rule one subscriber
per partnership and canonical address). Suppressions keep their hashes (only the hash is
kept, so they cannot be hashed again); the newsletter recognises those older hashes too
(``soin.newsletter.services.email_hashes``)."""

import hashlib
import hmac
import sys

from django.conf import settings
from django.db import migrations

import soin.core.emails
from soin.core.emails import canonical_email, canonical_fill


def fill(apps, schema_editor):
    canonical_fill(
        apps.get_model("newsletter", "Subscriber"),
        source="email",
        target="email_canonical",
        unique_within=("partnership_id",),
        write=sys.stdout.write,
    )
    canonical_fill(
        apps.get_model("newsletter", "Delivery"), source="email", target="email_canonical"
    )
    FriendTip = apps.get_model("newsletter", "FriendTip")
    for pk, email in FriendTip.objects.exclude(email="").values_list("pk", "email"):
        key = hmac.new(
            settings.SECRET_KEY.encode(), canonical_email(email).encode(), hashlib.sha256
        ).hexdigest()
        FriendTip.objects.filter(pk=pk).update(email_hash=key)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0002_friend_tip_until_sent")]

    operations = [
        migrations.RemoveConstraint(model_name="subscriber", name="subscriber_email"),
        migrations.AddField(
            model_name="subscriber",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="email_canonical",
            field=soin.core.emails.CanonicalEmailField(
                source="email", verbose_name="e-mail as compared"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
