"""Create a partnership for a region, with the standard agreement templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from soin.regions.models import Region
from soin.regions.services import partnership_create


class Command(BaseCommand):
    help = (
        "Create a partnership for one region (län) with the standard agreement templates of "
        "seed 001, annex 1-7. Example: create_partnership --slug varmland --region 17 "
        '--name-sv "Partnerskapet för sociala innovationer i Värmland" '
        '--name-en "The Partnership for Social Innovation in Värmland"'
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--slug", required=True, help="Short name used in addresses.")
        parser.add_argument("--region", required=True, help="The county code, e.g. 18.")
        parser.add_argument("--name-sv", required=True, help="The name in Swedish.")
        parser.add_argument("--name-en", required=True, help="The name in English.")
        parser.add_argument("--email", default="", help="The partnership's contact e-mail.")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"].zfill(2)).first()
        if region is None:
            codes = ", ".join(Region.objects.values_list("code", flat=True))
            raise CommandError(f"No region has the code {options['region']!r}. Codes: {codes}")
        try:
            partnership = partnership_create(
                actor=None,
                slug=options["slug"],
                name_sv=options["name_sv"],
                name_en=options["name_en"],
                region=region,
                contact_email=options["email"],
            )
        except ValidationError as error:
            messages = (
                "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            raise CommandError(messages) from error
        self.stdout.write(
            f"Created {partnership.slug} for {region.name_sv} with "
            f"{partnership.agreement_templates.count()} agreement templates."
        )
