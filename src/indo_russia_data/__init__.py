"""India-Russia bilateral relations as curated, sourced tables.

>>> import indo_russia_data as ird
>>> ird.tables()
['sources', 'events', 'agreements', 'defence_contracts', 'trade_figures', 'claims', 'gaps', 'commodity_trade']
>>> contracts = ird.load("defence_contracts")       # doctest: +SKIP
>>> ird.connect().sql("SELECT count(*) FROM events")  # doctest: +SKIP

Importing the package is cheap: pydantic, pandas, pyarrow and matplotlib are imported
only when a function needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .access.loader import Backend, TableName

TABLE_NAMES = ("sources", "events", "agreements", "defence_contracts", "trade_figures", "claims", "gaps",
               "commodity_trade")


def tables() -> list[str]:
    """Names of the tables, in dependency order."""
    return list(TABLE_NAMES)


def load(name: TableName, backend: Backend = "pandas") -> Any:
    """Load a table: a pandas DataFrame (default), a pyarrow Table or a polars DataFrame."""
    from .access.loader import load as _load

    return _load(name, backend)


def path(name: TableName, format: str = "parquet") -> Any:
    """Path of the shipped Parquet (or CSV) file of a table."""
    from .access.loader import path as _path

    return _path(name, format)


def connect() -> Any:
    """An in-memory DuckDB connection with every table as a view over its Parquet file (needs duckdb)."""
    from .access.sql import connect as _connect

    return _connect()


def describe(name: TableName) -> Any:
    """Data dictionary of a table: column, type, required, description, allowed values."""
    from .access.loader import describe as _describe

    return _describe(name)


def validate(source: Any, table: str | None = None, *, max_errors: int = 1000) -> Any:
    """Validate a CSV file or a DataFrame; returns a report with ``.valid``, ``.errors``, ``.to_frame()``."""
    from .validation import validate as _validate

    return _validate(source, table, keys=_checkout_keys(source), max_errors=max_errors)


def _checkout_keys(source: Any) -> Any:
    """For a file in a checkout's raw/, the keys the build uses (raw ids plus snapshot rows); else None.

    Lives here, above both subpackages, because the validator must not depend on the build.
    """
    import os

    if not isinstance(source, (str, os.PathLike)):
        return None
    from .validation.known_ids import in_raw

    raw = in_raw(source)
    if raw is None:
        return None
    import importlib.util

    if importlib.util.find_spec("indo_russia_data.build") is None:
        return None
    from .build import checkout_keys

    return checkout_keys(raw)


def cite(what: Any = None, format: str = "text") -> Any:
    """Credit for the package and the sources behind a table name, a loaded frame's rows, or all (None).

    ``format``: "text" (list of lines), "bibtex" (a string) or "csl-json" (a list of items).
    """
    from .access.citation import cite as _cite

    return _cite(what, format)


def why(row_id: str) -> Any:
    """One row by id, every field with the claims, sources and rule behind it; ``print()`` it."""
    from .access.provenance import why as _why

    return _why(row_id)


def claims_for(frame: Any) -> Any:
    """The claims behind the rows of a loaded frame, with one ``row_id`` column."""
    from .access.provenance import claims_for as _claims_for

    return _claims_for(frame)


def licenses(name: TableName) -> str:
    """Data licence of a table (CC-BY-4.0); source documents keep their own copyright."""
    from .access.citation import licenses as _licenses

    return _licenses(name)


__all__ = ["__version__", "tables", "load", "path", "connect", "describe", "validate", "cite", "licenses", "why",
           "claims_for"]
