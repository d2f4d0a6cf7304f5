"""Cross-field row rules, each written once for both validators.

``fails`` (one row, behind ``check_row``) serves the per-row pydantic models; ``check_batch`` serves the
vectorised validator over pyarrow arrays (pyarrow is imported lazily so that
``import indo_russia_data`` stays cheap). A rule only sees rows whose cells
are all valid, as pydantic's after-validators do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Failure:
    column: str
    code: str
    message: str


class Rule:
    column: str  # the column an error is reported against
    code: str

    def check_row(self, row: Mapping[str, Any]) -> Failure | None:
        """The failure of one row (a dict of parsed values), or None."""
        return Failure(self.column, self.code, self.message(row)) if self.fails(row) else None

    def fails(self, row: Mapping[str, Any]) -> bool:  # pragma: no cover
        raise NotImplementedError

    def check_batch(self, cols: Mapping[str, Any]) -> Any:  # pragma: no cover
        """Return a numpy boolean mask: True where the rule fails."""
        raise NotImplementedError

    def message(self, row: Mapping[str, Any]) -> str:  # pragma: no cover
        raise NotImplementedError

    def columns(self) -> tuple[str, ...]:  # pragma: no cover
        raise NotImplementedError


# Batch helpers: pyarrow arrays in, numpy arrays out (null never counts as True).
# The validator hands most columns over dictionary-encoded, so each helper works on
# the few distinct values and spreads the answers to the rows through the indices.


def _per_value(arr: Any, fn: Any) -> Any:
    from .arrays import per_value

    return per_value(arr, fn)


def _plain(arr: Any) -> Any:
    import pyarrow as pa

    return arr.dictionary_decode() if pa.types.is_dictionary(arr.type) else arr


def _mask(arr: Any) -> Any:
    from .arrays import mask

    return mask(arr)


def _valid(arr: Any) -> Any:
    import pyarrow.compute as pc

    return _per_value(arr, lambda a: _mask(pc.is_valid(a)))


def _is_one_of(arr: Any, values: tuple[str, ...]) -> Any:
    import pyarrow.compute as pc

    from .arrays import strings

    return _per_value(arr, lambda a: _mask(pc.is_in(a, value_set=strings(values))))


def _civil(dates: Any) -> tuple[Any, Any, Any]:
    """(year, month, day) numpy arrays of a date32 array; anything where it is null."""
    return _per_value(dates, _civil_days)


def _civil_days(dates: Any) -> tuple[Any, Any, Any]:
    """Integer arithmetic on days since 1970 (H. Hinnant's civil_from_days)."""
    import numpy as np

    from .arrays import values

    z = values(dates).astype(np.int64) + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


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
        return (d is None) != (p is None) or (d is not None and not self._fits(d, p))

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

    column: str  # type: ignore[misc]
    allowed: tuple[tuple[str, tuple[str, ...]], ...]
    code: str = "ird/unknown-field"

    def columns(self) -> tuple[str, ...]:
        return (self.column, *(t for t, _ in self.allowed))

    def message(self, row: Mapping[str, Any]) -> str:
        for target, names in self.allowed:
            if row.get(target) is not None:
                return f"{row[self.column]!r} is not a field a claim can support on this row; use one of: " + ", ".join(names)
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
