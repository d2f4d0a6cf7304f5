"""A ``partial`` period is never a whole fiscal or calendar year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rule_base import Rule, _civil, _is_one_of, _valid


@dataclass(frozen=True)
class HonestPartial(Rule):
    kind: str
    start: str
    end: str
    code: str = "ird/partial-period"

    @property
    def column(self) -> str:  # type: ignore[override]
        return self.kind

    def columns(self) -> tuple[str, ...]:
        return (self.kind, self.start, self.end)

    @staticmethod
    def _whole(start: dt.date, end: dt.date) -> str | None:
        if start.month == 4 and start.day == 1 and (end.year, end.month, end.day) == (start.year + 1, 3, 31):
            return "fiscal_year"
        if start.month == 1 and start.day == 1 and (end.year, end.month, end.day) == (start.year, 12, 31):
            return "calendar_year"
        return None

    def message(self, row: Mapping[str, Any]) -> str:
        whole = self._whole(row[self.start], row[self.end])
        return (f"a partial period cannot cover a whole year: {row[self.start]} to {row[self.end]} is a "
                f"{whole}; write period_type {whole!r} if the source gives the whole year")

    def fails(self, row: Mapping[str, Any]) -> bool:
        start, end = row.get(self.start), row.get(self.end)
        return row.get(self.kind) == "partial" and start is not None and end is not None \
            and self._whole(start, end) is not None

    def check_batch(self, cols: Mapping[str, Any]) -> Any:
        start, end = cols[self.start], cols[self.end]
        sy, sm, sd = _civil(start)
        ey, em, ed = _civil(end)
        fy = (sm == 4) & (sd == 1) & (ey == sy + 1) & (em == 3) & (ed == 31)
        cy = (sm == 1) & (sd == 1) & (ey == sy) & (em == 12) & (ed == 31)
        return _is_one_of(cols[self.kind], ("partial",)) & _valid(start) & _valid(end) & (fy | cy)
