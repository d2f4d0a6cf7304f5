"""Cross-field row rules, each written once for both validators.

Every rule a table can use is importable from here. The base class and the batch helpers are in
``rule_base``; date and period rules in ``date_rules``; the figure and period-length rules added
for hardening in ``figure_rules`` and ``period_rules``. The rules below are about which cells
must be filled together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .date_rules import Ordered, PeriodLabel, PrecisionFits
from .rule_base import Failure, Rule, _is_one_of, _valid

__all__ = ["Failure", "Rule", "Ordered", "PeriodLabel", "PrecisionFits", "ExactlyOne", "RequiredWhen",
           "ExplainedIfMissing", "AllowedPerTarget"]



@dataclass(frozen=True)
class ExactlyOne(Rule):
    """Exactly one of several columns is filled (a claim supports one row)."""

    options: tuple[str, ...]
    code: str = "ird/exactly-one"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.options[0]

    def columns(self) -> tuple[str, ...]:
        return self.options

    def message(self, row: Mapping[str, Any]) -> str:
        filled = [c for c in self.options if row.get(c) is not None]
        return f"fill exactly one of {', '.join(self.options)}; filled: {', '.join(filled) or 'none'}"

    def fails(self, row: Mapping[str, Any]) -> bool:
        return sum(row.get(c) is not None for c in self.options) != 1

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        return sum(_valid(cols[c]).astype(int) for c in self.options) != 1


@dataclass(frozen=True)
class RequiredWhen(Rule):
    """``needed`` must be filled when ``when`` holds one of ``values``
    (or, with no values, whenever ``when`` is filled)."""

    when: str
    values: tuple[str, ...]
    needed: str
    code: str = "ird/required-when"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.needed

    def columns(self) -> tuple[str, ...]:
        return (self.when, self.needed)

    def message(self, row: Mapping[str, Any]) -> str:
        cond = f"{self.when} is {row.get(self.when)!r}" if self.values else f"{self.when} is given"
        return f"{self.needed} is required when {cond}"

    def _applies(self, v: Any) -> bool:
        return v is not None and (not self.values or v in self.values)

    def fails(self, row: Mapping[str, Any]) -> bool:
        return self._applies(row.get(self.when)) and row.get(self.needed) is None

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        when = cols[self.when]
        applies = _is_one_of(when, self.values) if self.values else _valid(when)
        return applies & ~_valid(cols[self.needed])


@dataclass(frozen=True)
class ExplainedIfMissing(Rule):
    """When ``missing`` is empty, ``needed`` must say why (a source with no URL needs a note)."""

    missing: str
    needed: str
    code: str = "ird/unexplained-gap"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.needed

    def columns(self) -> tuple[str, ...]:
        return (self.missing, self.needed)

    def message(self, row: Mapping[str, Any]) -> str:
        return f"{self.missing} is empty: say why in {self.needed}"

    def fails(self, row: Mapping[str, Any]) -> bool:
        return row.get(self.missing) is None and row.get(self.needed) is None

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        return ~_valid(cols[self.missing]) & ~_valid(cols[self.needed])


@dataclass(frozen=True)
class AllowedPerTarget(Rule):
    """``column`` must name one of the values allowed for whichever target column is filled."""

    column: str
    allowed: tuple[tuple[str, tuple[str, ...]], ...]
    code: str = "ird/unknown-field"

    def columns(self) -> tuple[str, ...]:
        return (self.column, *(t for t, _ in self.allowed))

    def message(self, row: Mapping[str, Any]) -> str:
        for target, names in self.allowed:
            if row.get(target) is not None:
                return (f"{row[self.column]!r} is not a field a claim can support on this row; "
                        f"use one of: {', '.join(names)}")
        return f"{row[self.column]!r} is not a known field"

    def fails(self, row: Mapping[str, Any]) -> bool:
        value = row.get(self.column)
        return value is not None and any(row.get(target) is not None and value not in names
                                         for target, names in self.allowed)

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        value = cols[self.column]
        known = _valid(value)
        bad = None
        for target, names in self.allowed:
            here = _valid(cols[target]) & known & ~_is_one_of(value, names)
            bad = here if bad is None else bad | here
        return bad
