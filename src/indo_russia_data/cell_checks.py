"""Vectorised cell checks and id hashing: the column rules of the models, over pyarrow arrays.

The order of the checks is the order pydantic applies them in (required, type,
allowed values, minimum, formula, pattern): a cell reports only its first failure.
"""

from __future__ import annotations

from typing import Any, Callable

from .schema.columns import DATE_RE, FORMULA_PREFIXES, INT_RE, NUMBER_RE, Column


def real_dates(raw: Any, shaped: Any, np: Any, pa: Any, pc: Any) -> Any:
    """Which YYYY-MM-DD strings name a real day (no 2021-02-30, no year 0).

    Arithmetic on the digits: an order of magnitude faster than strptime/strftime.
    """
    def part(start: int, stop: int) -> Any:
        digits = pc.utf8_slice_codeunits(pc.if_else(shaped, raw, "0000-00-00"), start, stop)
        return np.asarray(pc.cast(digits, pa.int32()).to_numpy(zero_copy_only=False))

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m, 0, 12)] + (leap & (m == 2))
    ok = (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= days)
    return pa.array(ok & np.asarray(shaped.to_numpy(zero_copy_only=False), bool))


def cell_checks(col: Column, raw: Any, pa: Any, pc: Any) -> tuple[Any, list[tuple[Any, str, Callable]]]:
    """Parse one string column; return (typed array, [(bad mask, code, message(value))]).

    The order of the checks is the order pydantic applies them in: only a cell's first
    failure is reported.
    """
    import numpy as np

    empty = pc.equal(pc.binary_length(raw), 0)
    present = pc.invert(empty)
    checks: list[tuple[Any, str, Callable]] = []
    if col.required:
        checks.append((empty, "constraint-error", lambda v, c=col: f"{c.name} is required"))
    typed: Any
    if col.kind == "integer":
        ok = pc.match_substring_regex(raw, INT_RE)
        checks.append((pc.and_(present, pc.invert(ok)), "type-error", lambda v: f"{v!r} is not a valid integer"))
        typed = pc.cast(pc.if_else(ok, pc.replace_substring_regex(raw, r"^\+", ""), None), pa.int64())
    elif col.kind == "number":
        ok = pc.match_substring_regex(raw, NUMBER_RE)
        checks.append((pc.and_(present, pc.invert(ok)), "type-error", lambda v: f"{v!r} is not a valid number"))
        typed = pc.cast(pc.if_else(ok, raw, None), pa.float64())
        infinite = pc.fill_null(pc.is_inf(typed), False)
        checks.append((infinite, "type-error", lambda v: f"{v!r} is not a valid finite number"))
        typed = pc.if_else(infinite, None, typed)
    elif col.kind == "date":
        shaped = pc.match_substring_regex(raw, DATE_RE)
        real = real_dates(raw, shaped, np, pa, pc)
        checks.append((pc.and_(present, pc.invert(shaped)), "type-error",
                       lambda v: f"{v!r} is not a valid date (YYYY-MM-DD)"))
        checks.append((pc.and_(shaped, pc.invert(real)), "type-error",
                       lambda v: f"{v!r} is not a valid date (no such day)"))
        typed = pc.cast(pc.if_else(real, raw, None), pa.date32())
    elif col.kind == "boolean":
        ok = pc.is_in(raw, value_set=pa.array(["true", "false"]))
        checks.append((pc.and_(present, pc.invert(ok)), "type-error",
                       lambda v: f"{v!r} is not a valid boolean (true/false)"))
        typed = pc.if_else(ok, pc.equal(raw, "true"), None)
    else:
        typed = pc.if_else(present, raw, None)
    if col.enum is not None:
        ok = pc.is_in(raw, value_set=pa.array(col.enum))
        checks.append((pc.and_(present, pc.invert(ok)), "constraint-error",
                       lambda v, c=col: f"{v!r} is not one of: {', '.join(c.enum)}"))
    if col.minimum is not None:
        below = pc.fill_null(pc.less(typed, col.minimum), False)
        checks.append((below, "constraint-error", lambda v, c=col: f"{v} is below the minimum {c.minimum:g}"))
    if col.text:
        first = pc.utf8_slice_codeunits(raw, 0, 1)
        formula = pc.is_in(first, value_set=pa.array(list(FORMULA_PREFIXES)))
        checks.append((formula, "ird/formula-injection",
                       lambda v: f"text starts with {v[:1]!r}, which spreadsheets run as a formula"))
    if col.pattern is not None:
        ok = pc.match_substring_regex(raw, col.pattern)
        checks.append((pc.and_(present, pc.invert(ok)), "constraint-error",
                       lambda v, c=col: f"{v!r} does not match the pattern {c.pattern}"))
    return typed, checks


def string_hashes(arr: Any, np: Any, pa: Any) -> Any:
    """64-bit hashes of a string array without nulls (Python's own string hash).

    Ids from earlier blocks are kept only as these hashes (8 bytes a row), so memory
    does not grow with the ids' length; repeats within a block are confirmed on the
    ids themselves. Two different ids share a hash with probability about
    n^2 / 2^65 (under 1e-6 for five million rows). Python's hash is seeded per
    process, which is fine: the hashes never leave it.
    """
    return np.fromiter(map(hash, arr.to_pylist()), dtype=np.int64, count=len(arr)).view(np.uint64)
