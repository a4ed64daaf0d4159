"""The public files of a published report, drawn by the task worker after publication."""

from __future__ import annotations

from django_tasks import task

from soin.reports.services import report_files_draw


@task()
def draw_report_files(*, report_id: int, version: int) -> None:
    """Draw the PDF, DOCX and HTML of the report's ``version`` in both languages, so that
    the public site sends stored files; a version reopened meanwhile is left alone."""
    report_files_draw(report_id=report_id, version=version)
