"""The wording of every problem: one function per kind of problem, used by both validators.

The fast validator and the per-row reference call the same functions, so the same
mistake reads the same whichever found it (tests compare whole problems). Cell type
errors, formulas, control characters and patterns are worded once in the models'
custom errors (``schema.columns``, ``schema.table``) and reused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def duplicate_label(name: str) -> str:
    return f"column {name!r} appears twice in the header"


def extra_label(name: str, table: str) -> str:
    return f"{name!r} is not a column of {table}"


def missing_label(name: str) -> str:
    return f"column {name!r} is missing from the header"


def blank_row() -> str:
    return "the row is blank"


def unclosed_quote() -> str:
    return "a quote opened on this line is never closed, so the rest of the file cannot be read"


def missing_cells(have: int, ncols: int, names: Sequence[str]) -> str:
    missing = list(names[have:])
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return f"the row has {have} cells; the header has {ncols} (missing: {shown})"


def extra_cells(have: int, ncols: int) -> str:
    return f"the row has {have} cells; the header has {ncols}"


def required(column: str) -> str:
    return f"{column} is required"


def not_one_of(value: Any, allowed: Sequence[str]) -> str:
    return f"{value!r} is not one of: {', '.join(allowed)}"


def below_minimum(value: Any, minimum: float) -> str:
    return f"{value} is below the minimum {minimum:g}"


def repeated_id(value: str, first_line: int) -> str:
    return f"id {value!r} is already used on line {first_line}"


def taken_id(value: str) -> str:
    return (f"id {value!r} is already used by a row that ships or by an earlier file of this submission; "
            "new rows need new ids")


def unknown_id(value: str, table: str, ref: str) -> str:
    return f"{value!r} is not an id in {table}.{ref} (shipped or in this submission)"


def from_pydantic(err: dict[str, Any], column: Any, value: Any) -> str:
    """The message for one pydantic error on a cell, in the fast validator's words.

    pydantic words its built-in errors its own way ("Input should be ..."); those map to
    the functions above. The models' custom errors already use the shared wording.
    """
    kind = err["type"]
    if value in (None, "") and column is not None and column.required:
        return required(column.name)
    if kind == "literal_error" and column is not None and column.enum:
        return not_one_of(value, column.enum)
    if kind == "greater_than_equal" and column is not None and column.minimum is not None:
        return below_minimum(value, column.minimum)
    return str(err["msg"])
