"""Arrow (Parquet) schema for each table, generated from the models."""

from __future__ import annotations

from typing import Any

from .table import Table


def arrow_type(col: Any) -> Any:
    import pyarrow as pa

    if col.enum is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "date": pa.date32(),
        "boolean": pa.bool_(),
    }[col.kind]


def arrow_schema(spec: Table, version: str) -> Any:
    import pyarrow as pa

    fields = []
    for col in spec.columns:
        meta = {"description": col.description}
        if col.enum is not None:
            meta["enum"] = ",".join(col.enum)
        if col.unit:
            meta["unit"] = col.unit
        fields.append(pa.field(col.name, arrow_type(col), nullable=not col.required, metadata=meta))
    return pa.schema(
        fields,
        metadata={
            "table": spec.name,
            "title": spec.title,
            "description": spec.description,
            "primary_key": spec.primary_key,
            "package_version": version,
        },
    )
