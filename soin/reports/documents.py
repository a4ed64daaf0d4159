"""The yearly report as a document: one outline (sections of blocks) in the report's language,
drawn as HTML (pages, the HTML download and, through WeasyPrint, the PDF with its table of
contents and page numbers) and as DOCX (python-docx, with Word's own headings and tables).

A draft shows the data as it is now; a published report shows the figures frozen when it was
published.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soin.activities.models import Kind
from soin.core import aggregates
from soin.core.text import xml_safe
from soin.ideas.models import Idea
from soin.partners.models import Sector
from soin.reports import charts
from soin.reports.figures import SECTIONS, challenge_table, map_places, report_figures
from soin.reports.models import YearlyReport
from soin.reports.selectors import MapPlace, map_table
from soin.reports.tables import Table


@dataclass
class Block:
    kind: str  # "text", "subheading", "table", "chart"
    text: str = ""
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    # The last row sums up the table (seed 003's "Antal").
    total_row: bool = False
    chart: str = ""


@dataclass
class Section:
    key: str
    number: int
    title: str
    blocks: list[Block]

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass
class Outline:
    title: str
    partnership: str
    language: str
    year: int
    state: str
    version: int
    as_of: str
    sections: list[Section]
    # The charts' tables by key ("challenges", "map"): what each chart draws.
    tables: dict[str, Table]
    # The municipality codes of the map's rows, in order (where each one goes on the map).
    place_codes: list[str]


def figures_for(report: YearlyReport) -> dict[str, Any]:
    if report.state == YearlyReport.State.PUBLISHED and report.figures:
        return report.figures
    return report_figures(partnership=report.partnership, year=report.year)


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "j F Y")


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "–"


def outline(
    report: YearlyReport,
    language: str,
    figures: dict[str, Any] | None = None,
    *,
    public: bool = False,
) -> Outline:
    """The report in ``language``: its sections in order, each of text and tables. The
    ``public`` version names only the ideas published in the knowledge bank."""
    figures = figures or figures_for(report)
    with translation.override(language):
        return _outline(report, language, figures, public)


def _label(stored: dict[str, Any], key: str, language: str, choices: Any) -> str:
    """A choice's label as it was when the figures were made (older figures: as it is now)."""
    labels = stored.get("label" if key == "sector" else f"{key}_label")
    if labels:
        return str(labels.get(language) or "")
    try:
        return str(choices(stored[key]).label)
    except ValueError:
        return str(stored[key])


