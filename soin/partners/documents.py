"""The agreement as a document: DOCX (python-docx) and PDF (WeasyPrint), in Swedish or English."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from soin.core.text import xml_safe
from soin.partners.models import Agreement


def agreement_context(agreement: Agreement, language: str) -> dict[str, object]:
    """Return what both renderings show, in ``language``."""
    with translation.override(language):
        partnership_name = getattr(agreement.partnership, f"name_{language}")
        return {
            "agreement": agreement,
            "language": language,
            "title": _("Agreement on participation in %(partnership)s")
            % {"partnership": partnership_name},
            "preamble": getattr(agreement, f"preamble_{language}"),
            "coordinator_heading": _("%(party)s undertakes to")
            % {"party": agreement.counterpart.name},
            "coordinator_commitments": agreement.commitments("coordinator", language),
            "partner_heading": _("%(party)s undertakes to")
            % {"party": agreement.organisation.name},
            "partner_commitments": agreement.commitments("partner", language),
            "state": agreement.get_state_display(),
            "signed_on": date_format(agreement.signed_on, "j F Y") if agreement.signed_on else "",
            "valid_from": date_format(agreement.valid_from, "j F Y")
            if agreement.valid_from
            else "",
            "valid_until": date_format(agreement.valid_until, "j F Y")
            if agreement.valid_until
            else _("until further notice"),
            "labels": {
                "signed_on": _("Signed on"),
                "valid": _("Valid"),
                "draft": _("Draft — not signed"),
                "signature": _("Signature"),
                "name": _("Name in print"),
                "place_date": _("Place and date"),
            },
        }


def agreement_docx(agreement: Agreement, language: str = "sv") -> bytes:
    """Return the agreement as a Word document with real headings and lists."""
    from docx import Document
    from docx.shared import Pt

    ctx = agreement_context(agreement, language)
    labels = ctx["labels"]
    assert isinstance(labels, dict)
    doc = Document()
    doc.core_properties.title = xml_safe(str(ctx["title"]))
    doc.core_properties.language = language
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(xml_safe(str(ctx["title"])), level=1)
    if agreement.state == Agreement.State.DRAFT:
        doc.add_paragraph(str(labels["draft"])).runs[0].bold = True
    doc.add_paragraph(xml_safe(str(ctx["preamble"])))
    for heading, items in (
        (ctx["coordinator_heading"], ctx["coordinator_commitments"]),
        (ctx["partner_heading"], ctx["partner_commitments"]),
    ):
        doc.add_heading(xml_safe(str(heading)), level=2)
        for item in items:  # type: ignore[attr-defined]
            doc.add_paragraph(xml_safe(str(item)), style="List Bullet")
    if agreement.signed_on:
        doc.add_paragraph(f"{labels['signed_on']}: {ctx['signed_on']}")
        doc.add_paragraph(f"{labels['valid']}: {ctx['valid_from']} – {ctx['valid_until']}")
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for col, party in enumerate((agreement.counterpart.name, agreement.organisation.name)):
        table.cell(0, col).text = xml_safe(party)
        table.cell(1, col).text = f"{labels['place_date']}:\n\n"
        table.cell(2, col).text = f"{labels['signature']}:\n\n{labels['name']}:"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def agreement_html(agreement: Agreement, language: str = "sv") -> str:
    """Return the agreement as a standalone HTML document (the PDF's source)."""
    with translation.override(language):
        return render_to_string(
            "partners/documents/agreement.html", agreement_context(agreement, language)
        )


def agreement_pdf(agreement: Agreement, language: str = "sv") -> bytes:
    """Return the agreement as a tagged PDF with page numbers."""
    from weasyprint import HTML

    html = agreement_html(agreement, language)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
