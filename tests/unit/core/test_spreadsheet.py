"""CSV cells are safe to open in a spreadsheet: text that would run as a formula is shown as text."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.core.spreadsheet import FORMULA_STARTS, cell, csv_text


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x",
                                  '=HYPERLINK("http://evil.test")'])
def test_text_that_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [("-25.00", "-25.00"), ("19.95", "19.95"), (-3, -3), (0, 0),
                                                 (None, ""), (True, "yes"), (False, "no"), ("Pat", "Pat")])
def test_numbers_and_plain_text_stay_as_they_are(value, expected):
    assert cell(value) == expected


@given(st.text(max_size=40))
def test_no_cell_read_back_starts_a_formula_unless_it_is_a_plain_number(text):
    (row,) = list(csv.reader(io.StringIO(csv_text(["a"], [[text]]))))[1:]
    value = row[0]
    if value[:1] in FORMULA_STARTS:
        float(value)  # only a plain negative number may start with "-"


def test_rows_end_in_crlf_with_the_header_first():
    assert csv_text(["a", "b"], [[1, "x"]]) == "a,b\r\n1,x\r\n"
