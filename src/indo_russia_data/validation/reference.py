"""The per-row reference validator: slow, simple, and the yardstick for the fast one.

It reads the file with Python's csv module and validates each row with the
table's pydantic model; tests hold :func:`indo_russia_data.validation.validate`
to the same (line, column, code) answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..schema import get_table
from . import messages
from .known_ids import Keys
from .report import Problem, Report


def validate_rows_reference(source: Any, table: str, keys: Keys | None = None) -> Report:
    """Validate a CSV file (path or bytes) row by row with the pydantic models."""
    spec = get_table(table)
    keys = keys or Keys()
    report = Report(table=table)
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    names = next(reader)
    order = {c.name: i for i, c in enumerate(spec.raw_columns)}
    seen: dict[str, int] = {}  # id -> line of its first use
    taken = keys.taken.get(table, set())
    fks = [(fk, keys.known.get(fk.table, set())) for fk in spec.foreign_keys]
    add = report.problems.append
    line = reader.line_num + 1
    records = [(cells, reader.line_num) for cells in reader]
    unclosed = _ends_inside_quotes(bytes(data))
    for k, (cells, line_num) in enumerate(records):
        start, line = line, line_num + 1
        if unclosed and k == len(records) - 1:
            add(Problem(start, None, None, "source-error", messages.unclosed_quote()))
            break
        if not cells or (len(cells) == len(names) and not any(cells)):
            add(Problem(start, None, None, "blank-row", messages.blank_row()))
            continue
        report.rows += 1
        if len(cells) != len(names):
            if len(cells) < len(names):
                add(Problem(start, names[len(cells)], None, "missing-cell",
                            messages.missing_cells(len(cells), len(names), names)))
            else:
                add(Problem(start, None, None, "extra-cell", messages.extra_cells(len(cells), len(names))))
            continue
        row = dict(zip(names, cells, strict=False))
        report.problems += _row_problems(spec, row, start, seen, taken, fks)
    report.problems.sort(key=lambda p: (p.line or 0, order.get(p.column or "", -1)))
    return report


def _row_problems(spec: Any, row: dict[str, str], start: int, seen: dict[str, int], taken: set[str],
                  fks: list[Any]) -> list[Problem]:
    """One row's problems: its cells by the model, its rules, its id and its references."""
    from pydantic import ValidationError

    out: list[Problem] = []
    columns = {c.name: c for c in spec.raw_columns}
    bad: set[str] = set()
    try:
        obj = spec.model.model_validate(row, context={"skip_rules": True}).__dict__
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0])
            bad.add(name)
            out.append(Problem(start, name, row.get(name), _code(err),  # absent if the header lacks it
                               messages.from_pydantic(dict(err), columns.get(name), row.get(name))))
    if not bad:
        for rule in spec.rules:
            failure = rule.check_row(obj)
            if failure:
                value = obj.get(failure.column)  # as the fast validator shows it: the typed value as text
                out.append(Problem(start, failure.column, None if value is None else str(value), failure.code,
                                   failure.message))
    pk = row.get(spec.primary_key, "")
    if spec.primary_key not in bad and pk:
        if pk in seen:
            out.append(Problem(start, spec.primary_key, pk, "primary-key", messages.repeated_id(pk, seen[pk])))
        elif pk in taken:
            out.append(Problem(start, spec.primary_key, pk, "primary-key", messages.taken_id(pk)))
        seen.setdefault(pk, start)
    for fk, known in fks:
        value = row.get(fk.column, "")
        if value and fk.column not in bad and value not in known:
            out.append(Problem(start, fk.column, value, "foreign-key", messages.unknown_id(value, fk.table, fk.ref)))
    return out


def _ends_inside_quotes(data: bytes) -> bool:
    """Whether the file ends inside a quoted cell (Python's csv would close it silently)."""
    import numpy as np

    from .csv_scan import quote_parity

    body = bytes(data)
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    arr = np.frombuffer(body + b"\n", np.uint8)
    return bool(quote_parity(arr, np.array([len(arr) - 1]))[0])


def _code(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    if kind in ("type-error", "ird/formula-injection", "ird/control-character", "ird/out-of-range"):
        return kind
    return "constraint-error"  # enum, pattern, minimum, or a required cell left empty
