"""Read delivery status notifications (bounces) from a Maildir, an mbox or .eml files, and
put addresses that failed for good on hold."""

from __future__ import annotations

import datetime
import mailbox
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from soin.core.emails import canonical_email
from soin.newsletter.bounces import bounces_in, parse
from soin.newsletter.models import Delivery
from soin.newsletter.services import subscriber_bounce
from soin.regions.models import Partnership


class Command(BaseCommand):
    help = "Record the bounces in a Maildir, mbox or folder of .eml files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--partnership", required=True)

    def handle(self, *args: Any, path: str, partnership: str, **options: Any) -> None:
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership {partnership!r}.")
        source = Path(path)
        maildir = None
        if (source / "cur").is_dir() or (source / "new").is_dir():
            # A Maildir: each notice is read once, then flagged as seen.
            maildir = mailbox.Maildir(source, create=False)
            keys = [k for k, m in maildir.iteritems() if "S" not in m.get_flags()]
            raws = [maildir.get_bytes(k) for k in keys]
        elif source.is_file() and source.suffix != ".eml":
            raws = [m.as_bytes() for m in mailbox.mbox(source, create=False)]
        elif source.is_dir():
            raws = [p.read_bytes() for p in sorted(source.glob("*.eml"))]
        elif source.is_file():
            raws = [source.read_bytes()]
        else:
            raise CommandError(f"Nothing to read at {path}.")
        # Only addresses the newsletter wrote to lately: a forged notice about someone else
        # changes nothing.
        recent = timezone.now() - datetime.timedelta(days=30)
        held = seen = 0
        for raw in raws:
            for bounce in bounces_in(parse(raw)):
                if not Delivery.objects.filter(
                    dispatch__issue__partnership=found,
                    email_canonical=canonical_email(bounce.email),
                    sent_at__gte=recent,
                ).exists():
                    continue
                seen += 1
                subscriber = subscriber_bounce(
                    partnership=found,
                    email=bounce.email,
                    permanent=bounce.permanent,
                    note=f"DSN {bounce.status}",
                )
                if subscriber is not None and subscriber.state == "held":
                    held += 1
        if maildir is not None:
            for key in keys:
                message = maildir.get_message(key)
                message.set_subdir("cur")
                message.add_flag("S")
                maildir[key] = message
        self.stdout.write(f"{len(raws)} messages, {seen} failed recipients, {held} on hold.")
