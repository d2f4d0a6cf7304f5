"""Problems found in a block, grouped by kind, and the report they are collected into.

A check finds many rows at once; wording them is slower than finding them, so a
group keeps the rows and a way to word them, and only the problems that make it
into the report (at most ``max_errors``) are ever worded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..schema.arrays import indices
from .report import Problem, Report

Render = Callable[[Any], list[tuple[Any, str]]]


@dataclass
class ProblemGroup:
    """Problems of one kind in a block: which records (indices into the block's lines), and how to word them."""

    rows: Any  # numpy array of record indices within the block, ascending
    column: str | None
    code: str
    render: Render  # records actually reported -> (value, message) pairs


def fixed(message: str) -> Render:
    """The same message, with no value, for every record."""
    return lambda recs: [(None, message)] * len(recs)


def cell_values(raw: Any, rec_idx: Any, message: Callable[[Any], str]) -> Render:
    """A cell's text and a message about it; ``rec_idx`` maps a record to its row in ``raw``."""
    def render(recs: Any) -> list[tuple[Any, str]]:
        values = raw.take(indices(np.searchsorted(rec_idx, recs))).to_pylist()
        return [(v, message(v)) for v in values]

    return render


class Collector:
    """Turns groups into the report's problems, in line and column order, keeping at most ``max_errors``."""

    def __init__(self, report: Report, order: dict[str, int], max_errors: int):
        self.report = report
        self.order = order  # column -> position in the table, to sort problems of one line
        self.max_errors = max_errors
        self.kept = 0

    def emit(self, groups: list[ProblemGroup], lines: Any) -> None:
        """Add a block's problems; ``lines`` gives each record's physical line."""
        if not groups:
            return
        recs = np.concatenate([g.rows for g in groups])
        gid = np.concatenate([np.full(len(g.rows), k) for k, g in enumerate(groups)])
        line_no = lines[recs]
        colpos = np.array([self.order.get(g.column, -1) if g.column else -1 for g in groups])[gid]
        order = np.lexsort((colpos, line_no))
        room = max(self.max_errors - self.kept, 0)  # finish() merges these with header and encoding problems
        take = order[:room]
        self.kept += len(take)
        self.report.omitted += len(order) - len(take)
        rendered: dict[int, Any] = {}
        for g in np.unique(gid[take]):
            mine = take[gid[take] == g]
            rendered[int(g)] = dict(zip(mine.tolist(), groups[int(g)].render(recs[mine]), strict=True))
        for k in take.tolist():
            g = groups[int(gid[k])]
            value, message = rendered[int(gid[k])][k]
            self.report.problems.append(Problem(int(line_no[k]), g.column, value, g.code, message))

    def finish(self, blank_rows: int) -> Report:
        """Sort every problem by line and column, keep the first max_errors, and count rows without blanks."""
        problems = sorted(self.report.problems, key=lambda p: (p.line or 0, self.order.get(p.column or "", -1)))
        self.report.omitted += max(len(problems) - self.max_errors, 0)
        self.report.problems = problems[: self.max_errors]
        self.report.rows -= blank_rows
        return self.report
