"""Loading the shipped tables: pandas by default, pyarrow or polars on request."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ..paths import PACKAGE_DATA
from ..schema import TABLES, get_table

TableName = Literal["sources", "events", "agreements", "defence_contracts", "trade_figures", "claims", "gaps",
                    "commodity_trade"]
Backend = Literal["pandas", "pyarrow", "polars"]


def path(name: str, format: str = "parquet") -> Path:
    """Path of a shipped file, for pyarrow, DuckDB, Polars or R users, once its sha256 is
    found to be the one datapackage.json declares (IntegrityError otherwise)."""
    get_table(name)
    if format not in ("parquet", "csv"):
        raise ValueError(f"format must be 'parquet' or 'csv', not {format!r}")
    p = PACKAGE_DATA / f"{name}.{format}"
    if not p.exists():
        raise FileNotFoundError(f"{p} is missing: run `indo-russia-data build` in a checkout")
    from ..schema.integrity import verify

    return verify(p)


def load(name: str, backend: str = "pandas") -> Any:
    """A table as a typed DataFrame: dates as datetime64, enums as categoricals,
    nullable integers and booleans."""
    spec = get_table(name)
    import pyarrow.parquet as pq

    table = pq.read_table(path(name))
    if backend == "pyarrow":
        return table
    if backend == "polars":
        try:
            import polars as pl
        except ImportError:
            raise ImportError("backend='polars' needs polars: pip install 'indo-russia-data[polars]'") from None
        return pl.from_arrow(table)
    if backend != "pandas":
        raise ValueError(f"backend must be one of pandas, pyarrow, polars; not {backend!r}")
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.string(): pd.StringDtype()}
    frame = table.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for col in spec.columns:
        if col.enum is not None:
            frame[col.name] = frame[col.name].astype(pd.CategoricalDtype(list(col.enum)))
    return frame


def describe(name: str) -> Any:
    """The data dictionary of a table as a DataFrame: one row per column."""
    import pandas as pd

    spec = get_table(name)
    return pd.DataFrame(
        [
            {
                "column": c.name,
                "type": c.kind,
                "required": c.required,
                "description": c.description,
                "allowed": ", ".join(c.enum) if c.enum else None,
                "derived": c not in spec.raw_columns,
            }
            for c in spec.columns
        ]
    )


def rows(names: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Shipped tables as lists of row dicts (all tables by default)."""
    return {name: load(name, backend="pyarrow").to_pylist() for name in (TABLES if names is None else names)}
