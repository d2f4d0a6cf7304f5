"""The base of every row rule, and the batch helpers rules use on pyarrow arrays.

A rule's ``fails`` (one row of parsed values, behind ``check_row``) serves the per-row pydantic
models; its ``check_batch`` serves the vectorised validator. The helpers below take pyarrow
arrays (most of them dictionary-encoded) and return numpy masks where null never counts as True.
pyarrow and numpy are imported inside them, so ``import indo_russia_data`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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


