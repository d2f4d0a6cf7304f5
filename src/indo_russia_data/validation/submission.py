"""Validating what is not one file of new rows: a pandas DataFrame, or several files sent together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..schema.table import Table
from .known_ids import Keys, in_raw, read_ids, shipped_keys
from .report import InputError


def _frame_keys(frame: Any, spec: Table) -> Keys:
    """A frame of rows that all ship (as ``ird.load`` gives them, perhaps edited) is checked as edits:
    its ids are not 'taken'. Any other frame holds new rows, which may not reuse a shipped id."""
    keys = shipped_keys()
    ids = set(frame[spec.primary_key].dropna()) if spec.primary_key in frame.columns else set()
    if ids and ids <= keys.taken.get(spec.name, set()):
        keys.taken[spec.name] = set()
    return keys


def _frame_to_csv(frame: Any, spec: Table) -> bytes:
    import pandas as pd

    # The published columns the build derives from claims are not part of a row one writes.
    derived = {c.name for c in spec.columns} - {c.name for c in spec.raw_columns}
    out = frame.drop(columns=[c for c in frame.columns if c in derived])
    kinds = {c.name: c.kind for c in spec.raw_columns}
    for name in out.columns:
        s = out[name]
        if kinds.get(name) == "integer" and pd.api.types.is_float_dtype(s):
            # pandas reads an integer column with blanks as floats (21.0): write whole numbers back.
            whole = s.dropna()
            if (whole == whole.round()).all():
                out[name] = s.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[name] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[name] = s.map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def submission_keys(paths: list[Path]) -> list[Keys]:
    """Keys for several files sent together, one per file: shipped ids plus every id the
    files add; a new id may not be added twice (the second use is an error).

    A file in a checkout's raw/ is its whole table, so the shipped ids of that
    table are not 'taken' by it.
    """
    shipped = shipped_keys()
    ids: list[tuple[str, set[str], bool]] = []
    for path in paths:
        from .validator import table_for

        spec = table_for(path, None)
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
        ids.append((spec.name, read_ids(Path(path), spec), in_raw(path) is not None))
    known = {name: set(v) for name, v in shipped.known.items()}
    for name, found, whole in ids:
        known[name] = found if whole else known.get(name, set()) | found
    out = []
    for i, (name, _, whole) in enumerate(ids):
        taken = {n: set(v) for n, v in shipped.taken.items()}
        taken[name] = set() if whole else set(taken.get(name, set()))
        for other, found, other_whole in ids[:i]:
            if other == name and not other_whole:
                taken[name] |= found  # the same new id in two files of one submission
        out.append(Keys(known=known, taken=taken))
    return out
