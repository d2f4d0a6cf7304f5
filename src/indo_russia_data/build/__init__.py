"""Turning raw/ into the published files: resolving claims, writing Parquet, CSV, datapackage.json
and the README's generated sections. Works only in a checkout; not part of the installed wheel.

Public names: :func:`render`, :func:`write`, :func:`stale`, :class:`BuildError`, :func:`checkout_keys`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"render": "pipeline", "write": "pipeline", "stale": "pipeline", "BuildError": "pipeline",
            "checkout_keys": "pipeline"}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
