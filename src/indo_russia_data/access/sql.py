"""SQL over the shipped tables with DuckDB: every table loaded from its Parquet file into an
in-memory database that then cannot touch the file system."""

from __future__ import annotations

from typing import Any

from ..schema import TABLES
from .loader import path


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise ImportError("SQL needs duckdb: pip install 'indo-russia-data[sql]'") from None
    return duckdb


def connect(folder: Any = None) -> Any:
    """An in-memory DuckDB connection with one table per table (``SELECT * FROM events``),
    read from the shipped Parquet files (verified, see :mod:`.integrity`) or those in ``folder``.

    Once they are loaded, file-system access is switched off and the setting locked: a query
    cannot write over the package's files, nor read or write any other file, attach a
    database or install an extension. It can still create and change tables in its own
    memory (gone when the connection closes), and use the machine's CPU and memory.
    """
    from pathlib import Path

    duckdb = _duckdb()
    con = duckdb.connect(":memory:")
    for name in TABLES:
        # Copied in (a few MB): a view would need file access at query time.
        file = Path(folder) / f"{name}.parquet" if folder is not None else path(name)
        location = str(file).replace("'", "''")
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(\'{location}\')')
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def query(sql: str, folder: Any = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one query; return (column names, rows). DuckDB errors become ValueError with one line."""
    duckdb = _duckdb()
    con = connect(folder)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:  # a statement without a result, e.g. SET
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"SQL error: {first}") from None
    finally:
        con.close()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def format_table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """Aligned plain-text table, with a row count."""
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def format_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buf.getvalue().rstrip("\n")


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # Decimal, UUID...: exact text rather than a lossy float


def format_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    import json

    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=False)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2)


FORMATS = {"table": format_table, "csv": format_csv, "json": format_json}
