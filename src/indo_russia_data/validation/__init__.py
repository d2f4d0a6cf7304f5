"""Checking contributed CSV files against the schema: every problem, with line, column and reason.

Public names: :func:`validate`, :func:`submission_keys`, :class:`Report`, :class:`InputError`,
:data:`CODES`, :class:`Keys`. The modules behind them are internal. Names load on first use,
so importing the package for an error class does not import numpy or pyarrow.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"validate": "validator", "submission_keys": "validator", "Report": "report",
            "InputError": "report", "CODES": "report", "Keys": "known_ids"}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
