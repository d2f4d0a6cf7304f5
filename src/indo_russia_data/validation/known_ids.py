"""Which ids a file's keys are checked against: shipped ids, raw/ ids, a submission's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schema import TABLES
from ..schema.table import Table


@dataclass
class Keys:
    """Ids a file's keys are checked against.

    ``known``: per table, ids that foreign keys may point at (shipped rows plus
    the submission). ``taken``: per table, ids a new row may not reuse.
    """

    known: dict[str, set[str]] = field(default_factory=dict)
    taken: dict[str, set[str]] = field(default_factory=dict)


def raw_keys(raw: Path, extra: dict[str, set[str]] | None = None) -> Keys:
    """Keys for validating raw/ itself: ids may point anywhere in raw/ or at ``extra`` ids
    (the build passes those the committed snapshots add), and none is 'taken'."""
    known = {name: read_ids(raw / f"{name}.csv", spec) for name, spec in TABLES.items()}
    for name, ids in (extra or {}).items():
        known[name] = known.get(name, set()) | ids
    return Keys(known=known, taken={})


def in_raw(path: Any) -> Path | None:
    """The checkout's raw/ folder if ``path`` is a file in it (such a file is its whole table)."""
    folder = Path(path).resolve().parent
    return folder if folder.name == "raw" and (folder.parent / "pyproject.toml").is_file() else None


def keys_for(source: Any) -> Keys:
    """A file in a checkout's raw/ is the whole table; any other file holds new rows."""
    raw = None if isinstance(source, (bytes, bytearray)) else in_raw(source)
    return raw_keys(raw) if raw is not None else shipped_keys()


def shipped_keys() -> Keys:
    """Ids of the data that ships: foreign keys may use them; new rows may not reuse them."""
    keys = Keys()
    for name in TABLES:
        ids = shipped_ids(name)
        keys.known[name] = ids
        keys.taken[name] = ids
    return keys


def shipped_ids(name: str) -> set[str]:
    """Primary keys of a shipped table (empty before the first build)."""
    from ..paths import PACKAGE_DATA

    p = PACKAGE_DATA / f"{name}.parquet"
    if not p.exists():
        return set()
    import pyarrow.parquet as pq

    from ..schema.integrity import verify

    verify(p)
    # ParquetFile, not read_table: read_table loads pyarrow.dataset, which imports pandas (0.2 s).
    return set(pq.ParquetFile(p).read(columns=[TABLES[name].primary_key]).column(0).to_pylist())


def read_ids(path: Path, table: Table) -> set[str]:
    """The primary keys in a CSV file, read by the validator itself (so the two never
    disagree on where a record ends), whatever else is wrong with the file."""
    from .report import InputError
    from .validator import Cells, validate

    cells = Cells((table.primary_key,))
    try:
        validate(path, table.name, keys=Keys(), max_errors=0, cells=cells)
    except InputError:
        return set()
    return set(cells.column(table.primary_key)) - {""}
