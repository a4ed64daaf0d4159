"""Reading generated reports back in tests: the tables of a DOCX or an HTML report, by caption."""

from __future__ import annotations

import io

from lxml import html as lxml_html


def html_tables(markup: str) -> dict[str, list[list[str]]]:
    """Every table of an HTML document by its caption: rows of cell texts, the header first."""
    root = lxml_html.fromstring(markup)
    tables = {}
    for table in root.iter("table"):
        caption = " ".join(table.findtext("caption", "").split())
        notes = table.find("caption")
        if notes is not None:
            caption = " ".join(notes.text_content().split())
        rows = [
            [" ".join(cell.text_content().split()) for cell in tr if cell.tag in ("th", "td")]
            for tr in table.iter("tr")
        ]
        tables[caption] = rows
    return tables


def html_text(markup: str) -> str:
    return " ".join(lxml_html.fromstring(markup).text_content().split())


def docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Every table of a Word document by the caption paragraph before it."""
    from docx import Document

    document = Document(io.BytesIO(data))
    body = document.element.body
    tables: dict[str, list[list[str]]] = {}
    caption = ""
    by_element = {t._tbl: t for t in document.tables}
    paragraphs = {p._p: p for p in document.paragraphs}
    for child in body.iterchildren():
        if child in paragraphs and paragraphs[child].style.name == "Caption":
            caption = " ".join(paragraphs[child].text.split())
        elif child in by_element:
            tables[caption] = [
                [" ".join(cell.text.split()) for cell in row.cells]
                for row in by_element[child].rows
            ]
    return tables


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


def docx_headings(data: bytes) -> list[tuple[str, str]]:
    from docx import Document

    document = Document(io.BytesIO(data))
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
