"""Validation reports: what went wrong, where, and why.

Codes follow frictionless-py where one fits (``type-error``,
``constraint-error``, ``missing-cell``...); the project's own rules use the
``ird/`` namespace. ``CODES`` is the whole taxonomy, documented in the README.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

CODES: dict[str, str] = {
    "encoding-error": "bytes that are not UTF-8",
    "source-error": "a quote that is never closed: the rest of the file cannot be read",
    "missing-label": "a column of the table is missing from the header",
    "extra-label": "the header has a column the table does not have",
    "duplicate-label": "the header names a column twice",
    "blank-row": "a row with no values",
    "missing-cell": "a row with fewer cells than the header",
    "extra-cell": "a row with more cells than the header",
    "type-error": "a cell that is not of the column's type (integer, number, date YYYY-MM-DD, true/false)",
    "constraint-error": "a required cell is empty, text is blank (only spaces), or a value is outside the allowed "
    "values, pattern or minimum",
    "primary-key": "an id used twice in the file, or already used by a row that ships",
    "foreign-key": "a reference to an id that exists neither in the shipped data nor in the submission",
    "ird/formula-injection": "a text cell starting with =, +, -, @, tab or carriage return",
    "ird/date-order": "an end date before its start date",
    "ird/bounds-order": "a lower bound above its upper bound",
    "ird/date-precision": "a date and its precision missing one another, or a date that is not the first day "
    "of its month or year at that precision",
    "ird/period-label": "a fiscal or calendar year whose label and dates do not agree",
    "ird/claim-target": "a claim that does not point at exactly one row",
    "ird/required-when": "a cell required by another cell's value is empty",
    "ird/unknown-field": "a claim about a column its table does not have",
    "ird/unexplained-gap": "a source with no URL or no date and no note saying why",
    "ird/control-character": "a control character (NUL, ESC, DEL, C1) or a bidirectional override in text; "
    "only a note may hold line breaks",
    "ird/out-of-range": "a number beyond ±1e15, the largest figure accepted",
    "ird/whole-number": "a claim about a count (quantity, documents signed) whose number is not whole",
    "ird/partial-period": "a partial period whose dates cover a whole fiscal or calendar year",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, pinned to a physical line (the header is line 1) and column."""

    line: int | None
    column: str | None
    value: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    table: str
    path: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems found beyond max_errors

    @property
    def valid(self) -> bool:
        return not self.problems and not self.omitted

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "table": self.table,
            "rows": self.rows,
            "errors": [p.to_dict() for p in self.problems],
            "omitted": self.omitted,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_frame(self) -> Any:
        import pandas as pd

        cols = ["line", "column", "value", "code", "message"]
        frame = pd.DataFrame([p.to_dict() for p in self.problems], columns=cols)
        return frame.astype({"line": "Int64"})

    def to_text(self) -> str:
        from ..schema.terminal import safe

        where = self.path or self.table
        if self.valid:
            return safe(f"{where}: valid ({self.rows} rows, table {self.table})")
        total = len(self.problems) + self.omitted
        out = [f"{where}: {total} problem(s) in {self.rows} rows (table {self.table})"]
        current: object = object()
        for p in self.problems:
            if p.line != current:
                current = p.line
                out.append(f"line {p.line}:" if p.line is not None else "file:")
            col = f"{p.column}: " if p.column else ""
            val = f" [value {p.value!r}]" if p.value not in (None, "") else ""
            out.append(f"  {col}{p.message}{val}  ({p.code})")
        if self.omitted:
            out.append(f"... and {self.omitted} more problem(s) not shown (raise --max-errors to see them)")
        from ..schema.terminal import safe

        return "\n".join(safe(line) for line in out)  # a header name or a path may hold ESC


class InputError(Exception):
    """The input cannot be validated at all (missing, unreadable, unknown table): exit code 2."""
