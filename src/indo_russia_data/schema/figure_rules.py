"""Row rules for claims about figures: whole numbers for counts, and a unit for every number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rule_base import Rule, _is_one_of, _per_value, _valid

NUMBERS = ("value", "value_low", "value_high")


def _about(row: Mapping[str, Any], targets: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """Whether the claim's field is one of the listed figures of the row it targets."""
    return any(row.get(target) is not None and row.get("field") in names for target, names in targets)


def _about_batch(cols: Mapping[str, Any], targets: tuple[tuple[str, tuple[str, ...]], ...]) -> Any:
    out = None
    for target, names in targets:
        here = _valid(cols[target]) & _is_one_of(cols["field"], names)
        out = here if out is None else out | here
    return out


def _floats(arr: Any) -> Any:
    from .arrays import numbers

    return _per_value(arr, numbers)


@dataclass(frozen=True)
class WholeFigure(Rule):
    """A claim about a count (a contract's quantity, documents signed) gives whole numbers:
    the build would otherwise round 4.5 units to 4."""

    targets: tuple[tuple[str, tuple[str, ...]], ...]  # (claims column, integer figures of its table)
    code: str = "ird/whole-number"
    column: str = "value"

    def columns(self) -> tuple[str, ...]:
        return ("field", *NUMBERS, *(t for t, _ in self.targets))

    def message(self, row: Mapping[str, Any]) -> str:
        bad = [f"{c} {row[c]:g}" for c in NUMBERS if row.get(c) is not None and row[c] != int(row[c])]
        return f"{row.get('field')} is a count: {', '.join(bad)} is not a whole number"

    def fails(self, row: Mapping[str, Any]) -> bool:
        return _about(row, self.targets) and any(
            row.get(c) is not None and row[c] != int(row[c]) for c in NUMBERS)

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        import numpy as np

        fraction = None
        for c in NUMBERS:
            x = _floats(cols[c])
            with np.errstate(invalid="ignore"):
                here = ~np.isnan(x) & (x != np.trunc(x))
            fraction = here if fraction is None else fraction | here
        return _about_batch(cols, self.targets) & fraction


@dataclass(frozen=True)
class UnitForFigure(Rule):
    """A number about a figure (a value, a quantity) says its unit; attribute numbers
    (an ordinal, a year) have none. With a qualifier, RequiredWhen already asks for the unit."""

    targets: tuple[tuple[str, tuple[str, ...]], ...]  # (claims column, figures of its table)
    code: str = "ird/required-when"
    column: str = "unit"

    def columns(self) -> tuple[str, ...]:
        return ("field", "unit", "qualifier", *NUMBERS, *(t for t, _ in self.targets))

    def message(self, row: Mapping[str, Any]) -> str:
        return f"unit is required for a number about the figure {row.get('field')!r} (USD, INR, items, percent...)"

    def fails(self, row: Mapping[str, Any]) -> bool:
        return (_about(row, self.targets) and row.get("unit") is None and row.get("qualifier") is None
                and any(row.get(c) is not None for c in NUMBERS))

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        number = _valid(cols["value"]) | _valid(cols["value_low"]) | _valid(cols["value_high"])
        return _about_batch(cols, self.targets) & number & ~_valid(cols["unit"]) & ~_valid(cols["qualifier"])


@dataclass(frozen=True)
class ValueForAttribute(Rule):
    """A claim about an attribute (a date, a city, a status: a field that is not a figure of its
    row) gives the value it supports, normalised, in value, value_text or value_date."""

    targets: tuple[tuple[str, tuple[str, ...]], ...]  # (claims column, figures of its table)
    code: str = "ird/required-when"
    column: str = "value_text"

    def columns(self) -> tuple[str, ...]:
        return ("field", "value", "value_text", "value_date", *(t for t, _ in self.targets))

    def message(self, row: Mapping[str, Any]) -> str:
        return (f"a claim about {row.get('field')!r} needs the value it supports, normalised, in value, "
                "value_text or value_date")

    def fails(self, row: Mapping[str, Any]) -> bool:
        field = row.get("field")
        about_attribute = field is not None and any(row.get(target) is not None and field not in names
                                                    for target, names in self.targets)
        return about_attribute and all(row.get(c) is None for c in ("value", "value_text", "value_date"))

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        out = None
        for target, names in self.targets:
            here = _valid(cols[target]) & ~_is_one_of(cols["field"], names) & _valid(cols["field"])
            out = here if out is None else out | here
        given = _valid(cols["value"]) | _valid(cols["value_text"]) | _valid(cols["value_date"])
        return out & ~given
