"""Vectorised cell checks: the column rules of the models, over pyarrow arrays.

The order of the checks is the order pydantic applies them in (required, type,
allowed values, minimum, formula, pattern): a cell reports only its first failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema.arrays import booleans, first_bytes, mask, null_of, numbers, strings, values
from ..schema.arrays import empty as empty_cells
from ..schema.columns import (
    BLANK_RE,
    CONTROL_NOTE_RE,
    CONTROL_RE,
    DATE_RE,
    FORMULA_PREFIXES,
    INT_RE,
    MAX_NUMBER,
    NUMBER_RE,
    Column,
    control_name,
)
from . import messages


def real_dates(raw: Any, shaped: Any) -> Any:
    """Which YYYY-MM-DD strings name a real day (no 2021-02-30, no year 0), as a numpy mask.

    Arithmetic on the digits: an order of magnitude faster than strptime/strftime.
    """
    filler = strings(["0000-00-00"])[0]

    def part(start: int, stop: int) -> Any:
        digits = pc.utf8_slice_codeunits(pc.if_else(booleans(shaped), raw, filler), start, stop)
        return values(pc.cast(digits, pa.int32()))

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m, 0, 12)] + (leap & (m == 2))
    return (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= days) & shaped


def cell_checks(col: Column, raw: Any) -> tuple[Any, list[tuple[Any, str, Callable]]]:
    """Parse one string column; return (typed array, [(numpy bad mask, code, message(value))]).

    The order of the checks is the order pydantic applies them in: only a cell's first
    failure is reported. Masks are numpy arrays, and nothing here builds an array
    with ``pa.array`` (see :mod:`.arrays`).
    """
    def matches(pattern: str) -> Any:
        return mask(pc.match_substring_regex(raw, pattern))

    empty = empty_cells(raw)
    present = ~empty
    checks: list[tuple[Any, str, Callable]] = []
    if col.required:
        checks.append((empty, "constraint-error", lambda v, c=col: messages.required(c.name)))
    typed: Any
    if col.kind == "integer":
        ok = matches(INT_RE)
        checks.append((present & ~ok, "type-error", lambda v: f"{v!r} is not a valid integer"))
        unsigned = pc.replace_substring_regex(raw, r"^\+", "")
        typed = pc.cast(pc.if_else(booleans(ok), unsigned, null_of(pa.string())), pa.int64())
    elif col.kind == "number":
        ok = matches(NUMBER_RE)
        checks.append((present & ~ok, "type-error", lambda v: f"{v!r} is not a valid number"))
        typed = pc.cast(pc.if_else(booleans(ok), raw, null_of(pa.string())), pa.float64())
        infinite = mask(pc.is_inf(typed))
        checks.append((infinite, "type-error", lambda v: f"{v!r} is not a valid finite number"))
        with np.errstate(invalid="ignore"):
            huge = np.abs(numbers(typed)) > MAX_NUMBER  # null is NaN: not huge
        checks.append((huge & ~infinite, "ird/out-of-range",
                       lambda v: f"{v} is beyond ±1e15, the largest figure accepted"))
        typed = pc.if_else(booleans(infinite | huge), null_of(pa.float64()), typed)
    elif col.kind == "date":
        shaped = matches(DATE_RE)
        real = real_dates(raw, shaped)
        checks.append((present & ~shaped, "type-error", lambda v: f"{v!r} is not a valid date (YYYY-MM-DD)"))
        checks.append((shaped & ~real, "type-error", lambda v: f"{v!r} is not a valid date (no such day)"))
        typed = pc.cast(pc.if_else(booleans(real), raw, null_of(pa.string())), pa.date32())
    elif col.kind == "boolean":
        ok = mask(pc.is_in(raw, value_set=strings(["true", "false"])))
        checks.append((present & ~ok, "type-error", lambda v: f"{v!r} is not a valid boolean (true/false)"))
        typed = pc.if_else(booleans(ok), pc.equal(raw, strings(["true"])[0]), null_of(pa.bool_()))
    else:
        typed = pc.if_else(booleans(present), raw, null_of(pa.string()))
    if col.enum is not None:
        ok = mask(pc.is_in(raw, value_set=strings(col.enum)))
        checks.append((present & ~ok, "constraint-error", lambda v, c=col: messages.not_one_of(v, c.enum)))
    if col.minimum is not None:
        with np.errstate(invalid="ignore"):
            below = numbers(typed) < col.minimum  # null is NaN: not below
        checks.append((below, "constraint-error", lambda v, c=col: messages.below_minimum(v, c.minimum)))
    lead = first_bytes(raw) if col.text else None
    if col.text:
        formula = _FORMULA_BYTES[lead]
        checks.append((formula, "ird/formula-injection",
                       lambda v: f"text starts with {v[:1]!r}, which spreadsheets run as a formula"))
    if col.text:
        # Both are rare, and a regex over a million ids costs more than every other check:
        # look at the bytes first, and run the regex only where they allow a match.
        nothing = np.zeros(len(raw), bool)
        blank = matches(BLANK_RE) if _BLANK_LEAD[lead].any() else nothing
        checks.append((blank, "constraint-error", lambda v, c=col: f"{c.name} is blank (only spaces)"))
        control = CONTROL_NOTE_RE if col.multiline else CONTROL_RE
        found = matches(control) if _may_hold_control(raw) else nothing
        checks.append((found, "ird/control-character", lambda v, c=col, r=control: _control_message(c.name, v, r)))
    if col.pattern is not None:
        ok = matches(col.pattern)
        checks.append((present & ~ok, "constraint-error",
                       lambda v, c=col: f"{v!r} does not match the pattern {c.pattern}"))
    return typed, checks


def _byte_table(values: list[int]) -> Any:
    table = np.zeros(256, bool)
    table[values] = True
    return table


# First bytes of the characters in BLANK_RE (ASCII space and controls; lead bytes of U+00A0,
# U+1680, U+2000-U+3000 and U+FEFF) and in the control classes (C0, DEL; lead bytes of C1
# U+0080-U+009F, of U+2028-U+2069 and of U+FEFF).
_BLANK_LEAD = _byte_table([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF])
_CONTROL_BYTES = _byte_table([*range(0x20), 0x7F, 0xC2, 0xE2, 0xEF])


def _may_hold_control(raw: Any) -> bool:
    data = raw.buffers()[2]
    if data is None or data.size == 0:
        return False
    arr = np.frombuffer(data, np.uint8)
    if arr.min() >= 0x20 and arr.max() < 0x7F:  # printable ASCII, the usual case: two fast reductions
        return False
    return bool(_CONTROL_BYTES[arr].any())


def _control_message(name: str, value: str, pattern: str) -> str:
    import re

    found = re.search(pattern.replace("$", r"\Z"), value)
    char = control_name(found.group()[0]) if found else "?"
    return f"{name} holds the control character {char}"


def _formula_bytes() -> Any:
    # Every prefix is one ASCII character, so a cell's first byte decides.
    if not all(len(p) == 1 and p.isascii() for p in FORMULA_PREFIXES):
        raise ValueError("formula prefixes must be single ASCII characters")
    table = np.zeros(256, bool)
    table[[ord(p) for p in FORMULA_PREFIXES]] = True
    return table


_FORMULA_BYTES = _formula_bytes()
