"""Tables as the files Swedish offices open: CSV (semicolon-separated, as Excel expects with a
Swedish locale, UTF-8 with a byte-order mark) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

from soin.core.text import xml_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by spreadsheet programs: text that
# visitors typed (a name, an organisation) must never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """Return ``value`` as a table cell: text that would start a formula is quoted."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # XLSX is XML: a stored control character would stop the whole file.
        value = xml_safe(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return workbook_xlsx([(title, headers, rows)])


def workbook_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Several tables in one workbook, a sheet each (titles cut to Excel's 31 characters and
    made unique)."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    used: set[str] = set()
    for index, (title, headers, rows) in enumerate(sheets):
        sheet = first if index == 0 else book.create_sheet()
        base = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or f"{index + 1}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base[:27]} {n}"
        used.add(name)
        sheet.title = name
        _fill_sheet(sheet, headers, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([xml_safe(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        values = [_plain(v) for v in row]
        sheet.append(values)
        widths = [max(w, len(str(v))) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"


def table_response(
    *, fmt: str, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """Return the table as a download in ``fmt`` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        response = HttpResponse(table_xlsx(title, headers, rows), content_type=XLSX_TYPE)
    else:
        fmt = "csv"
        response = HttpResponse(table_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