def _outline(report: YearlyReport, language: str, f: dict[str, Any], public: bool) -> Outline:
    texts = {key: report.text(key, language) for key, _label in SECTIONS}
    if not texts["purpose"]:
        texts["purpose"] = (f.get("about") or {}).get(language, "")
    blocks: dict[str, list[Block]] = {key: [] for key, _label in SECTIONS}
    for key, text in texts.items():
        for paragraph in [p.strip() for p in text.split("\n\n") if p.strip()]:
            blocks[key].append(Block("text", paragraph))

    # 2. Purpose and partners.
    partners = f["partners"]
    counts = {s["sector"]: s["count"] for s in partners["sectors"]}
    blocks["purpose"].append(
        Block(
            "text",
            _(
                "At the end of the year the partnership gathered %(total)s partners: "
                "%(public)s public actors and %(civil)s in civil society and the social economy."
            )
            % {
                "total": partners["total"],
                "public": counts.get(Sector.PUBLIC, 0),
                "civil": counts.get(Sector.CIVIL_SOCIETY, 0),
            }
            + (
                " " + _("%(business)s are businesses.") % {"business": counts[Sector.BUSINESS]}
                if counts.get(Sector.BUSINESS)
                else ""
            ),
        )
    )
    if partners["sectors"]:
        columns = [s["names"] for s in partners["sectors"]]
        rows = [[name or "" for name in row] for row in zip_longest(*columns)]
        rows.append([s["count"] for s in partners["sectors"]])
        blocks["purpose"].append(
            Block(
                "table",
                caption=_("Partners on %(day)s by kind of actor") % {"day": _date(partners["on"])},
                headers=[_label(s, "sector", language, Sector) for s in partners["sectors"]],
                rows=rows,
                total_row=True,
            )
        )

    # 3. Plenary meetings and the working committee.
    meetings = f["plenary_meetings"]
    blocks["meetings"].append(
        Block(
            "text",
            ngettext(
                "The partnership held %(count)s plenary meeting during the year.",
                "The partnership held %(count)s plenary meetings during the year.",
                len(meetings),
            )
            % {"count": len(meetings)},
        )
    )
    if meetings:
        blocks["meetings"].append(
            Block(
                "table",
                caption=_("Plenary meetings"),
                headers=[_("Date"), _("Place"), _("Municipality")],
                rows=[[_date(m["date"]), m["place"], m["municipality"]] for m in meetings],
            )
        )
    committee = f["working_committee"]
    blocks["meetings"].append(
        Block(
            "text",
            ngettext(
                "The working committee met %(count)s time.",
                "The working committee met %(count)s times.",
                committee["meetings"],
            )
            % {"count": committee["meetings"]}
            + " "
            + _("Members of the working committee: %(names)s.")
            % {"names": _names(committee["members"])},
        )
    )

    # The follow-up of the activity plan, presented at the plenary meetings.
    plan = f.get("plan")
    if plan:
        blocks["meetings"].append(Block("subheading", _("Follow-up of the activity plan")))
        blocks["meetings"].append(
            Block(
                "text",
                _("%(plan)s: the status of each item at the end of the year.")
                % {"plan": plan["title"][language] or plan["title"]["sv"]},
            )
        )
        blocks["meetings"].append(
            Block(
                "table",
                caption=_("Follow-up of the activity plan, %(year)s") % {"year": f["year"]},
                headers=[
                    _("Area"),
                    _("Item"),
                    _("Responsible"),
                    _("Status at the end of the year"),
                    _("Reported during the year"),
                ],
                rows=[
                    [
                        i["area"][language] or i["area"]["sv"],
                        i["title"][language] or i["title"]["sv"],
                        _names(i["responsible"]),
                        i["status_label"][language],
                        " ".join(
                            f"{_date(r['date'])}, {r['status_label'][language]}: {r['text']}"
                            for r in i["reports"]
                        )
                        or "–",
                    ]
                    for i in plan["items"]
                ],
            )
        )

    # 4. Advice.
    groups = f["advisory_groups"]
    blocks["advice"].append(Block("subheading", _("The advisory groups")))
    blocks["advice"].append(
        Block(
            "text",
            _("Primary advisory group: %(names)s.") % {"names": _names(groups["primary"])},
        )
    )
    blocks["advice"].append(
        Block(
            "text",
            _("Extended advisory group, besides the primary group: %(names)s.")
            % {"names": _names(groups["extended"])},
        )
    )

    # 5. Outreach.
    stops = f["outreach_stops"]
    blocks["outreach"].append(
        Block(
            "text",
            ngettext(
                "The partnership made %(count)s outreach stop during the year.",
                "The partnership made %(count)s outreach stops during the year.",
                len(stops),
            )
            % {"count": len(stops)},
        )
    )
    if stops:
        blocks["outreach"].append(
            Block(
                "table",
                caption=_("Outreach stops"),
                headers=[
                    _("Date"),
                    _("Place"),
                    _("Municipality"),
                    _("Partners taking part"),
                    _("Ideas met"),
                ],
                rows=[
                    [
                        _date(s["date"]),
                        s["place"],
                        s["municipality"],
                        _names(s["participants"]),
                        s["ideas"],
                    ]
                    for s in stops
                ],
            )
        )
        blocks["outreach"].append(
            Block(
                "text",
                _("Partners that took part in the outreach stops: %(names)s.")
                % {"names": _names(f["outreach_partners"])},
            )
        )
    places = map_places(f)
    the_map = map_table(places)
    the_map.title = _("Ideas and activities per municipality, %(year)s") % {"year": f["year"]}
    blocks["outreach"].append(
        Block(
            "text",
            _("Activities were held in %(reached)s of the %(total)s municipalities of %(region)s.")
            % {"reached": f["reached"], "total": len(places), "region": f["region"]},
        )
    )
    blocks["outreach"].append(Block("chart", chart="map", caption=the_map.title))

    # 6. Ideas.
    ideas = f["ideas"]
    blocks["ideas"].append(
        Block(
            "text",
            ngettext(
                "%(count)s idea was met during the year.",
                "%(count)s ideas were met during the year.",
                len(ideas),
            )
            % {"count": len(ideas)},
        )
    )
    if ideas and public:
        blocks["ideas"].append(
            Block(
                "text",
                _(
                    "An idea is named here when it is published in the knowledge bank, with "
                    "its carrier's agreement."
                ),
            )
        )
    if ideas:
        blocks["ideas"].append(
            Block(
                "table",
                caption=_("The ideas of the year"),
                headers=[
                    _("Idea"),
                    _("Carrier"),
                    _("Relation to societal challenge"),
                    _("How the idea is handled"),
                ],
                rows=[
                    [
                        (i.get("public_title", {}).get(language) or "–") if public else i["title"],
                        _label(i, "carrier", language, Idea.CarrierCategory),
                        "; ".join(c[language] for c in i["challenges"]) or "–",
                        i.get("public_handling" if public else "handling", i["handling"])[language],
                    ]
                    for i in ideas
                ],
            )
        )
    challenges = challenge_table(f, language)
    blocks["ideas"].append(Block("chart", chart="challenges", caption=challenges.title))

    # 7. Seminars.
    seminars = f["seminars"]
    blocks["seminars"].append(
        Block(
            "text",
            ngettext(
                "%(count)s seminar took place during the year.",
                "%(count)s seminars took place during the year.",
                len(seminars),
            )
            % {"count": len(seminars)},
        )
    )
    if seminars:
        blocks["seminars"].append(
            Block(
                "table",
                caption=_("Seminars"),
                headers=[_("Date"), _("Place"), _("Title"), _("Kind"), _("Held by")],
                rows=[
                    [
                        _date(s["date"]),
                        s["place"],
                        s["title"][language],
                        _label(s, "kind", language, Kind),
                        _names(s["hosts"]),
                    ]
                    for s in seminars
                ],
            )
        )

    # 9. Information and communication.
    newsletter = f["newsletter"]
    blocks["communication"].insert(0, Block("subheading", _("Newsletter")))
    blocks["communication"].insert(
        1,
        Block(
            "text",
            ngettext(
                "The partnership sent %(count)s newsletter during the year.",
                "The partnership sent %(count)s newsletters during the year.",
                len(newsletter["issues"]),
            )
            % {"count": len(newsletter["issues"])}
            + " "
            + _("At the end of the year the newsletter had %(count)s subscribers.")
            % {"count": newsletter["subscribers_at_year_end"]},
        ),
    )
    if newsletter["issues"]:
        blocks["communication"].insert(
            2,
            Block(
                "table",
                caption=_("Newsletters sent"),
                headers=[_("Issue"), _("Sent")],
                rows=[[i["title"][language], _date(i["sent_on"])] for i in newsletter["issues"]],
            ),
        )
    if not texts["projects"]:
        blocks["projects"].append(
            Block("text", _("No joint projects are described for this year."))
        )

    sections = [
        Section(key, number, str(label), blocks[key])
        for number, (key, label) in enumerate(SECTIONS, start=1)
        if blocks[key] or key == "background"
    ]
    partnership_name = f["partnership"][language]
    return Outline(
        title=_("Activity report %(year)s") % {"year": report.year},
        partnership=partnership_name,
        language=language,
        year=report.year,
        state=report.state,
        version=report.version,
        as_of=date_format(datetime.datetime.fromisoformat(f["generated_at"]).date(), "j F Y"),
        sections=sections,
        tables={"challenges": challenges, "map": the_map},
        place_codes=[p.code for p in places],
    )


