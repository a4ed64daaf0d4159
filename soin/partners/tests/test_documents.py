from __future__ import annotations

import io

from docx import Document
from pypdf import PdfReader

from soin.partners import documents


def test_the_agreement_as_word_has_real_headings_and_lists(world) -> None:
    doc = Document(io.BytesIO(documents.agreement_docx(world.own_agreement, "sv")))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", "Avtal om deltagande i Partnerskapet Örebro län")
    assert ("Heading 2", "Stiftelsen Cesam förbinder sig att") in headings
    assert ("Heading 2", "Hällefors kommun förbinder sig att") in headings
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "utse en ansvarig tjänsteman som kontaktperson" in bullets
    assert len(bullets) == 6 + 4
    assert doc.tables[0].cell(0, 0).text == "Stiftelsen Cesam"


def test_the_agreement_in_english(world) -> None:
    doc = Document(io.BytesIO(documents.agreement_docx(world.own_agreement, "en")))
    texts = [p.text for p in doc.paragraphs]
    assert "Agreement on participation in The partnership of Örebro County" in texts
    assert "appoint an official as contact person" in texts


def test_the_agreement_as_pdf(world) -> None:
    html = documents.agreement_html(world.own_agreement, "sv")
    assert '<html lang="sv">' in html
    assert "utse en ansvarig politisk församling i kommunen" in html
    pdf = PdfReader(io.BytesIO(documents.agreement_pdf(world.own_agreement, "sv")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Hällefors kommun förbinder sig att" in text
    assert "1 / 1" in text  # the page number in the footer
    assert pdf.metadata.title == "Avtal om deltagande i Partnerskapet Örebro län"
