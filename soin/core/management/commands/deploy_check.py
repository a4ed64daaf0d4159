"""Check that this is a complete production configuration (beyond ``check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from soin.core.deploy import CHECKS, configuration_problems


class Command(BaseCommand):
    help = (
        "Check the production configuration beyond Django's check --deploy: production mode, "
        "PostgreSQL that answers, the secret key, allowed hosts and an https SITE_URL, a mail "
        "server, the task backend, writable folders for uploads and the erasure journal, and "
        "collected static files. Prints one line per problem; fails if there is any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = configuration_problems()
        for problem in problems:
            self.stderr.write(f"deploy_check: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the production configuration.")
        if options["verbosity"]:
            self.stdout.write(f"The production configuration passes all {len(CHECKS)} checks.")
