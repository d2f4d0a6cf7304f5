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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..schema.arrays import booleans, indices, mask, null_of, per_value, strings
from ..schema.arrays import empty as empty_cells
from ..schema.arrays import values as arr_values
from . import messages
from .cell_checks import cell_checks
from .csv_scan import Chain, blocks, count_lf, is_utf8, plain, quote_parity, record_ends, utf8_problems
from .id_repeats import IdRepeats
from .known_ids import Keys, in_raw, keys_for, read_ids, shipped_keys
from .report import InputError, Problem, Report, missing_cells_message
from ..schema import TABLES, get_table
from ..schema.table import Table

BLOCK_SIZE = 4 << 20
_BOM = b"\xef\xbb\xbf"
# Limits that keep a hostile file from costing more than a few seconds and a little memory.
MAX_HEADER_BYTES = 64 << 10  # the header line, with every column name
MAX_COLUMNS = 1000  # the widest table has about 20


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use (Linux)
    except AttributeError:
        return os.cpu_count() or 1


# Blocks prepared ahead, each on its own thread. On two cores two workers were about 5%
# faster than one; on one core, 10% slower.
AHEAD = 2 if _cores() >= 2 else 1


# ---------------------------------------------------------------- checks


@dataclass
class _Group:
    """Problems of one kind in a block: which records, and how to word them.

    ``render`` turns the records actually reported (at most max_errors) into
    (value, message) pairs, so nothing is formatted for problems that are cut.
    """

    rows: Any  # numpy array of record indices within the block, ascending
    column: str | None
    code: str
    render: Callable[[Any], list[tuple[str | None, str]]]


def _fixed(message: str) -> Callable[[Any], list[tuple[str | None, str]]]:
    return lambda recs: [(None, message)] * len(recs)


def _render_cells(raw: Any, rec_idx: Any, message: Callable[[Any], str]) -> Callable[[Any], list[tuple[Any, str]]]:
    """Render cell problems: the cell's text and a message about it."""
    def render(recs: Any) -> list[tuple[Any, str]]:
        values = raw.take(indices(np.searchsorted(rec_idx, recs))).to_pylist()
        return [(v, message(v)) for v in values]

    return render


class Cells:
    """The cells the validator read, kept for the caller (the build, the id readers), so
    that nothing reads a CSV file differently from the validator.

    ``columns``: which columns to keep (all the table's columns by default).
    """

    def __init__(self, columns: tuple[str, ...] | None = None):
        self.columns = columns
        self.chunks: list[dict[str, Any]] = []

    def rows(self) -> list[dict[str, str]]:
        """The records, in file order, as {column: cell text} (empty cells as "")."""
        out: list[dict[str, str]] = []
        for chunk in self.chunks:
            names = list(chunk)
            cols = [chunk[n].to_pylist() for n in names]
            out += [dict(zip(names, values)) for values in zip(*cols)]
        return out

    def column(self, name: str) -> list[str]:
        return [v for chunk in self.chunks if name in chunk for v in chunk[name].to_pylist()]