def chart(outline: Outline, key: str, fmt: str = "svg") -> Any:
    """Draw one of the report's charts ("challenges", "map")."""
    with translation.override(outline.language):
        table = outline.tables[key]
        if key == "map":
            places = [
                MapPlace(code, label, int(values[0]), int(values[1]))
                for code, (label, values) in zip(outline.place_codes, table.rows, strict=True)
            ]
            return charts.map_svg(places, title=table.title, fmt=fmt)
        return charts.chart_svg(table, fmt=fmt)


def public_drawing(report: YearlyReport, language: str) -> tuple[Outline, dict[str, str]]:
    """The published report's outline as the public site shows it, and its charts drawn (by
    key), in ``language``: drawn once per version and language and then read from the cache
    (a published version never changes; any change to the report renews its stamp)."""

    def draw() -> tuple[Outline, dict[str, str]]:
        doc = outline(report, language, public=True)
        return doc, {key: str(chart(doc, key)) for key in doc.tables}

    return aggregates.cached(
        source="reports",
        key=("public_drawing", report.pk, report.version, report.state, language),
        compute=draw,
        partnerships=[report.partnership_id],
    )


def report_html(report: YearlyReport, language: str, *, public: bool = False) -> str:
    """The report as one HTML document, charts inline (the HTML download and the PDF)."""
    doc = outline(report, language, public=public)
    return render_to_string(
        "reports/report_document.html",
        {
            "doc": doc,
            "charts": {key: charts.inline(chart(doc, key)) for key in doc.tables},
        },
    )


