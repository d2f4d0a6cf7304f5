"""The Frictionless ``datapackage.json`` descriptor."""

from __future__ import annotations

from typing import Any

from . import TABLES
from .table_schema import table_schema

NAME = "indo-russia-data"
TITLE = "India-Russia bilateral relations: curated, sourced tables"
DESCRIPTION = (
    "Defence contracts, bilateral trade figures, agreements and the summits and dialogues where they were made, "
    "each figure traced to dated source documents through the claims table. CSV resources carry the Table "
    "Schema; each has a Parquet twin with the same rows and columns, listed as a file resource with its own bytes and "
    "hash (its typed schema and column descriptions are embedded in the Parquet file)."
)
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def descriptor(version: str, created: str, files: dict[str, dict[str, Any]], prefix: str = "") -> dict[str, Any]:
    """``files`` maps ``<table>.csv`` / ``<table>.parquet`` to {"bytes", "hash"}; ``prefix`` is
    the folder of the data files relative to the descriptor."""
    resources = []
    for name, spec in TABLES.items():
        csv_info = files[f"{name}.csv"]
        resources.append(
            {
                "name": name,
                "type": "table",
                "title": spec.title,
                "description": spec.description,
                "path": f"{prefix}{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_info["bytes"],
                "hash": csv_info["hash"],
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                "licenses": [DATA_LICENSE],
                "schema": table_schema(spec),
            }
        )
    # frictionless-py 5.21 cannot validate Parquet as a table (it gets no byte count and flags
    # nulls), so each Parquet file is a plain file resource: its bytes and hash are still checked.
    for name, spec in TABLES.items():
        info = files[f"{name}.parquet"]
        resources.append(
            {
                "name": f"{name}-parquet",
                "type": "file",
                "title": f"{spec.title} (Parquet)",
                "description": f"The {name} table as Parquet (zstd): same rows and columns as {name}.csv, "
                "with types, dictionary-encoded enums and column descriptions in the file's schema.",
                "path": f"{prefix}{name}.parquet",
                "scheme": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "bytes": info["bytes"],
                "hash": info["hash"],
                "licenses": [DATA_LICENSE],
                "tableOf": name,
            }
        )
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "keywords": ["India", "Russia", "defence", "trade", "diplomacy", "bilateral relations"],
        "licenses": [DATA_LICENSE],
        "sources": [
            {
                "title": "Dated news and official pages, one row each in the sources table",
                "path": f"{prefix}sources.csv",
            }
        ],
        "contributors": [{"title": "indo-russia-data contributors", "role": "author"}],
        "resources": resources,
    }