class _Validator:
    def __init__(self, table: Table, keys: Keys | None, max_errors: int):
        self.table = table
        self.cells: Cells | None = None
        self.keys = keys or Keys()
        self.max_errors = max_errors
        self.report = Report(table=table.name)
        self.spec = {c.name: c for c in table.raw_columns}
        self.order = {c.name: i for i, c in enumerate(table.raw_columns)}
        self.repeats = IdRepeats()
        self.taken = strings(sorted(self.keys.taken.get(table.name) or ()))
        self.known = {
            fk.column: strings(sorted(self.keys.known.get(fk.table, set())))
            for fk in table.foreign_keys
        }
        # Typed values are kept only for the columns that rules and keys read.
        self.typed_needed = {table.primary_key, *(c for rule in table.rules for c in rule.columns())}
        self.foreign = {fk.column: fk for fk in table.foreign_keys}
        self.kept = 0
        self.empty_rows = 0  # rows of empty cells (",,,"): blank rows, not counted as rows
        self.lines: Any = np.zeros(0, np.int64)

    # -- header
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
        self.names = names
        self.positions = [f"c{i}" for i in range(len(names))]  # pyarrow needs unique names
        self.usable = [n for i, n in enumerate(names) if n in self.spec and names.index(n) == i]
        return problems

    # -- one block of records
    def prepare(self, data: bytes) -> Any:
        """Parse and cell-check a block whose lines are its records; None when a quoted
        cell holds a line break or something else needs the slower path in :meth:`block`.

        Runs on a worker thread while the previous block's keys and rules are checked, so
        it touches no state. (Most of its time is in pyarrow and numpy, which release the GIL.)
        """
        if not is_utf8(data) or data.startswith(_BOM):
            return None
        if plain(data):
            lines = count_lf(data)
        else:
            ends, breaks = record_ends(data)
            if len(ends) != len(breaks):
                return None
            lines = len(breaks)
        table, skipped = self._parse(data, newlines_in_values=False, dictionary=True)
        # pyarrow keeps a blank line as a row of empty cells, so rows match lines when all is well.
        if table is None or skipped or table.num_rows != lines:
            return None
        return self._cells(table)

    def block(self, data: bytes, first_line: int, parsed: Any = None) -> tuple[list[_Group], int]:
        """Check one block; record indices in the groups index ``self.lines``."""
        if parsed is not None:
            n = parsed[0].num_rows
            self.newlines = n
            rec_idx = np.arange(n, dtype=np.int64)
            self.lines = first_line + rec_idx
            return self._checks(parsed, rec_idx), n
        arr = np.frombuffer(data, np.uint8)
        ends, newlines = record_ends(arr)
        self.newlines = len(newlines)
        if len(ends) == 0 or ends[-1] != len(arr) - 1:
            ends = np.concatenate((ends, [len(arr) - 1]))  # an unclosed tail pyarrow can read
        starts = np.concatenate(([0], ends[:-1] + 1))
        self.lines = first_line + np.searchsorted(newlines, starts)
        cr = (arr[ends] == 10) & (ends > starts) & (arr[np.maximum(ends - 1, 0)] == 13)  # CRLF
        content = ends - starts - cr
        blank = content == 0
        commas = np.flatnonzero(arr == 44)
        commas = commas[quote_parity(arr, commas) == 0]  # commas inside quotes do not split cells
        cells = np.diff(np.searchsorted(commas, ends), prepend=0) + 1
        ragged = (cells != len(self.names)) & ~blank
        good = np.flatnonzero(~(blank | ragged))
        # pyarrow drops a byte-order mark that opens its input, here a block's first cell: read
        # such a block as Python's csv does, which keeps it (and the cell checks refuse it).
        table, skipped = (None, 0) if data.startswith(_BOM) else \
            self._parse(data, newlines_in_values=len(ends) != len(newlines))
        kept = ~ragged  # pyarrow keeps blank lines as rows of empty cells and skips ragged rows
        if table is None or table.num_rows != int(kept.sum()) or skipped != int(ragged.sum()):
            # The byte scan and pyarrow disagree on where records end (a quote that pyarrow reads
            # as a character, before a comma): read this block with Python's csv instead.
            table, good, blank, cells = self._parse_slow(data, first_line)
            ragged = (cells != len(self.names)) & ~blank
        elif blank.any():
            table = table.filter(booleans(~blank[kept]))
        groups: list[_Group] = []
        if blank.any():
            groups.append(_Group(np.flatnonzero(blank), None, "blank-row", _fixed(messages.blank_row())))
        if ragged.any():
            groups += self._ragged(np.flatnonzero(ragged), cells)
        if len(good):
            groups += self._checks(self._cells(table), good)
        return groups, int((~blank).sum())

    def ahead(self, items: Any) -> Any:
        """(block, unclosed, prepared) for each block, preparing the next AHEAD blocks on
        worker threads while the caller checks this one."""
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

    def _ragged(self, idx: Any, cells: Any) -> list[_Group]:
        """One problem per ragged row, at its first missing cell (or past the last column)."""
        out = []
        ncols = len(self.names)
        fewer = idx[cells[idx] < ncols]
        more = idx[cells[idx] > ncols]
        for pos in range(ncols):
            rows = fewer[cells[fewer] == pos]
            if len(rows):
                out.append(_Group(rows, self.names[pos], "missing-cell",
                                  _fixed(missing_cells_message(pos, ncols, self.names))))
        if len(more):
            out.append(_Group(more, None, "extra-cell",
                              lambda recs, c=cells, n=ncols: [(None, messages.extra_cells(int(c[r]), n))
                                                               for r in recs]))
        return out

    def _parse(self, data: bytes, newlines_in_values: bool = True, dictionary: bool = False) -> tuple[Any, int]:
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
                                  if dictionary and n != self.table.primary_key else pa.string()
                                  for p, n in zip(self.positions, self.names)},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowException:
            return None, 0
        return table, len(skipped)

    def _parse_slow(self, data: bytes, first_line: int) -> tuple[Any, Any, Any, Any]:
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
        self.lines = np.array(lines, np.int64)
        cells_a, blank_a = np.array(cells, np.int64), np.array(blank, bool)
        good = np.flatnonzero((cells_a == len(self.names)) & ~blank_a)
        cols = list(zip(*rows)) if rows else [() for _ in self.names]
        table = pa.Table.from_arrays([strings(c) for c in cols], names=self.positions)
        return table, good, blank_a, cells_a

    def _column(self, name: str, raw: Any) -> tuple[Any, Any, list[tuple[Any, str, Callable]]]:
        """(typed column or None, bad-cell mask, [(first-failure mask, code, message)])."""
        encoded = None
        values = raw
        if pa.types.is_dictionary(raw.type):
            encoded, values = raw, raw.dictionary
        elif name != self.table.primary_key:  # ids are unique: encoding them would not pay
            # Most columns repeat a few values (enums, dates, source ids): check each distinct
            # value once and spread the answers back through the dictionary indices.
            encoded = pc.dictionary_encode(raw)
            if len(encoded.dictionary) * 4 <= len(raw):
                values = encoded.dictionary
            else:
                encoded = None
        typed, checks = cell_checks(self.spec[name], values)
        fk = self.foreign.get(name)
        if fk is not None:  # last, as in the reference: only a cell that is otherwise valid
            unknown = ~empty_cells(values) & ~mask(pc.is_in(values, value_set=self.known[name]))
            checks.append((unknown, "foreign-key", lambda v, f=fk: messages.unknown_id(v, f.table, f.ref)))
        # Each value's first failing check (1-based), 0 when it passes them all.
        first = np.zeros(len(values), np.int8)
        for k, (m, _, _) in enumerate(checks, 1):
            first[m & (first == 0)] = k
        failing = np.unique(first[first != 0])
        # An unknown id is reported, but the cell keeps its value: row rules still see it.
        bad = (first != 0) & (first != len(checks)) if fk is not None else first != 0
        keep = name in self.typed_needed
        if keep and bad.any():
            typed = pc.if_else(booleans(bad), null_of(typed.type), typed)
        if encoded is not None:
            if keep:  # rules read the distinct values through the indices (see schema.rules)
                typed = pa.DictionaryArray.from_arrays(encoded.indices, typed)
            if len(failing):
                codes = arr_values(encoded.indices)
                first, bad = first[codes], bad[codes]
        if not len(failing):
            return (typed if keep else None), None, []
        failures = [(first == k, checks[k - 1][1], checks[k - 1][2]) for k in failing.tolist()]
        return (typed if keep else None), bad, failures

    @staticmethod
    def _empty(raw: Any) -> Any:
        """Which cells are empty, as a numpy mask."""
        return per_value(raw, empty_cells) if pa.types.is_dictionary(raw.type) else empty_cells(raw)

    def _cells(self, table: Any) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        """(table, raw column by name, cell-check results by name)."""
        table = table.unify_dictionaries()
        raw = {name: table.column(self.names.index(name)).combine_chunks() for name in self.usable}
        return table, raw, {name: self._column(name, raw[name]) for name in self.usable}

    def _checks(self, cells: tuple[Any, dict[str, Any], dict[str, Any]], rec_idx: Any) -> list[_Group]:
        table, raw, results = cells
        n = table.num_rows
        if self.cells is not None:
            wanted = self.cells.columns or tuple(raw)
            self.cells.chunks.append({k: raw[k] for k in wanted if k in raw})
        groups: list[_Group] = []
        bad_row = np.zeros(n, bool)
        typed: dict[str, Any] = {}
        for name in self.usable:
            t, bad, failures = results[name]
            if t is not None:
                typed[name] = t
            if bad is not None:
                bad_row |= bad
            for m, code, msg in failures:
                groups.append(_Group(rec_idx[np.flatnonzero(m)], name, code, _render_cells(raw[name], rec_idx, msg)))
        # A row whose every cell is empty (",,,,", or a blank line pyarrow kept) is a blank row,
        # whatever the header: columns that are repeated or unknown count too.
        empty = np.ones(n, bool)
        for i in range(table.num_columns):
            if not empty.any():
                break
            empty &= self._empty(table.column(i).combine_chunks())
        if empty.any():
            blank_recs = rec_idx[empty]
            groups = [_Group(g.rows[~np.isin(g.rows, blank_recs)], g.column, g.code, g.render) for g in groups]
            groups = [g for g in groups if len(g.rows)]
            groups.append(_Group(blank_recs, None, "blank-row", _fixed(messages.blank_row())))
            self.empty_rows += int(empty.sum())
            bad_row |= empty
        if len(self.usable) == len(self.table.raw_columns):
            groups += self._rules(typed, ~bad_row, rec_idx)
        groups += self._keys(typed, rec_idx)
        return groups

    def _rules(self, typed: dict[str, Any], ok_rows: Any, rec_idx: Any) -> list[_Group]:
        if not ok_rows.any():
            return []
        groups = []
        for rule in self.table.rules:
            # Rules see every row; only rows whose cells are all valid can fail them.
            fails = rule.check_batch(typed) & ok_rows
            if not fails.any():
                continue

            def render(recs: Any, rule: Any = rule) -> list[tuple[Any, str]]:
                out = []
                for p in np.searchsorted(rec_idx, recs):
                    row = {k: v[int(p)].as_py() for k, v in typed.items()}
                    value = row.get(rule.column)
                    out.append((None if value is None else str(value), rule.message(row)))
                return out

            groups.append(_Group(rec_idx[np.flatnonzero(fails)], rule.column, rule.code, render))
        return groups

    def _keys(self, typed: dict[str, Any], rec_idx: Any) -> list[_Group]:
        pk = self.table.primary_key
        if pk not in typed:
            return []
        col = typed[pk]
        pos = np.flatnonzero(mask(pc.is_valid(col)))  # ids that passed their cell checks
        if len(pos) == 0:
            return []
        values = col.drop_null()
        first = self.repeats.first_uses(values, self.lines[rec_idx[pos]])
        dup = first >= 0
        if len(self.taken):
            dup |= mask(pc.is_in(values, value_set=self.taken))
        if not dup.any():
            return []
        k = np.flatnonzero(dup)
        vals = values.take(indices(k)).to_pylist()
        where = {int(r): (v, int(f)) for r, v, f in zip(rec_idx[pos[k]], vals, first[k])}

        def render(recs: Any) -> list[tuple[Any, str]]:
            out = []
            for r in recs:
                v, f = where[int(r)]
                out.append((v, messages.repeated_id(v, f) if f >= 0 else messages.taken_id(v)))
            return out

        return [_Group(rec_idx[pos[k]], pk, "primary-key", render)]

    def finish(self) -> Report:
        """Sort every problem by line and column, and keep the first max_errors."""
        problems = sorted(self.report.problems, key=lambda p: (p.line or 0, self.order.get(p.column or "", -1)))
        self.report.omitted += max(len(problems) - self.max_errors, 0)
        self.report.problems = problems[: self.max_errors]
        self.report.rows -= self.empty_rows
        return self.report

    # -- collect
    def emit(self, groups: list[_Group]) -> None:
        if not groups:
            return
        recs = np.concatenate([g.rows for g in groups])
        gid = np.concatenate([np.full(len(g.rows), k) for k, g in enumerate(groups)])
        line_no = self.lines[recs]
        colpos = np.array([self.order.get(g.column, -1) if g.column else -1 for g in groups])[gid]
        order = np.lexsort((colpos, line_no))
        room = max(self.max_errors - self.kept, 0)  # finish() merges these with header and encoding problems
        take = order[:room]
        self.kept += len(take)
        self.report.omitted += len(order) - len(take)
        rendered: dict[int, Any] = {}
        for g in np.unique(gid[take]):
            mine = take[gid[take] == g]
            rendered[int(g)] = dict(zip(mine.tolist(), groups[int(g)].render(recs[mine])))
        for k in take.tolist():
            g = groups[int(gid[k])]
            value, message = rendered[int(gid[k])][k]
            self.report.problems.append(Problem(int(line_no[k]), g.column, value, g.code, message))


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
    started = time.monotonic()
    shown = False
    done = 0
    with stream:
        def record_ends_of(data: bytes) -> Any:
            return record_ends(data)[0]

        head = stream.read(max(min(block_size, 1 << 20), 3))  # at least a whole UTF-8 BOM
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        ends = record_ends_of(head)
        while len(ends) == 0 or head.endswith(b"\r"):  # the LF of a CRLF may come next
            if len(head) > MAX_HEADER_BYTES and (len(ends) == 0 or ends[0] > MAX_HEADER_BYTES):
                raise InputError(f"{path or 'input'}: no line break in the first {MAX_HEADER_BYTES >> 10} KB: the "
                                 "header line is too long, or the file has no line breaks")
            more = stream.read(max(block_size, 1 << 16))
            if not more:
                break
            head += more
            ends = record_ends_of(head)
        if len(ends) == 0:  # no line break outside quotes: the file is one line
            if not head.strip():
                raise InputError(f"{path or 'input'}: the file is empty; it needs at least a header line")
            ends = record_ends_of(head + b"\n")
            if len(ends) == 0:
                raise InputError(f"{path or 'input'}: the header line opens a quote that is never closed")
            head += b"\n"
        # Only the header is decoded here: the rest goes on whole, so no character is cut in two.
        header_bytes, rest = head[: int(ends[0]) + 1], head[int(ends[0]) + 1:]
        if len(header_bytes) > MAX_HEADER_BYTES:
            raise InputError(f"{path or 'input'}: the header line is longer than {MAX_HEADER_BYTES >> 10} KB")
        if header_bytes.count(b",") >= MAX_COLUMNS:
            raise InputError(f"{path or 'input'}: the header has more than {MAX_COLUMNS} columns; "
                             f"{spec.name} has {len(spec.raw_columns)}")
        header_bytes, enc = utf8_problems(header_bytes, 1)
        try:
            names = next(csv.reader([header_bytes.decode("utf-8").rstrip("\r\n")]))
        except (csv.Error, StopIteration):
            raise InputError(f"{path or 'input'}: the header line cannot be read as CSV") from None
        if len(record_ends(header_bytes)[1]) > 1:
            raise InputError(f"{path or 'input'}: the header spans several lines; column names cannot hold line breaks")
        v.report.problems += enc + v.header(names)
        if not v.usable:
            return v.finish()
        first_line = 2
        chained = Chain(rest, stream)
        prepared = v.ahead(blocks(chained, block_size))
        try:
            for block, unclosed, parsed in prepared:
                if unclosed:
                    # Whatever a lenient parser would make of it, the rest of the file would be
                    # swallowed into one cell: never accept it.
                    v.report.problems.append(Problem(first_line, None, None, "source-error",
                                                     messages.unclosed_quote()))
                    break
                if parsed is None:
                    block, enc = utf8_problems(block, first_line)
                else:
                    enc = []
                groups, rows = v.block(block, first_line, parsed)
                v.report.rows += rows
                v.report.problems += enc
                v.emit(groups)
                first_line += v.newlines
                done += len(block)
                if progress and size and time.monotonic() - started > 1.0:
                    shown = True
                    sys.stderr.write(f"\rvalidating {path}: {min(done / size, 1):.0%} ({v.report.rows:,} rows)")
                    sys.stderr.flush()
        except InputError as exc:
            raise InputError(f"{path or 'input'}: {exc}") from None
        finally:
            prepared.close()  # stops the worker threads now, also when a check raised
    if shown:
        sys.stderr.write("\n")
    return v.finish()