def report_pdf(report: YearlyReport, language: str, *, public: bool = False) -> bytes:
    from weasyprint import HTML

    html = report_html(report, language, public=public)
    # Tagged PDF (PDF/UA-1): headings, tables and reading order for screen readers.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def report_docx(report: YearlyReport, language: str, *, public: bool = False) -> bytes:
    """The report as a Word document: a table of contents (a field Word fills in), real
    headings, tables with a header row, the charts as pictures with their tables."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = outline(report, language, public=public)
    word = Document()
    word.core_properties.title = xml_safe(f"{doc.title} – {doc.partnership}")
    word.core_properties.language = language
    word.styles["Normal"].font.size = Pt(11)
    word.add_heading(doc.title, level=0)
    word.add_paragraph(xml_safe(doc.partnership))
    with translation.override(language):
        state_line = (
            _("Version %(version)s, published") % {"version": doc.version}
            if doc.state == YearlyReport.State.PUBLISHED
            else _("Draft, figures as of %(day)s") % {"day": doc.as_of}
        )
        contents = _("Contents")
        chart_note = _("The chart's figures:")
    word.add_paragraph(state_line)
    word.add_heading(contents, level=1)
    paragraph = word.add_paragraph()
    run = paragraph.add_run()
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, 'TOC \\o "1-2" \\h \\z \\u'),
        ("w:fldChar", {"w:fldCharType": "separate"}, None),
    ):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if text:
            element.text = text
        run._r.append(element)
    for section in doc.sections:
        paragraph.add_run(f"{section.number}. {section.title}").add_break()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
    for section in doc.sections:
        word.add_heading(f"{section.number}. {section.title}", level=1)
        for block in section.blocks:
            if block.kind == "text":
                word.add_paragraph(xml_safe(block.text))
            elif block.kind == "subheading":
                word.add_heading(xml_safe(block.text), level=2)
            elif block.kind == "table":
                _docx_table(word, block.caption, block.headers, block.rows, block.total_row)
            elif block.kind == "chart":
                picture = io.BytesIO(chart(doc, block.chart, fmt="png"))
                word.add_picture(picture, width=Cm(16))
                word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                table = doc.tables[block.chart]
                word.add_paragraph(chart_note)
                _docx_table(word, table.title, table.headers, table.plain_rows(), False)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_table(
    word: Any, caption: str, headers: list[str], rows: list[list[Any]], total_row: bool
) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word.add_paragraph(xml_safe(caption), style="Caption")
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = xml_safe(str(header))
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # The header row repeats on every page.
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = (
                charts.number(value) if isinstance(value, int | float) else xml_safe(str(value))
            )
            if total_row and index == len(rows) - 1:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
