"""Reading one block of records into string columns, by the fastest path that reads it right.

A block is read by one of three paths, each returning the same ``Layout``:

1. ``prepare`` (on a worker thread): no quoted cell holds a line break, so each line
   is a record; pyarrow parses it with every column but the id dictionary-encoded.
2. ``scan``: a numpy scan of the bytes finds where records end (quote parity tells a
   line break inside a quoted cell from one that ends a record); pyarrow parses.
3. ``read_slowly``: Python's csv reader, when the scan and pyarrow disagree (a quote
   pyarrow reads as a character) or a block opens with a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from ..schema.arrays import booleans, strings
from .csv_scan import count_lf, is_utf8, plain, quote_parity, record_ends

BOM = b"\xef\xbb\xbf"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use (Linux)
    except AttributeError:
        return os.cpu_count() or 1


# Blocks prepared ahead, each on its own thread. On two cores two workers were about 5%
# faster than one; on one core, 10% slower.
AHEAD = 2 if _cores() >= 2 else 1


@dataclass
class Layout:
    """A block read into records.

    ``table``: the records with as many cells as the header, as string columns.
    ``lines``: the physical line of every record. ``good``: the records in ``table``
    (indices into ``lines``). ``blank``/``cells``: per record, whether it is blank and
    how many cells it has (None when every record is good, as on the prepared path).
    ``newlines``: line breaks in the block.
    """

    table: Any
    lines: Any
    good: Any
    newlines: int
    blank: Any = None
    cells: Any = None


class BlockReader:
    def __init__(self, names: list[str], primary_key: str):
        self.names = names
        self.positions = [f"c{i}" for i in range(len(names))]  # pyarrow needs unique names
        self.primary_key = primary_key

    def prepare(self, data: bytes) -> Any:
        """Parse a block whose lines are its records (path 1); None when it needs path 2 or 3.

        Runs on a worker thread, so it touches no state. (Most of its time is in pyarrow and
        numpy, which release the GIL.)
        """
        if not is_utf8(data) or data.startswith(BOM):
            return None
        if plain(data):
            lines = count_lf(data)
        else:
            ends, breaks = record_ends(data)
            if len(ends) != len(breaks):
                return None
            lines = len(breaks)
        table, skipped = self.parse(data, newlines_in_values=False, dictionary=True)
        # pyarrow keeps a blank line as a row of empty cells, so rows match lines when all is well.
        if table is None or skipped or table.num_rows != lines:
            return None
        return table

    def prepared(self, table: Any, first_line: int) -> Layout:
        n = table.num_rows
        rec_idx = np.arange(n, dtype=np.int64)
        return Layout(table, first_line + rec_idx, rec_idx, n)

    def scan(self, data: bytes, first_line: int) -> Layout:
        """Read a block by the byte scan and pyarrow (path 2), or Python's csv (path 3)."""
        arr = np.frombuffer(data, np.uint8)
        ends, newlines = record_ends(arr)
        if len(ends) == 0 or ends[-1] != len(arr) - 1:
            ends = np.concatenate((ends, [len(arr) - 1]))  # an unclosed tail pyarrow can read
        starts = np.concatenate(([0], ends[:-1] + 1))
        lines = first_line + np.searchsorted(newlines, starts)
        cr = (arr[ends] == 10) & (ends > starts) & (arr[np.maximum(ends - 1, 0)] == 13)  # CRLF
        blank = ends - starts - cr == 0
        commas = np.flatnonzero(arr == 44)
        commas = commas[quote_parity(arr, commas) == 0]  # commas inside quotes do not split cells
        cells = np.diff(np.searchsorted(commas, ends), prepend=0) + 1
        ragged = (cells != len(self.names)) & ~blank
        # pyarrow drops a byte-order mark that opens its input, here a block's first cell: read
        # such a block as Python's csv does, which keeps it (and the cell checks refuse it).
        table, skipped = (None, 0) if data.startswith(BOM) else \
            self.parse(data, newlines_in_values=len(ends) != len(newlines))
        kept = ~ragged  # pyarrow keeps blank lines as rows of empty cells and skips ragged rows
        if table is None or table.num_rows != int(kept.sum()) or skipped != int(ragged.sum()):
            # The scan and pyarrow disagree on where records end (a quote that pyarrow reads
            # as a character, before a comma): read this block with Python's csv instead.
            return self.read_slowly(data, first_line, len(newlines))
        if blank.any():
            table = table.filter(booleans(~blank[kept]))
        return Layout(table, lines, np.flatnonzero(~(blank | ragged)), len(newlines), blank, cells)

    def read_slowly(self, data: bytes, first_line: int, newlines: int) -> Layout:
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        lines, cells, blank, rows = [], [], [], []
        before = 0
        for rec in reader:
            lines.append(first_line + before)
            before = reader.line_num
            cells.append(len(rec))
            blank.append(not rec)
            if len(rec) == len(self.names):
                rows.append(rec)
        cells_a, blank_a = np.array(cells, np.int64), np.array(blank, bool)
        good = np.flatnonzero((cells_a == len(self.names)) & ~blank_a)
        cols = list(zip(*rows, strict=True)) if rows else [() for _ in self.names]
        table = pa.Table.from_arrays([strings(c) for c in cols], names=self.positions)
        return Layout(table, np.array(lines, np.int64), good, newlines, blank_a, cells_a)

    def parse(self, data: bytes, newlines_in_values: bool = True, dictionary: bool = False) -> tuple[Any, int]:
        """The block as one chunk of string columns, and how many ragged rows pyarrow skipped.

        Without line breaks inside quoted cells pyarrow's parser runs about 1.5x faster.
        ``dictionary`` encodes every column but the primary key while parsing, so cell
        checks look at each distinct value once.
        """
        skipped: list[int] = []

        def skip(row: Any) -> str:
            skipped.append(1)  # list.append is atomic, and pyarrow may call this from several threads
            return "skip"

        try:
            table = pcsv.read_csv(
                io.BytesIO(data),
                # One chunk per block (pyarrow's block size is a 32-bit int).
                read_options=pcsv.ReadOptions(column_names=self.positions, block_size=min(len(data) + 1, 1 << 30)),
                parse_options=pcsv.ParseOptions(newlines_in_values=newlines_in_values, ignore_empty_lines=False,
                                                invalid_row_handler=skip),
                convert_options=pcsv.ConvertOptions(
                    column_types={p: pa.dictionary(pa.int32(), pa.string())
                                  if dictionary and n != self.primary_key else pa.string()
                                  for p, n in zip(self.positions, self.names, strict=True)},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowException:
            return None, 0
        return table, len(skipped)

    def ahead(self, items: Any) -> Any:
        """(block, unclosed, prepared table or None) for each block, preparing the next AHEAD
        blocks on worker threads while the caller checks this one."""
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(AHEAD) as pool:
            queue: Any = deque()
            for block, unclosed in items:
                queue.append((block, unclosed, None if unclosed else pool.submit(self.prepare, block)))
                if len(queue) > AHEAD:
                    b, u, f = queue.popleft()
                    yield b, u, f and f.result()
            while queue:
                b, u, f = queue.popleft()
                yield b, u, f and f.result()
