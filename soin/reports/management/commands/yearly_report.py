from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from soin.regions.models import Partnership
from soin.reports import documents, selectors


class Command(BaseCommand):
    help = (
        "Write a partnership's activity report for a year as PDF, DOCX or HTML. A published "
        "report gives the figures frozen at publication; otherwise the data as it is now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="The partnership's short name.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", required=True, choices=["pdf", "docx", "html"])
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--language", default="sv", choices=["sv", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"There is no partnership {options['partnership']!r} (known: {known})."
            )
        # Not started in the back office: the report as the data gives it, not saved.
        report = selectors.report_or_unsaved(partnership=partnership, year=options["year"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        language = options["language"]
        with translation.override(language):
            if options["format"] == "pdf":
                data = documents.report_pdf(report, language)
            elif options["format"] == "docx":
                data = documents.report_docx(report, language)
            else:
                data = documents.report_html(report, language).encode("utf-8")
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(output)
        state = report.get_state_display() if report.pk else "not started"
        self.stdout.write(f"{output} ({len(data)} bytes, {state})")
