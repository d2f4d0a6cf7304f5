"""Repeated ids across a streamed file, remembered as 64-bit hashes.

Each block's ids are hashed, sorted and kept as a run of (hash, line) pairs;
runs of similar size are merged (log-structured), so a block is compared with
a few sorted runs by binary search. Repeats within a block are confirmed on
the ids themselves; repeats across blocks rest on the hashes (see
:func:`string_hashes`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema.arrays import indices, mask

MAX_RUN = 1 << 20  # runs stop growing here, so a merge never copies more than this


class IdRepeats:
    def __init__(self) -> None:
        self.runs: list[tuple[Any, Any]] = []  # (sorted hashes, their lines), oldest first

    def first_uses(self, ids: Any, lines: Any) -> Any:
        """For each id (a string array without nulls, in file order, on ``lines``), the line
        of its first use earlier in the file, or -1; then remember the ids."""
        h = string_hashes(ids)
        order = np.argsort(h)
        hs = h[order]
        eq = hs[1:] == hs[:-1]
        if eq.any():  # among equal hashes, put each repeat after its first use
            in_run = np.zeros(len(hs), bool)
            in_run[1:] |= eq
            in_run[:-1] |= eq
            idx = np.flatnonzero(in_run)
            sub = order[idx]
            order[idx] = sub[np.lexsort((sub, hs[idx]))]
        same = np.concatenate(([False], eq))
        run_start = np.maximum.accumulate(np.where(~same, np.arange(len(hs)), 0))
        if same.any():  # confirm equal hashes with the ids themselves
            pairs = np.flatnonzero(same)
            same[pairs] = mask(pc.equal(ids.take(indices(order[pairs])), ids.take(indices(order[run_start[pairs]]))))
        first = np.full(len(h), -1, np.int64)
        first[order[same]] = lines[order[run_start[same]]]
        # Earlier blocks come first in the file. Runs are in file order, and within a run
        # equal hashes are in line order, so the first hit is the first use. Sorted queries
        # keep searchsorted cache-friendly.
        earlier = np.full(len(h), -1, np.int64)
        for seen, seen_lines in self.runs:
            j = np.minimum(np.searchsorted(seen, hs), len(seen) - 1)
            hit = np.zeros(len(h), bool)
            hit[order] = seen[j] == hs
            hit &= earlier < 0
            found = np.empty(len(h), np.int64)
            found[order] = seen_lines[j]
            earlier[hit] = found[hit]
        self._remember(hs, lines[order])
        return np.where(earlier >= 0, earlier, first)

    def _remember(self, hashes: Any, lines: Any) -> None:
        self.runs.append((hashes, lines.astype(np.int32)))
        while (len(self.runs) > 1 and len(self.runs[-1][0]) * 2 >= len(self.runs[-2][0])
               and len(self.runs[-1][0]) + len(self.runs[-2][0]) <= MAX_RUN):
            (h2, l2), (h1, l1) = self.runs.pop(), self.runs.pop()
            h, lines_ = np.concatenate((h1, h2)), np.concatenate((l1, l2))
            order = np.argsort(h, kind="stable")  # earlier lines first among equal hashes
            self.runs.append((h[order], lines_[order]))


def string_hashes(arr: Any) -> Any:
    """64-bit hashes of a string array without nulls (Python's own string hash).

    Ids from earlier blocks are kept only as these hashes (8 bytes a row), so memory
    does not grow with the ids' length; repeats within a block are confirmed on the
    ids themselves. Two different ids share a hash with probability about
    n^2 / 2^65 (under 1e-6 for five million rows). Python's hash is seeded per
    process, which is fine: the hashes never leave it.
    """
    # As bytes: no UTF-8 decoding, and half the time of building str objects.
    return np.fromiter(map(hash, arr.view(pa.binary()).to_pylist()), dtype=np.int64, count=len(arr)).view(np.uint64)
