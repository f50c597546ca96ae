"""CSV files for spreadsheets: one way to write them, with every cell safe to open.

A cell starting with = + - @ (or a tab or carriage return) is prefixed with an apostrophe, so a
spreadsheet shows it as text instead of running it as a formula (CSV injection). Numbers, negative ones
included, stay numbers.
Rows end in CRLF, as RFC 4180 and spreadsheets expect.
"""

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")  # "-25.00" is a number, not a formula


def cell(value: Any) -> Any:
    """The value as a CSV cell: ints and None as they are, text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file: the header, then each row with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()
