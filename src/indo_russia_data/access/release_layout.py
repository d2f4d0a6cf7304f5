"""Which file holds each table of a release, whatever form the release takes.

A built release's datapackage.json lists, per table, a CSV resource carrying the
Table Schema and a Parquet file resource that names its table in ``tableOf``.
An export lists only one of the two (``export --format parquet`` keeps just the
Parquet resources), and a folder of files may have no descriptor at all. Tables
are therefore found from every resource, not only from the CSV ones, and a
folder without a descriptor is read by file name with the package's own schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

PARQUET_SUFFIX = "-parquet"  # how built releases name a table's Parquet resource


@dataclass
class TableFiles:
    """Where one table's rows are: its Parquet file, its CSV file, or both (Parquet is read first)."""

    name: str
    key: str = ""  # primary key from the CSV resource's schema ('' if only the Parquet file says)
    fields: dict[str, str] = field(default_factory=dict)  # column → Table Schema type (CSV resource)
    parquet: str | None = None
    csv: str | None = None


def _format(resource: dict[str, Any]) -> str:
    fmt = resource.get("format")
    if isinstance(fmt, str) and fmt:
        return fmt.lower()
    return PurePosixPath(str(resource.get("path", ""))).suffix.lstrip(".").lower()


def table_files(package: dict[str, Any]) -> dict[str, TableFiles]:
    """Each table of a descriptor, from its CSV (with schema) and Parquet resources, in listed order."""
    from ..schema import TABLES

    out: dict[str, TableFiles] = {}
    for res in package.get("resources", []):
        fmt, name = _format(res), str(res.get("name", ""))
        if fmt == "parquet":
            table = res.get("tableOf") or name.removesuffix(PARQUET_SUFFIX)
            entry = out.setdefault(table, TableFiles(table))
            entry.parquet = res["path"]
        elif "schema" in res:  # a CSV (or a file of unstated format) with a schema; without one, a plain file
            schema = res["schema"]
            key = schema.get("primaryKey", "")
            entry = out.setdefault(name, TableFiles(name))
            entry.csv = res["path"]
            entry.key = key[0] if isinstance(key, list) else key
            entry.fields = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    for entry in out.values():
        if not entry.key and entry.name in TABLES:  # a Parquet file without key metadata
            entry.key = TABLES[entry.name].primary_key
    return out


def implied_package(read: Callable[[str], bytes | None]) -> dict[str, Any] | None:
    """A descriptor for a release without one: its ``<table>.parquet`` and ``<table>.csv`` files.

    Column types of the CSV files come from the package's current schema, the only
    one at hand; None when no file is named after a table.
    """
    from ..schema import TABLES
    from ..schema.table_schema import table_schema

    resources: list[dict[str, Any]] = []
    for name, spec in TABLES.items():
        if read(f"{name}.parquet") is not None:
            resources.append({"name": name + PARQUET_SUFFIX, "path": f"{name}.parquet", "format": "parquet",
                              "tableOf": name})
        if read(f"{name}.csv") is not None:
            resources.append({"name": name, "path": f"{name}.csv", "format": "csv", "schema": table_schema(spec)})
    return {"resources": resources} if resources else None
