"""The 2017 activity report generated from the demo data reproduces seed 003's tables, in the
Word document and in the HTML, and the PDF has its sections in order on pages that are not
blank."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import call_command
from django.test import TestCase

from soin.core.testing import ensure_reference_data
from soin.reports import documents
from soin.reports.models import YearlyReport
from soin.reports.tests.documents import (
    docx_headings,
    docx_tables,
    docx_text,
    html_tables,
    html_text,
)

# Seed 003 §2, in its order; the report sorts each column by name.
PUBLIC_2017 = [
    "Askersunds kommun",
    "Hallsbergs kommun",
    "Hällefors kommun",
    "Karlskoga kommun",
    "Lekebergs kommun",
    "Kumla kommun",
    "Laxå kommun",
    "Lindesbergs kommun",
    "Ljusnarsbergs kommun",
    "Örebro kommun",
    "Länsstyrelsen Örebro län",
    "Region Örebro län",
    "Örebro universitet",
    "Finsam Sydnärke",
    "Finsam Degerfors-Karlskoga",
    "Arbetsförmedlingen",
]
CIVIL_2017 = [
    "Örebro läns bildningsförbund",
    "Studieförbundet Vuxenskolan",
    "Arbetarnas bildningsförbund",
    "Coompanion",
    "Stiftelsen Activa",
    "Stiftelsen Cesam",
    "Länsbygderådet Örebro län",
    "Örebro läns idrottsförbund",
    "Hällefors folkhögskola",
    "Studieförbundet Bilda",
    "Friluftsförbundet region öst",
    "Verdandi Örebro län",
    "Konstfrämjandet Bergslagen",
    "Möckelnföreningarna",
]
PLENARY_2017 = [
    ("7 februari 2017", "Hallsberg"),
    ("11 maj 2017", "Hällefors"),
    ("28 september 2017", "Askersund"),
    ("29 november 2017", "Örebro"),
]
STOPS_2017 = [
    ("2 maj 2017", "Askersund"),
    ("9 maj 2017", "Fellingsbro"),
    ("22 maj 2017", "Örebro/Varberga"),
    ("1 juni 2017", "Hällefors"),
    ("12 september 2017", "Kumla"),
    ("2 oktober 2017", "Degerfors"),
]
SEMINARS_2017 = [
    ("30 maj 2017", "Bredsjö"),
    ("18 september 2017", "Hallsberg"),
    ("13 november 2017", "Örebro"),
]
HEALTH = "Hälsa, demografiska förändringar och välbefinnande"
FOOD = (
    "Livsmedelstrygghet, hållbart jord- och skogsbruk, marin-, maritim- samt insjöforskning "
    "och bioekonomi"
)
CLIMATE = "Klimatåtgärder, miljö, resurseffektivitet och råvaror"
INCLUSIVE = "Europa i en föränderlig värld – Inkluderande, innovativa och reflekterande samhällen"
SLUSSEN = "Innovationsslussen (hälso- och sjukvård)"
AT_CARRIER = "Under utveckling hos idébäraren"
# Seed 003 §4.3: idea, carrier, challenges, handling (the seed's spelling slips corrected:
# "Innovations-slussen", "Cocompanion", "yrkeskörtkort"; "Verdandi" is Verdandi Örebro län).
IDEAS_2017 = {
    "Hjälpmedel inom hälso- och sjukvård": ("Privatperson", [HEALTH], SLUSSEN),
    "Behandlingsmetoder för strokepatienter": ("Privatperson", [HEALTH], SLUSSEN),
    "Socialt företag för kvinnor": ("Privatperson", [INCLUSIVE], "Coompanion"),
    "Omställning av lokalsamhälle": (
        "Privatperson",
        [FOOD, CLIMATE],
        "Under utveckling i större grupp",
    ),
    "Kulturfestival": ("Privatperson", [INCLUSIVE], "Verdandi Örebro län"),
    "Restaurang/café för och av personer med varierande funktionstillstånd": (
        "Privatperson",
        [INCLUSIVE],
        "Stiftelsen Activa",
    ),
    "Hjälp med myndighetskontakter": ("Privatperson", [INCLUSIVE], "Verdandi Örebro län"),
    "Socialt företag för yrkeskörtkort": ("Privatperson", [INCLUSIVE], AT_CARRIER),
    "Nyanlända och föreningar": ("Privatperson", [INCLUSIVE], AT_CARRIER),
    "Basar": ("Privatperson", [INCLUSIVE], "Coompanion"),
    "Vita jobb": ("Förening", [INCLUSIVE], AT_CARRIER),
    "Integrationsguide 1": ("Privatperson", [INCLUSIVE], "Studieförbundet Vuxenskolan"),
    "Integrationsguide 2": ("Privatperson", [INCLUSIVE], "Studieförbundet Vuxenskolan"),
    "Sammanhållen turismsatsning": ("Flera tillsammans", [INCLUSIVE], AT_CARRIER),
    "Maker Space": ("Förening", [CLIMATE], "Idén utvecklad till ansökan"),
}
SECTIONS_SV = [
    "1. Bakgrund",
    "2. Syfte och parter",
    "3. Stormöten och arbetsutskott",
    "4. Rådgivning och metodstöd",
    "5. Uppsökande verksamhet",
    "6. Samhällsutmaningar och idéer",
    "7. Seminarier",
    "8. Projektsamordning",
    "9. Information och kommunikation",
]


def table(tables: dict[str, list[list[str]]], starts: str) -> list[list[str]]:
    found = [rows for caption, rows in tables.items() if caption.startswith(starts)]
    assert len(found) == 1, f"one table captioned {starts!r} in {list(tables)}"
    return found[0]


class Report2017(TestCase):
    """From the demo installation, generated once for the class."""

    report: YearlyReport
    html: str
    docx: bytes

    @classmethod
    def setUpTestData(cls) -> None:
        ensure_reference_data()  # a transactional test before this class may have emptied it
        call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
        cls.report = YearlyReport.objects.get(partnership__slug="orebro", year=2017)
        cls.html = documents.report_html(cls.report, "sv")
        cls.docx = documents.report_docx(cls.report, "sv")

    def both(self) -> list[tuple[str, dict[str, list[list[str]]], str]]:
        return [
            ("html", html_tables(self.html), html_text(self.html)),
            ("docx", docx_tables(self.docx), docx_text(self.docx)),
        ]

    def test_the_demo_report_is_published_with_frozen_figures(self) -> None:
        assert self.report.state == YearlyReport.State.PUBLISHED
        assert self.report.version == 1
        assert self.report.figures["year"] == 2017
        assert len(self.report.figures["ideas"]) == 15

    def test_30_partners_16_public_and_14_in_civil_society(self) -> None:
        for name, tables, text in self.both():
            rows = table(tables, "Parter den 31 december 2017")
            header, *names, counts = rows
            assert header == ["Offentliga aktörer", "Civilsamhälle och social ekonomi"], name
            assert counts == ["16", "14"], name
            public = [r[0] for r in names if r[0]]
            civil = [r[1] for r in names if r[1]]
            assert sorted(public) == sorted(PUBLIC_2017), name
            assert sorted(civil) == sorted(CIVIL_2017), name
            assert "samlade partnerskapet 30 parter: 16 offentliga aktörer och 14" in text, name

    def test_four_plenary_meetings_with_places_and_dates(self) -> None:
        for name, tables, text in self.both():
            rows = table(tables, "Stormöten")
            assert [tuple(r[:2]) for r in rows[1:]] == PLENARY_2017, name
            assert "Partnerskapet höll 4 stormöten under året." in text, name
            assert (
                "Arbetsutskottets medlemmar: Coompanion, Hällefors folkhögskola, "
                "Länsstyrelsen Örebro län, Region Örebro län, Verdandi Örebro län." in text
            ), name

    def test_the_advisory_groups(self) -> None:
        for name, _tables, text in self.both():
            assert "Primär rådgivningsgrupp: Coompanion, Region Örebro län." in text, name
            assert (
                "Stiftelsen Activa, Studieförbundet Bilda, Studieförbundet Vuxenskolan" in text
            ), name

    def test_six_outreach_stops_with_places_dates_and_partners(self) -> None:
        for name, tables, _text in self.both():
            rows = table(tables, "Uppsökande stopp")
            assert [tuple(r[:2]) for r in rows[1:]] == STOPS_2017, name
            taking_part = {org for r in rows[1:] for org in r[3].split(", ")}
            assert {"Verdandi Örebro län", "Leader Mälardalen", "Finsam Sydnärke"} <= taking_part
            assert sum(int(r[4]) for r in rows[1:]) == 15, name

    def test_fifteen_ideas_with_carrier_challenges_and_handling(self) -> None:
        for name, tables, text in self.both():
            header, *rows = table(tables, "Årets idéer")
            assert header == [
                "Idé",
                "Idébärare",
                "Relation till samhällsutmaning",
                "Hur hanteras idén",
            ], name
            got = {r[0]: (r[1], sorted(r[2].split("; ")), r[3]) for r in rows}
            expected = {k: (c, sorted(ch), h) for k, (c, ch, h) in IDEAS_2017.items()}
            assert got == expected, name
            assert "15 idéer mötte vi under året." in text, name

    def test_three_seminars_with_places_dates_and_titles(self) -> None:
        for name, tables, _text in self.both():
            _header, *rows = table(tables, "Seminarier")
            assert [tuple(r[:2]) for r in rows] == SEMINARS_2017, name
            assert rows[0][2].startswith("Kulturen, konsten och samtalskraft"), name
            assert rows[2][2] == "Egen försörjning och arbetsmarknad i förändring", name

    def test_four_newsletters_and_364_subscribers(self) -> None:
        for name, tables, text in self.both():
            _header, *rows = table(tables, "Nyhetsbrev som skickats")
            assert len(rows) == 4, name
            assert "Partnerskapet skickade 4 nyhetsbrev under året." in text, name
            assert "Vid årets slut hade nyhetsbrevet 364 prenumeranter." in text, name

    def test_the_narrative_and_the_projects(self) -> None:
        for name, _tables, text in self.both():
            assert "Resultatet blev föreningen L&SEK" in text, name
            assert "FRAMSTEG" in text and "RaiSE" in text, name

    def test_the_map_and_the_challenges_chart_come_with_their_tables(self) -> None:
        for name, tables, _text in self.both():
            rows = table(tables, "Idéer och aktiviteter per kommun, 2017")
            assert len(rows) == 1 + 12, name
            assert sum(int(r[1]) for r in rows[1:]) == 15, name
            challenges = table(tables, "Idéer per samhällsutmaning")
            by_name = {r[0]: int(r[1]) for r in challenges[1:]}
            assert by_name[INCLUSIVE] == 11 and by_name[HEALTH] == 2, name
        assert self.html.count("<svg") == 2

    def test_word_has_real_headings_in_order_and_a_table_of_contents(self) -> None:
        headings = docx_headings(self.docx)
        assert ("Title", "Verksamhetsrapport 2017") in headings
        level1 = [text for style, text in headings if style == "Heading 1"]
        assert level1 == ["Innehåll", *SECTIONS_SV]
        from docx import Document

        body = Document(io.BytesIO(self.docx)).element.body.xml
        assert 'TOC \\o "1-2" \\h \\z \\u' in body

    def test_the_english_report(self) -> None:
        english = documents.report_html(self.report, "en")
        tables = html_tables(english)
        assert table(tables, "Partners on 31 December 2017")[-1] == ["16", "14"]
        text = html_text(english)
        assert "At the end of the year the newsletter had 364 subscribers." in text
        assert "Activity report 2017" in text


@pytest.mark.django_db
def test_the_pdf_has_its_sections_in_order_on_pages_that_are_not_blank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2
    from pypdf import PdfReader

    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    output = tmp_path / "rapport.pdf"
    call_command(
        "yearly_report",
        partnership="orebro",
        year=2017,
        format="pdf",
        output=str(output),
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    data = output.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert 6 <= len(pages) <= 16
    # The sections follow one another in order, after the contents page.
    text = "\n".join(pages[2:])
    positions = [text.find(heading) for heading in SECTIONS_SV]
    assert all(p >= 0 for p in positions), list(zip(SECTIONS_SV, positions, strict=True))
    assert positions == sorted(positions)
    # The contents page names every section with the page it starts on.
    contents = pages[1]
    for heading in SECTIONS_SV:
        title = heading.split(". ", 1)[1]
        match = re.search(re.escape(title) + r"[ .]*?(\d+)", contents)
        assert match, f"{title} not in the contents: {contents!r}"
        start = int(match.group(1))
        assert heading in pages[start - 1] or heading.replace(". ", ".") in pages[start - 1]
    # Page numbers at the foot: "n / total".
    assert f"1 / {len(pages)}" in pages[0] and f"{len(pages)} / {len(pages)}" in pages[-1]
    # Rendered to images, no page is blank: each has a good share of dark pixels.
    pdf = pypdfium2.PdfDocument(data)
    for index in range(len(pdf)):
        image = pdf[index].render(scale=0.5).to_pil().convert("L")
        dark = sum(n for n, value in image.getcolors(maxcolors=256) if value < 200)
        assert dark > 0.003 * image.width * image.height, f"page {index + 1} looks blank"
    # A page with a chart has non-grey colour (the bars and the map's circles).
    colours = [
        pdf[i].render(scale=0.5).to_pil().convert("RGB").getcolors(maxcolors=1_000_000)
        for i in range(len(pdf))
    ]
    coloured = [
        i
        for i, c in enumerate(colours)
        if c and any(abs(r - b) > 60 and n > 200 for n, (r, g, b) in c)
    ]
    assert len(coloured) >= 2
