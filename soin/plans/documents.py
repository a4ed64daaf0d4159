"""The follow-up of the plan for a plenary meeting as a document for the meeting papers: one
outline in the reader's language, drawn as HTML (through WeasyPrint, the PDF) and as DOCX
(python-docx, with Word's own headings and tables)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from soin.core.text import xml_safe
from soin.plans.selectors import MeetingFollowUp, responsible_names


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Outline:
    language: str
    title: str
    subtitle: str
    lines: list[str]
    tables: list[Table]


def _report_line(report: Any) -> str:
    day = date_format(report.reported_on, "j F Y")
    return f"{day}, {report.get_status_display()}: {report.text}"


def outline(f: MeetingFollowUp, language: str) -> Outline:
    """The follow-up in ``language``: a table per area, each item with its status on the
    meeting's day and what was reported since the previous plenary meeting."""
    with translation.override(language):
        day = date_format(f.day, "j F Y")
        lines = [
            _("Status of every item on %(day)s.") % {"day": day},
            (
                _("Reports since the previous plenary meeting on %(day)s.")
                % {"day": date_format(f.since, "j F Y")}
                if f.since
                else _("Reports since the plan began: this is the first plenary meeting.")
            ),
            "; ".join(f"{label}: {count}" for _key, label, count in f.counts),
        ]
        headers = [
            _("Item"),
            _("Responsible"),
            _("Status on %(day)s") % {"day": day},
            _("Reported since the previous meeting"),
        ]
        tables = [
            Table(
                caption=group.area.title,
                headers=headers,
                rows=[
                    [
                        row.item.title,
                        responsible_names(row.item),
                        row.status.get_status_display() if row.status else _("No report yet"),
                        "\n".join(_report_line(r) for r in row.reports) or "–",
                    ]
                    for row in group.rows
                ],
            )
            for group in f.outline
        ]
        return Outline(
            language=language,
            title=_("Follow-up of the activity plan"),
            subtitle=f"{f.plan.title} – {f.meeting.title}, {day}",
            lines=lines,
            tables=tables,
        )


def followup_html(f: MeetingFollowUp, language: str) -> str:
    return render_to_string("plans/followup_document.html", {"doc": outline(f, language)})


def followup_pdf(f: MeetingFollowUp, language: str) -> bytes:
    from weasyprint import HTML

    # Tagged PDF (PDF/UA-1): headings, tables and reading order for screen readers.
    return HTML(string=followup_html(f, language)).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def followup_docx(f: MeetingFollowUp, language: str) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = outline(f, language)
    word = Document()
    word.core_properties.title = xml_safe(f"{doc.title} – {doc.subtitle}")
    word.core_properties.language = language
    word.styles["Normal"].font.size = Pt(10)
    word.add_heading(xml_safe(doc.title), level=0)
    word.add_paragraph(xml_safe(doc.subtitle))
    for line in doc.lines:
        word.add_paragraph(xml_safe(line))
    for table in doc.tables:
        word.add_heading(xml_safe(table.caption), level=1)
        word.add_paragraph(xml_safe(table.caption), style="Caption")
        grid = word.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = xml_safe(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        # The header row repeats on every page.
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        grid.rows[0]._tr.get_or_add_trPr().append(repeat)
        for row in table.rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = xml_safe(value)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
