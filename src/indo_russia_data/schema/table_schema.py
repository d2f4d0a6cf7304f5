"""Frictionless Table Schema for each table, generated from the models."""

from __future__ import annotations

from typing import Any

from .table import Table


def field_descriptor(col: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": col.name, "type": col.kind, "description": col.description}
    if col.kind == "date":
        out["format"] = "default"
    constraints: dict[str, Any] = {}
    if col.required:
        constraints["required"] = True
    if col.enum is not None:
        constraints["enum"] = list(col.enum)
    if col.pattern is not None:
        constraints["pattern"] = col.pattern.removeprefix("^").removesuffix("$")
    if col.minimum is not None:
        constraints["minimum"] = int(col.minimum) if float(col.minimum).is_integer() else col.minimum
    if constraints:
        out["constraints"] = constraints
    if col.unit:
        out["unit"] = col.unit
    if col.example:
        out["example"] = col.example
    return out


def table_schema(spec: Table) -> dict[str, Any]:
    fks = [
        {"fields": fk.column, "reference": {"resource": fk.table, "fields": fk.ref}}
        for fk in (*spec.foreign_keys, *spec.claim_keys)
    ]
    out: dict[str, Any] = {
        "fields": [field_descriptor(c) for c in spec.columns],
        "primaryKey": [spec.primary_key],
        "missingValues": [""],
    }
    if fks:
        out["foreignKeys"] = fks
    return out
