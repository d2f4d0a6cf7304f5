"""What users call on the published files: loading, SQL, export, Datasette, charts, release diffs,
citations, provenance and coverage. Reads only the built files and the schema.

Public names: :func:`load`, :func:`path`, :func:`describe`, :func:`connect`, :func:`cite`,
:func:`why`, :func:`claims_for`. The modules behind them are internal.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"load": "loader", "path": "loader", "describe": "loader", "connect": "sql", "cite": "citation",
            "why": "provenance", "claims_for": "provenance"}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
