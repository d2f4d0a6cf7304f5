"""How values are spelled in the published CSV files (the build writes them, diff compares them)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def csv_cell(value: Any) -> str:
    """The CSV spelling of one value: empty for None/NaN, true/false, ISO dates, whole floats as integers."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


_SPECIAL = (",", '"', "\r", "\n")


def csv_field(text: str) -> str:
    """One cell as written in a CSV line: quoted when it holds a comma, a quote or any line
    break. (Python's csv.writer leaves a lone carriage return unquoted when its line
    terminator is "\n", and every reader then splits the row there.)"""
    if any(c in text for c in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: list[str]) -> str:
    return ",".join(map(csv_field, cells)) + "\n"
