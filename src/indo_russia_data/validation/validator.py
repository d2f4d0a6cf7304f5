"""The validator: every problem of a CSV file in one pass, pinned to line and column.

The file is streamed in blocks cut at record boundaries. A block with no quote
characters (the usual case) has one record per line; worker threads parse such
blocks ahead with pyarrow, every column but the primary key dictionary-encoded,
and check each column's distinct values once. Other blocks go through a numpy
scan of the raw bytes (quote parity tells a newline inside a quoted cell from
one that ends a record) before parsing. The main thread then checks ids across
blocks and the row rules, and words the problems. Every check derives from the
table's pydantic model; the per-row pydantic reference
(:func:`validate_rows_reference`) applies the same models row by row, and tests
hold the two to the same answers.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..schema import TABLES, get_table
from ..schema.table import Table
from . import messages
from .blocks import BlockReader
from .checks import BlockChecker, Cells
from .csv_scan import Chain, blocks, record_ends, utf8_problems
from .groups import Collector, ProblemGroup, fixed
from .known_ids import Keys, keys_for
from .report import InputError, Problem, Report
from .submission import _frame_keys, _frame_to_csv, submission_keys

__all__ = ["validate", "table_for", "submission_keys", "Cells", "BLOCK_SIZE"]

BLOCK_SIZE = 4 << 20
# Limits that keep a hostile file from costing more than a few seconds and a little memory.
MAX_HEADER_BYTES = 64 << 10  # the header line, with every column name
MAX_COLUMNS = 1000  # the widest table has about 20


class _Validator:
    """One file's validation: the header, then each block read (blocks.py), checked (checks.py)
    and collected (groups.py) in file order."""

    def __init__(self, table: Table, keys: Keys | None, max_errors: int):
        self.table = table
        self.keys = keys or Keys()
        self.cells: Cells | None = None
        self.spec = {c.name: c for c in table.raw_columns}
        self.report = Report(table=table.name)
        self.collector = Collector(self.report, {c.name: i for i, c in enumerate(table.raw_columns)}, max_errors)
        self.reader: BlockReader | None = None
        self.checker: BlockChecker | None = None

    def header(self, names: list[str]) -> list[Problem]:
        problems = []
        seen: set[str] = set()
        for name in names:
            if name in seen:
                problems.append(Problem(1, name, name, "duplicate-label", messages.duplicate_label(name)))
            elif name not in self.spec:
                problems.append(Problem(1, name, name, "extra-label", messages.extra_label(name, self.table.name)
                                        + _separator_hint(name, self.spec)))
            seen.add(name)
        for c in self.table.raw_columns:
            if c.name not in seen:
                problems.append(Problem(1, c.name, None, "missing-label", messages.missing_label(c.name)))
        self.reader = BlockReader(names, self.table.primary_key)
        self.checker = BlockChecker(self.table, self.keys, names, self.cells)
        return problems

    @property
    def usable(self) -> list[str]:
        return self.checker.usable if self.checker else []

    def block(self, data: bytes, first_line: int, prepared: Any = None) -> tuple[int, int]:
        """Check one block and collect its problems; return (rows, line breaks) in it."""
        assert self.reader is not None and self.checker is not None
        if prepared is not None:
            layout = self.reader.prepared(prepared, first_line)
        else:
            layout = self.reader.scan(data, first_line)
        groups: list[ProblemGroup] = []
        rows = len(layout.lines)
        if layout.blank is not None:
            ncols = len(self.reader.names)
            ragged = (layout.cells != ncols) & ~layout.blank
            if layout.blank.any():
                groups.append(ProblemGroup(np.flatnonzero(layout.blank), None, "blank-row",
                                           fixed(messages.blank_row())))
            if ragged.any():
                groups += _ragged(np.flatnonzero(ragged), layout.cells, self.reader.names)
            rows = int((~layout.blank).sum())
        if len(layout.good):
            groups += self.checker.check(layout.table, layout.good, layout.lines)
        self.collector.emit(groups, layout.lines)
        return rows, layout.newlines

    def finish(self) -> Report:
        return self.collector.finish(self.checker.blank_rows if self.checker else 0)


def _ragged(idx: Any, cells: Any, names: list[str]) -> list[ProblemGroup]:
    """One problem per ragged row, at its first missing cell (or past the last column)."""
    out = []
    ncols = len(names)
    fewer = idx[cells[idx] < ncols]
    more = idx[cells[idx] > ncols]
    for pos in range(ncols):
        rows = fewer[cells[fewer] == pos]
        if len(rows):
            out.append(ProblemGroup(rows, names[pos], "missing-cell", fixed(messages.missing_cells(pos, ncols, names))))
    if len(more):
        out.append(ProblemGroup(more, None, "extra-cell",
                                lambda recs: [(None, messages.extra_cells(int(cells[r]), ncols)) for r in recs]))
    return out


def _open(source: Any) -> tuple[io.BufferedIOBase, str | None, int | None]:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), None, len(source)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a CSV file")
    # Checked before opening (a FIFO would block the open) and again on what was opened.
    if not path.is_file():
        raise InputError(f"{path}: is not a regular file (a device, a pipe or a socket); save the rows to a file")
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    info = os.fstat(stream.fileno())
    if not stat.S_ISREG(info.st_mode):
        stream.close()
        raise InputError(f"{path}: is not a regular file")
    return stream, str(path), info.st_size


def table_for(path: Any, table: str | None) -> Table:
    """The table named, or the one the file is named after (``claims.csv``)."""
    if table is None:
        stem = Path(str(path)).name.split(".")[0] if path is not None else ""
        if stem not in TABLES:
            raise InputError(
                f"cannot tell the table from the file name {Path(str(path)).name!r}; "
                f"name the table (--table on the command line, table= in Python; one of: {', '.join(TABLES)})")
        table = stem
    try:
        return get_table(table)
    except KeyError as exc:
        raise InputError(str(exc)) from None


def validate(
    source: Any,
    table: str | None = None,
    *,
    keys: Keys | None = None,
    max_errors: int = 1000,
    progress: bool = False,
    block_size: int = BLOCK_SIZE,
    cells: Cells | None = None,
) -> Report:
    """Validate a CSV file (path or bytes) or a DataFrame against a table's schema.

    ``keys`` says which ids foreign keys may use and which ids are taken; by
    default, those of the data that ships with the package (see
    :func:`shipped_keys`). ``cells``, when given, receives the cells of every
    record that has the header's number of cells, as the validator read them.
    """
    if max_errors < 0:
        raise InputError("max_errors cannot be negative")
    if hasattr(source, "to_csv") and hasattr(source, "columns"):
        if table is None:
            raise InputError("pass table=... to validate a DataFrame")
        spec = table_for(None, table)
        if keys is None:
            keys = _frame_keys(source, spec)
        source = _frame_to_csv(source, spec)
    stream, path, size = _open(source)
    try:
        spec = table_for(source if not isinstance(source, (bytes, bytearray)) else None, table)
        if keys is None:
            keys = keys_for(source)
    except BaseException:
        stream.close()
        raise
    v = _Validator(spec, keys, max_errors)
    v.cells = cells
    v.report.path = path
    where = path or "input"
    with stream:
        header_bytes, rest = _header_line(stream, block_size, where)
        _check_header_size(header_bytes, spec, where)
        header_bytes, enc = utf8_problems(header_bytes, 1)
        v.report.problems += enc + v.header(_header_names(header_bytes, where))
        if v.usable:
            _check_blocks(v, Chain(rest, stream), block_size, where, size if progress else None)
    return v.finish()


def _header_line(stream: Any, block_size: int, where: str) -> tuple[bytes, bytes]:
    """The header line (with its line break) and the bytes read after it, reading no further than needed."""
    head = stream.read(max(min(block_size, 1 << 20), 3))  # at least a whole UTF-8 BOM
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    ends = record_ends(head)[0]
    while len(ends) == 0 or head.endswith(b"\r"):  # the LF of a CRLF may come next
        if len(head) > MAX_HEADER_BYTES and (len(ends) == 0 or ends[0] > MAX_HEADER_BYTES):
            raise InputError(f"{where}: no line break in the first {MAX_HEADER_BYTES >> 10} KB: the "
                             "header line is too long, or the file has no line breaks")
        more = stream.read(max(block_size, 1 << 16))
        if not more:
            break
        head += more
        ends = record_ends(head)[0]
    if len(ends) == 0:  # no line break outside quotes: the file is one line
        if not head.strip():
            raise InputError(f"{where}: the file is empty; it needs at least a header line")
        ends = record_ends(head + b"\n")[0]
        if len(ends) == 0:
            raise InputError(f"{where}: the header line opens a quote that is never closed")
        head += b"\n"
    # Only the header is decoded here: the rest goes on whole, so no character is cut in two.
    return head[: int(ends[0]) + 1], head[int(ends[0]) + 1:]


def _check_header_size(header_bytes: bytes, spec: Table, where: str) -> None:
    if len(header_bytes) > MAX_HEADER_BYTES:
        raise InputError(f"{where}: the header line is longer than {MAX_HEADER_BYTES >> 10} KB")
    if header_bytes.count(b",") >= MAX_COLUMNS:
        raise InputError(f"{where}: the header has more than {MAX_COLUMNS} columns; "
                         f"{spec.name} has {len(spec.raw_columns)}")


def _header_names(header_bytes: bytes, where: str) -> list[str]:
    try:
        names = next(csv.reader([header_bytes.decode("utf-8").rstrip("\r\n")]))
    except (csv.Error, StopIteration):
        raise InputError(f"{where}: the header line cannot be read as CSV") from None
    if len(record_ends(header_bytes)[1]) > 1:
        raise InputError(f"{where}: the header spans several lines; column names cannot hold line breaks")
    return names


def _check_blocks(v: _Validator, chained: Any, block_size: int, where: str, size: int | None) -> None:
    """Check the records block by block, preparing the next blocks on worker threads."""
    assert v.reader is not None
    first_line, done, started, shown = 2, 0, time.monotonic(), False
    prepared = v.reader.ahead(blocks(chained, block_size))
    try:
        for block, unclosed, parsed in prepared:
            if unclosed:
                # Whatever a lenient parser would make of it, the rest of the file would be
                # swallowed into one cell: never accept it.
                v.report.problems.append(Problem(first_line, None, None, "source-error", messages.unclosed_quote()))
                break
            if parsed is None:
                block, enc = utf8_problems(block, first_line)
            else:
                enc = []
            rows, newlines = v.block(block, first_line, parsed)
            v.report.rows += rows
            v.report.problems += enc
            first_line += newlines
            done += len(block)
            if size and time.monotonic() - started > 1.0:
                shown = True
                sys.stderr.write(f"\rvalidating {where}: {min(done / size, 1):.0%} ({v.report.rows:,} rows)")
                sys.stderr.flush()
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    finally:
        prepared.close()  # stops the worker threads now, also when a check raised
        if shown:
            sys.stderr.write("\n")


def _separator_hint(name: str, columns: Any) -> str:
    """A header read as one column because the file uses another separator (a spreadsheet's ';')."""
    for sep, what in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
        parts = name.split(sep)
        if len(parts) > 1 and sum(p.strip() in columns for p in parts) >= 2:
            return f" (the file seems to be separated by {what}: save it as CSV with commas)"
    return ""
