"""Remove a person's authenticator app and recovery codes, for one who lost their phone and
has no recovery code left. Their next login sets up a new app."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from soin.accounts.models import User
from soin.accounts.services import second_factor_reset
from soin.core.emails import canonical_email


class Command(BaseCommand):
    help = "Remove a person's second factor (authenticator app and recovery codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The e-mail address the person logs in with.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email_canonical=canonical_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No one logs in as {options['email']}.")
        removed = second_factor_reset(user=user, actor=None)
        self.stdout.write(
            f"Removed {removed} device(s) of {user.email}: the next login sets up a new "
            "authenticator app. Make sure it is really them who asked."
        )
