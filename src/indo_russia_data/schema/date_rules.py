"""Rules on dates and periods: order, precision, and period labels that match their dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rule_base import Rule, _civil, _is_one_of, _mask, _per_value, _plain, _valid


@dataclass(frozen=True)
class Ordered(Rule):
    """``low <= high`` when both are given."""

    low: str
    high: str
    code: str = "ird/order"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.high

    def columns(self) -> tuple[str, ...]:
        return (self.low, self.high)

    def message(self, row: Mapping[str, Any]) -> str:
        return f"{self.high} ({row[self.high]}) is before/below {self.low} ({row[self.low]})"

    def fails(self, row: Mapping[str, Any]) -> bool:
        a, b = row.get(self.low), row.get(self.high)
        return a is not None and b is not None and b < a

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        import pyarrow.compute as pc

        return _mask(pc.less(_plain(cols[self.high]), _plain(cols[self.low])))


@dataclass(frozen=True)
class PrecisionFits(Rule):
    """A date and its precision come together, and the date is the period's first day."""

    date: str
    precision: str
    code: str = "ird/date-precision"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.precision

    def columns(self) -> tuple[str, ...]:
        return (self.date, self.precision)

    def message(self, row: Mapping[str, Any]) -> str:
        d, p = row.get(self.date), row.get(self.precision)
        if d is None:
            return f"{self.precision} is {p!r} but {self.date} is empty"
        if p is None:
            return f"{self.date} is given but {self.precision} is empty"
        return (
            f"{self.date} {d} does not fit precision {p!r}: "
            "write the first day of the month (YYYY-MM-01) or year (YYYY-01-01)"
        )

    @staticmethod
    def _fits(d: dt.date, p: str) -> bool:
        return p == "day" or (p == "month" and d.day == 1) or (p == "year" and d.day == 1 and d.month == 1)

    def fails(self, row: Mapping[str, Any]) -> bool:
        d, p = row.get(self.date), row.get(self.precision)
        return (d is None) != (p is None) or (d is not None and not self._fits(d, str(p)))

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        d, p = cols[self.date], cols[self.precision]
        has_d = _valid(d)
        _, month, day = _civil(d)
        bad_month = _is_one_of(p, ("month",)) & (day != 1)
        bad_year = _is_one_of(p, ("year",)) & ((day != 1) | (month != 1))
        return (has_d != _valid(p)) | (has_d & (bad_month | bad_year))


@dataclass(frozen=True)
class PeriodLabel(Rule):
    """Fiscal and calendar years must have the label and dates that define them.

    Indian fiscal year 2020-21 is labelled ``FY2020-21`` and runs 2020-04-01 to
    2021-03-31; calendar year 2021 is labelled ``2021``. Other periods
    (``partial``) carry any label.
    """

    kind: str
    label: str
    start: str
    end: str
    code: str = "ird/period-label"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.label

    def columns(self) -> tuple[str, ...]:
        return (self.kind, self.label, self.start, self.end)

    @staticmethod
    def expected(kind: str, start: dt.date) -> tuple[str, dt.date | None, dt.date | None] | None:
        y = start.year
        if kind == "fiscal_year":
            # A fiscal year starting in 9999 would end after the last representable date.
            end = dt.date(y + 1, 3, 31) if y < dt.MAXYEAR else None
            return f"FY{y}-{(y + 1) % 100:02d}", dt.date(y, 4, 1), end
        if kind == "calendar_year":
            return f"{y}", dt.date(y, 1, 1), dt.date(y, 12, 31)
        return None

    def message(self, row: Mapping[str, Any]) -> str:
        exp = self.expected(row[self.kind], row[self.start])
        assert exp is not None
        runs = f"runs {exp[1]} to {exp[2]}" if exp[2] else "cannot end within the calendar"
        return (
            f"a {row[self.kind]} starting {row[self.start]} is labelled {exp[0]!r} "
            f"and {runs}; got {row[self.label]!r} ending {row[self.end]}"
        )

    def fails(self, row: Mapping[str, Any]) -> bool:
        kind, start = row.get(self.kind), row.get(self.start)
        if kind is None or start is None:
            return False
        exp = self.expected(kind, start)
        return bool(exp) and (row.get(self.label), start, row.get(self.end)) != exp

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        kind, label, start, end = (cols[c] for c in self.columns())
        sy, sm, sd = _civil(start)
        ey, em, ed = _civil(end)
        has_end = _valid(end)
        label_fy, label_cy = _per_value(label, _label_years)
        fy_ok = (label_fy == sy) & (sm == 4) & (sd == 1) & has_end & (ey == sy + 1) & (em == 3) & (ed == 31)
        cy_ok = (label_cy == sy) & (sm == 1) & (sd == 1) & has_end & (ey == sy) & (em == 12) & (ed == 31)
        bad = (_is_one_of(kind, ("fiscal_year",)) & ~fy_ok) | (_is_one_of(kind, ("calendar_year",)) & ~cy_ok)
        return bad & _valid(start)


def _label_years(labels: Any) -> tuple[Any, Any]:
    """The year each label names as a fiscal year (FY2020-21) and as a calendar year (2021)."""
    import numpy as np

    names = [n or "" for n in labels.to_pylist()]
    fy = np.array([_fy_year(n) for n in names], np.int64)
    cy = np.array([int(n) if n.isascii() and n.isdigit() and len(n) == 4 else -1 for n in names], np.int64)
    return fy, cy


def _fy_year(label: str) -> int:
    """2020 for 'FY2020-21' when the second year follows the first; -1 otherwise."""
    if len(label) == 9 and label.isascii() and label.startswith("FY") and label[2:6].isdigit() \
            and label[6] == "-" and label[7:].isdigit():
        y = int(label[2:6])
        return y if f"{(y + 1) % 100:02d}" == label[7:] else -1
    return -1

