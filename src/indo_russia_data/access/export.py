"""Exports: a SQLite database built from the models (plus Datasette metadata), or copies of the shipped files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..paths import PACKAGE_DATA
from ..schema import TABLES
from ..schema.columns import Column
from ..schema.table import Table
from .export_guard import check_writable, record
from .loader import path

SQLITE_NAME = "indo_russia_data.sqlite"
METADATA_NAME = "metadata.json"
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT", "boolean": "INTEGER"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _one_line(text: str) -> str:
    # A "--" comment ends at the newline; a description must not spill into the SQL.
    return " ".join(text.split())


def column_sql(col: Column) -> str:
    """One column definition: type, NOT NULL and CHECKs (enum, boolean, ISO date, minimum)."""
    name = _q(col.name)
    parts = [name, SQL_TYPES[col.kind]]
    if col.required:
        parts.append("NOT NULL")
    if col.enum is not None:
        parts.append(f"CHECK ({name} IN ({', '.join(_literal(v) for v in col.enum)}))")
    elif col.kind == "boolean":
        parts.append(f"CHECK ({name} IN (0, 1))")
    elif col.kind == "date":
        parts.append(f"CHECK ({name} IS date({name}))")  # only YYYY-MM-DD of a real day survives date()
    if col.minimum is not None:
        parts.append(f"CHECK ({name} >= {col.minimum:g})")
    return " ".join(parts)


def create_table_sql(spec: Table) -> str:
    """CREATE TABLE text with each column's description as a trailing comment (kept in sqlite_master)."""
    lines = [f"CREATE TABLE {_q(spec.name)} ( -- {_one_line(spec.title)}: {_one_line(spec.description)}"]
    for col in spec.columns:
        comment = _one_line(col.description)
        lines.append(f"  {column_sql(col)}," + (f" -- {comment}" if comment else ""))
    constraints = [f"  PRIMARY KEY ({_q(spec.primary_key)})"]
    for fk in spec.foreign_keys:
        # A key into its own table (a contract's earlier stage) may point at a row inserted later:
        # checked at COMMIT, as the claim keys below are.
        deferred = " DEFERRABLE INITIALLY DEFERRED" if fk.table == spec.name else ""
        constraints.append(f"  FOREIGN KEY ({_q(fk.column)}) REFERENCES {_q(fk.table)} ({_q(fk.ref)}){deferred}")
    for fk in spec.claim_keys:
        # claims point back at these tables, so this key can only hold once both are loaded:
        # checked at COMMIT instead of per row.
        constraints.append(f"  FOREIGN KEY ({_q(fk.column)}) REFERENCES {_q(fk.table)} ({_q(fk.ref)}) "
                           "DEFERRABLE INITIALLY DEFERRED")
    lines.append(",\n".join(constraints))
    return "\n".join(lines) + "\n)"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table_rows(spec: Table) -> Iterable[tuple[Any, ...]]:
    """Rows of the shipped Parquet file, as SQLite values, in the file's order."""
    import pyarrow.parquet as pq

    names = [c.name for c in spec.columns]
    table = pq.read_table(path(spec.name), columns=names)
    columns = [table.column(n).to_pylist() for n in names]
    for row in zip(*columns, strict=False):
        yield tuple(_sqlite_value(v) for v in row)


def check_integrity(con: sqlite3.Connection) -> None:
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise ValueError(f"foreign key check failed: {problems[:5]}")
    result = con.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise ValueError(f"integrity check failed: {result}")


def build_sqlite(target: Path) -> None:
    """Create the database at ``target`` (which must not exist) and load every table."""
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("BEGIN")
        for spec in TABLES.values():  # dependency order
            con.execute(create_table_sql(spec))
        for spec in TABLES.values():
            marks = ", ".join("?" for _ in spec.columns)
            cols = ", ".join(_q(c.name) for c in spec.columns)
            con.executemany(f"INSERT INTO {_q(spec.name)} ({cols}) VALUES ({marks})", table_rows(spec))
        con.execute("COMMIT")  # deferred keys are checked here
        check_integrity(con)
    finally:
        con.close()


def export_sqlite(out: Path | str, force: bool = False) -> Path:
    """Write ``indo_russia_data.sqlite`` and Datasette's ``metadata.json`` into ``out``."""
    from .metadata import metadata

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    check_writable(out, [SQLITE_NAME, METADATA_NAME], force)
    target = out / SQLITE_NAME
    partial = out / (SQLITE_NAME + ".partial")
    partial.unlink(missing_ok=True)
    try:
        build_sqlite(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)  # never leave a half-loaded database under the real name
    text = json.dumps(metadata(), ensure_ascii=False, indent=2) + "\n"
    (out / METADATA_NAME).write_text(text, encoding="utf-8")
    record(out, [target, out / METADATA_NAME])
    return target


def export_files(out: Path | str, format: str, force: bool = False) -> list[Path]:
    """Copy the shipped CSV or Parquet files, with a datapackage.json listing just those files."""
    if format not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {format!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    check_writable(out, [f"{name}.{format}" for name in TABLES] + ["datapackage.json"], force)
    written = []
    for name in TABLES:
        dest = out / f"{name}.{format}"
        shutil.copyfile(path(name, format), dest)
        written.append(dest)
    descriptor = json.loads((PACKAGE_DATA / "datapackage.json").read_text(encoding="utf-8"))
    # Keep bytes and hashes as shipped, but list only resources whose files are in ``out``.
    descriptor["resources"] = [r for r in descriptor["resources"] if r.get("format") == format]
    dp = out / "datapackage.json"
    dp.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    record(out, [*written, dp])
    return [*written, dp]


def export(out: Path | str, format: str = "sqlite", force: bool = False) -> list[Path]:
    """Export the tables into ``out`` as sqlite (plus metadata.json), csv or parquet. Files in
    ``out`` that an earlier export did not write are never overwritten unless ``force``."""
    if format == "sqlite":
        db = export_sqlite(out, force)
        return [db, db.parent / METADATA_NAME]
    return export_files(out, format, force)