def _separator_hint(name: str, columns: Any) -> str:
    """A header read as one column because the file uses another separator (a spreadsheet's ';')."""
    for sep, what in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
        parts = name.split(sep)
        if len(parts) > 1 and sum(p.strip() in columns for p in parts) >= 2:
            return f" (the file seems to be separated by {what}: save it as CSV with commas)"
    return ""


def _frame_keys(frame: Any, spec: Table) -> Keys:
    """A frame of rows that all ship (as ``ird.load`` gives them, perhaps edited) is checked as edits:
    its ids are not 'taken'. Any other frame holds new rows, which may not reuse a shipped id."""
    keys = shipped_keys()
    ids = set(frame[spec.primary_key].dropna()) if spec.primary_key in frame.columns else set()
    if ids and ids <= keys.taken.get(spec.name, set()):
        keys.taken[spec.name] = set()
    return keys


def _frame_to_csv(frame: Any, spec: Table) -> bytes:
    import pandas as pd

    # The published columns the build derives from claims are not part of a row one writes.
    derived = {c.name for c in spec.columns} - {c.name for c in spec.raw_columns}
    out = frame.drop(columns=[c for c in frame.columns if c in derived])
    kinds = {c.name: c.kind for c in spec.raw_columns}
    for name in out.columns:
        s = out[name]
        if kinds.get(name) == "integer" and pd.api.types.is_float_dtype(s):
            # pandas reads an integer column with blanks as floats (21.0): write whole numbers back.
            whole = s.dropna()
            if (whole == whole.round()).all():
                out[name] = s.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[name] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[name] = s.map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def submission_keys(paths: list[Path]) -> list[Keys]:
    """Keys for several files sent together, one per file: shipped ids plus every id the
    files add; a new id may not be added twice (the second use is an error).

    A file in a checkout's raw/ is its whole table, so the shipped ids of that
    table are not 'taken' by it.
    """
    shipped = shipped_keys()
    ids: list[tuple[str, set[str], bool]] = []
    for path in paths:
        spec = table_for(path, None)
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
        ids.append((spec.name, read_ids(Path(path), spec), in_raw(path) is not None))
    known = {name: set(v) for name, v in shipped.known.items()}
    for name, found, whole in ids:
        known[name] = found if whole else known.get(name, set()) | found
    out = []
    for i, (name, _, whole) in enumerate(ids):
        taken = {n: set(v) for n, v in shipped.taken.items()}
        taken[name] = set() if whole else set(taken.get(name, set()))
        for other, found, other_whole in ids[:i]:
            if other == name and not other_whole:
                taken[name] |= found  # the same new id in two files of one submission
        out.append(Keys(known=known, taken=taken))
    return out
