"""Tables for Swedish offices: text typed by visitors never runs as a spreadsheet formula."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from soin.core.exports import FORMULA_STARTS, table_csv, table_xlsx

# What a visitor can type into a form field (control characters are not kept by forms).
TYPED = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)


@given(st.sampled_from(["=", "+", "-", "@", ""]), TYPED)
def test_no_typed_text_becomes_a_formula_in_xlsx(start: str, text: str) -> None:
    sheet = load_workbook(io.BytesIO(table_xlsx("t", ["Namn"], [[start + text]]))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert not str(cell.value).startswith("=")


def test_formula_starts_are_quoted_and_numbers_left_alone() -> None:
    rows = [[f"{start}HYPERLINK(1)"] for start in FORMULA_STARTS] + [[-5], ["Anna"]]
    sheet = load_workbook(io.BytesIO(table_xlsx("t", ["a"], rows))).active
    assert sheet is not None
    values = [c.value for c in sheet["A"]][1:]
    assert values[:-2] == [f"'{s}HYPERLINK(1)" for s in FORMULA_STARTS]
    assert values[-2:] == [-5, "Anna"]
    text = table_csv(["a"], rows).decode("utf-8-sig")
    assert "\r\n'=HYPERLINK(1)\r\n" in text
    assert "\r\nAnna\r\n" in text
