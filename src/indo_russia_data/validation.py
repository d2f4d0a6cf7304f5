"""The validator: every problem of a CSV file in one pass, pinned to line and column.

The file is streamed in blocks cut at record boundaries. Record boundaries,
physical line numbers and cell counts are found with numpy over the raw bytes
(quote parity tells a newline inside a quoted cell from one that ends a
record); pyarrow parses each block into string columns, and every check is a
vectorised pyarrow operation derived from the table's pydantic model. The
per-row pydantic reference (:func:`validate_rows_reference`) applies the same
models row by row; tests hold the two to the same answers.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .report import Problem, Report
from .schema import TABLES, get_table
from .schema.columns import DATE_RE, FORMULA_PREFIXES, INT_RE, NUMBER_RE, Column
from .schema.table import Table

BLOCK_SIZE = 8 << 20
_FORMULA_RE = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_PREFIXES).replace("\t", "\\t").replace(
    "\r", "\\r") + "]"


class InputError(Exception):
    """The input cannot be validated at all (missing, unreadable, unknown table)."""


@dataclass
class Keys:
    """Ids a file's keys are checked against.

    ``known``: per table, ids that foreign keys may point at (shipped rows plus
    the submission). ``taken``: per table, ids a new row may not reuse.
    """

    known: dict[str, set[str]] = field(default_factory=dict)
    taken: dict[str, set[str]] = field(default_factory=dict)


# ---------------------------------------------------------------- reading


def _utf8_problems(block: bytes, first_line: int) -> tuple[bytes, list[Problem]]:
    try:
        block.decode("utf-8")
        return block, []
    except UnicodeDecodeError:
        pass
    problems, pos, seen_lines = [], 0, set()
    while True:
        try:
            block[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            start = pos + exc.start
            line = first_line + block.count(b"\n", 0, start)
            if line not in seen_lines:
                seen_lines.add(line)
                problems.append(Problem(line, None, repr(block[start:start + exc.end - exc.start]), "encoding-error",
                                        f"byte(s) at line {line} are not UTF-8; save the file as UTF-8"))
            pos = pos + exc.end
    return block.decode("utf-8", errors="replace").encode("utf-8"), problems


def _record_ends(arr: Any, np: Any) -> Any:
    """Offsets of the newlines that end records (those outside quotes)."""
    quotes = np.flatnonzero(arr == 34)
    newlines = np.flatnonzero(arr == 10)
    parity = np.searchsorted(quotes, newlines) % 2
    return newlines[parity == 0], newlines, quotes


def _blocks(stream: io.BufferedIOBase, block_size: int) -> Iterator[tuple[bytes, bool]]:
    """Yield (chunk of whole records ending with a newline, False); at the end, if a quote
    is never closed, (the unreadable rest, True)."""
    import numpy as np

    carry = b""
    while True:
        chunk = stream.read(block_size)
        if not chunk:
            break
        data = carry + chunk
        ends, _, _ = _record_ends(np.frombuffer(data, np.uint8), np)
        if len(ends) == 0:
            carry = data
            continue
        cut = int(ends[-1]) + 1
        yield data[:cut], False
        carry = data[cut:]
    if not carry:
        return
    data = carry if carry.endswith(b"\n") else carry + b"\n"
    ends, _, _ = _record_ends(np.frombuffer(data, np.uint8), np)
    cut = int(ends[-1]) + 1 if len(ends) else 0
    if cut:
        yield data[:cut], False
    if data[cut:].strip():
        yield data[cut:], True


# ---------------------------------------------------------------- checks


@dataclass
class _Group:
    """Problems of one kind in a batch: row positions plus how to word them."""

    rows: Any  # numpy int array of batch row positions
    column: str | None
    code: str
    message: Callable[[int], str]
    value: Callable[[int], str | None]


def _cell_checks(col: Column, raw: Any, pa: Any, pc: Any) -> tuple[Any, list[tuple[Any, str, Callable]]]:
    """Parse one string column; return (typed array, [(bad mask, code, message(value))])."""
    empty = pc.equal(raw, "")
    present = pc.invert(empty)
    checks: list[tuple[Any, str, Callable]] = []
    if col.required:
        checks.append((empty, "constraint-error", lambda v, c=col: f"{c.name} is required"))
    typed: Any
    if col.kind == "integer":
        ok = pc.match_substring_regex(raw, INT_RE)
        checks.append((pc.and_(present, pc.invert(ok)), "type-error", lambda v: f"{v!r} is not a valid integer"))
        typed = pc.cast(pc.if_else(ok, pc.replace_substring_regex(raw, r"^\+", ""), None), pa.int64())
    elif col.kind == "number":
        ok = pc.match_substring_regex(raw, NUMBER_RE)
        checks.append((pc.and_(present, pc.invert(ok)), "type-error", lambda v: f"{v!r} is not a valid number"))
        typed = pc.cast(pc.if_else(ok, raw, None), pa.float64())
    elif col.kind == "date":
        shaped = pc.match_substring_regex(raw, DATE_RE)
        ts = pc.strptime(pc.if_else(shaped, raw, None), format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls 2021-02-30 over to March: a real date prints back unchanged.
        real = pc.and_(pc.equal(pc.strftime(ts, format="%Y-%m-%d"), raw), pc.greater_equal(pc.year(ts), 1))
        real = pc.fill_null(real, False)
        checks.append((pc.and_(shaped, pc.invert(real)), "type-error", lambda v: f"{v!r} is not a valid date (no such day)"))
        checks.append((pc.and_(present, pc.invert(shaped)), "type-error",
                       lambda v: f"{v!r} is not a valid date (YYYY-MM-DD)"))
        typed = pc.cast(pc.if_else(real, ts, None), pa.date32())
    elif col.kind == "boolean":
        ok = pc.is_in(raw, value_set=pa.array(["true", "false"]))
        checks.append((pc.and_(present, pc.invert(ok)), "type-error",
                       lambda v: f"{v!r} is not a valid boolean (true/false)"))
        typed = pc.if_else(ok, pc.equal(raw, "true"), None)
    else:
        typed = pc.if_else(present, raw, None)
    if col.enum is not None:
        ok = pc.is_in(raw, value_set=pa.array(col.enum))
        checks.append((pc.and_(present, pc.invert(ok)), "constraint-error",
                       lambda v, c=col: f"{v!r} is not one of: {', '.join(c.enum)}"))
    if col.pattern is not None:
        ok = pc.match_substring_regex(raw, col.pattern)
        bad = pc.and_(present, pc.invert(ok))
        checks.append((bad, "constraint-error", lambda v, c=col: f"{v!r} does not match the pattern {c.pattern}"))
    if col.minimum is not None:
        below = pc.fill_null(pc.less(typed, col.minimum), False)
        checks.append((below, "constraint-error", lambda v, c=col: f"{v} is below the minimum {c.minimum:g}"))
    if col.text:
        formula = pc.match_substring_regex(raw, _FORMULA_RE)
        if col.pattern is not None:
            formula = pc.and_(formula, pc.match_substring_regex(raw, col.pattern))
        checks.append((formula, "ird/formula-injection",
                       lambda v: f"text starts with {v[:1]!r}, which spreadsheets run as a formula"))
    return typed, checks


def _string_hashes(arr: Any, np: Any, pa: Any) -> Any:
    """64-bit polynomial hashes of a string array without nulls (numpy, no Python loop)."""
    arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.uint64)
    offsets = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset: arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], np.uint8)
    start, end = offsets[:-1], offsets[1:]
    lengths = end - start
    base = int(start[0])
    chunk = data[base: int(end[-1])].astype(np.uint64)
    rel_end = np.repeat(end - base, lengths)
    exps = rel_end - 1 - np.arange(base - base, len(chunk))
    maxlen = int(lengths.max()) if n else 0
    powers = np.empty(max(maxlen, 1), np.uint64)
    powers[0] = 1
    with np.errstate(over="ignore"):
        for i in range(1, len(powers)):
            powers[i] = powers[i - 1] * np.uint64(1099511628211)
        weighted = chunk * powers[exps]
        sums = np.zeros(n, np.uint64)
        nonempty = lengths > 0
        if nonempty.any():
            sums[nonempty] = np.add.reduceat(weighted, (start - base)[nonempty])
        return sums ^ (lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))


class _Validator:
    def __init__(self, table: Table, keys: Keys | None, max_errors: int):
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        self.np, self.pa, self.pc = np, pa, pc
        self.table = table
        self.keys = keys or Keys()
        self.max_errors = max_errors
        self.report = Report(table=table.name)
        self.spec = {c.name: c for c in table.raw_columns}
        self.order = {c.name: i for i, c in enumerate(table.raw_columns)}
        self.pk_hashes: list[Any] = []  # sorted uint64 arrays of earlier batches' keys
        self.pk_lines: list[Any] = []
        taken = self.keys.taken.get(table.name) or set()
        self.taken_hashes = self._hash_set(list(taken))
        self.known = {
            fk.column: pa.array(sorted(self.keys.known.get(fk.table, set())), pa.string())
            for fk in table.foreign_keys
        }

    def _hash_set(self, values: list[str]) -> Any:
        h = _string_hashes(self.pa.array(values, self.pa.string()), self.np, self.pa)
        return self.np.sort(h)

    # -- header
    def header(self, names: list[str]) -> list[Problem]:
        problems = []
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                problems.append(Problem(1, name, name, "duplicate-label", f"column {name!r} appears twice in the header"))
            elif name not in self.spec:
                problems.append(Problem(1, name, name, "extra-label",
                                        f"{name!r} is not a column of {self.table.name}"))
            seen.add(name)
        for c in self.table.raw_columns:
            if c.name not in seen:
                problems.append(Problem(1, c.name, None, "missing-label",
                                        f"column {c.name!r} is missing from the header"))
        self.names = names
        self.usable = [n for i, n in enumerate(names) if n in self.spec and names.index(n) == i]
        return problems

    # -- one block of records
    def block(self, data: bytes, first_line: int) -> tuple[list[_Group], int]:
        """Check one block; record indices in the groups index ``self.lines``."""
        np = self.np
        arr = np.frombuffer(data, np.uint8)
        ends, newlines, quotes = _record_ends(arr, np)
        starts = np.concatenate(([0], ends[:-1] + 1))
        self.lines = first_line + np.searchsorted(newlines, starts)
        cr = arr[np.maximum(ends - 1, 0)] == 13
        blank = (ends - starts - cr) == 0
        commas = np.flatnonzero(arr == 44)
        commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
        cells = np.bincount(np.searchsorted(ends, commas), minlength=len(ends)) + 1
        ragged = (cells != len(self.names)) & ~blank
        good = np.flatnonzero(~(blank | ragged))
        payload = data if len(good) == len(ends) else b"".join(data[starts[i]: ends[i] + 1] for i in good)
        table = self._parse(payload) if len(good) else None
        if len(good) and (table is None or table.num_rows != len(good)):
            # A stray quote inside an unquoted cell fools quote parity: fall back to Python's csv.
            table, good, blank, cells = self._parse_slow(data, first_line)
            ragged = (cells != len(self.names)) & ~blank
        groups: list[_Group] = []
        if blank.any():
            groups.append(_Group(np.flatnonzero(blank), None, "blank-row", lambda i: "the row is blank", lambda i: None))
        if ragged.any():
            groups += self._ragged(np.flatnonzero(ragged), cells)
        if len(good):
            groups += self._checks(table, good)
        return groups, int((~blank).sum())

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
                                  lambda i, c=cells, n=ncols, names=self.names: missing_cells_message(c[i], n, names),
                                  lambda i: None))
        if len(more):
            out.append(_Group(more, None, "extra-cell",
                              lambda i, c=cells, n=ncols: f"the row has {c[i]} cells; the header has {n}",
                              lambda i: None))
        return out

    def _parse(self, payload: bytes) -> Any:
        import pyarrow.csv as pcsv

        pa = self.pa
        try:
            return pcsv.read_csv(
                io.BytesIO(payload),
                read_options=pcsv.ReadOptions(column_names=self.names, block_size=1 << 26),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={n: pa.string() for n in self.names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowException:
            return None

    def _parse_slow(self, data: bytes, first_line: int) -> tuple[Any, Any, Any, Any]:
        np, pa = self.np, self.pa
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
        table = pa.table({n: pa.array(list(c), pa.string()) for n, c in zip(self.names, cols)})
        return table, good, blank_a, cells_a

    def _checks(self, table: Any, rec_idx: Any) -> list[_Group]:
        np, pa, pc = self.np, self.pa, self.pc
        groups: list[_Group] = []
        n = table.num_rows
        bad_row = np.zeros(n, bool)
        typed: dict[str, Any] = {}
        raw_cols = {name: table.column(name).combine_chunks() for name in self.usable}
        for name in self.usable:
            col = self.spec[name]
            raw = raw_cols[name]
            t, checks = _cell_checks(col, raw, pa, pc)
            cell_bad = np.zeros(n, bool)
            for mask, code, msg in checks:
                m = np.asarray(mask.to_numpy(zero_copy_only=False), bool) & ~cell_bad
                if m.any():
                    cell_bad |= m
                    rows = np.flatnonzero(m)
                    groups.append(_Group(rec_idx[rows], name, code,
                                         lambda i, r=raw, msg=msg, g=rec_idx: msg(r[int(self._pos(g, i))].as_py()),
                                         lambda i, r=raw, g=rec_idx: r[int(self._pos(g, i))].as_py()))
            bad_row |= cell_bad
            typed[name] = pc.if_else(pa.array(cell_bad), None, t) if cell_bad.any() else t
        # All-empty rows (",,,,") are blank rows, as in frictionless.
        if self.usable:
            all_empty = None
            for name in self.usable:
                e = pc.equal(raw_cols[name], "")
                all_empty = e if all_empty is None else pc.and_(all_empty, e)
            blank = np.asarray(all_empty.to_numpy(zero_copy_only=False), bool)
            if blank.any() and len(self.usable) == len(self.names):
                groups = [self._drop_rows(g, rec_idx[blank]) for g in groups]
                groups = [g for g in groups if len(g.rows)]
                groups.append(_Group(rec_idx[blank], None, "blank-row", lambda i: "the row is blank", lambda i: None))
                bad_row |= blank
        complete = len(self.usable) == len(self.table.raw_columns)
        if complete:
            groups += self._rules(typed, ~bad_row, rec_idx)
        groups += self._keys(typed, rec_idx)
        return groups

    def _pos(self, rec_idx: Any, record: int) -> int:
        """Position in the parsed batch of a record of the block (rec_idx is sorted)."""
        return int(self.np.searchsorted(rec_idx, record))

    def _drop_rows(self, g: _Group, rows: Any) -> _Group:
        keep = ~self.np.isin(g.rows, rows)
        return _Group(g.rows[keep], g.column, g.code, g.message, g.value)

    def _rules(self, typed: dict[str, Any], ok_rows: Any, rec_idx: Any) -> list[_Group]:
        np, pa = self.np, self.pa
        if not ok_rows.any():
            return []
        sel = pa.array(ok_rows)
        cols = {k: v.filter(sel) for k, v in typed.items()}
        positions = np.flatnonzero(ok_rows)
        groups = []
        for rule in self.table.rules:
            fails = np.asarray(rule.check_batch(cols).to_numpy(zero_copy_only=False), bool)
            if fails.any():
                rows = positions[fails]

                def message(i: int, rule=rule) -> str:
                    p = self._pos(rec_idx, i)
                    return rule.message({k: v[p].as_py() for k, v in typed.items()})

                groups.append(_Group(rec_idx[rows], rule.column, rule.code, message,
                                     lambda i, c=rule.column: self._cell(typed, c, rec_idx, i)))
        return groups

    def _cell(self, typed: dict[str, Any], column: str, rec_idx: Any, i: int) -> str | None:
        v = typed[column][self._pos(rec_idx, i)].as_py()
        return None if v is None else str(v)

    def _keys(self, typed: dict[str, Any], rec_idx: Any) -> list[_Group]:
        np, pa, pc = self.np, self.pa, self.pc
        groups = []
        pk = self.table.primary_key
        if pk in typed:
            col = typed[pk]
            valid = np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), bool)
            pos = np.flatnonzero(valid)
            values = col.filter(pa.array(valid))
            h = _string_hashes(values, np, pa)
            rec_lines = self.lines[rec_idx[pos]]
            # Within this batch: a stable sort puts repeats after their first use.
            order = np.argsort(h, kind="stable")
            hs = h[order]
            rep = np.zeros(len(h), bool)
            rep[order[1:]] = hs[1:] == hs[:-1]
            first_line = np.empty(len(h), np.int64)
            if len(h):
                run_start = np.concatenate(([True], hs[1:] != hs[:-1]))
                first_line[order] = rec_lines[order][np.maximum.accumulate(np.where(run_start, np.arange(len(hs)), 0))]
            earlier = {}
            for hashes, hlines in zip(self.pk_hashes, self.pk_lines):
                j = np.searchsorted(hashes, h)
                j = np.minimum(j, len(hashes) - 1)
                hit = (hashes[j] == h) & ~rep if len(hashes) else np.zeros(len(h), bool)
                for k in np.flatnonzero(hit):
                    earlier.setdefault(int(k), int(hlines[j[k]]))
            if len(self.taken_hashes):
                j = np.minimum(np.searchsorted(self.taken_hashes, h), len(self.taken_hashes) - 1)
                taken = self.taken_hashes[j] == h
            else:
                taken = np.zeros(len(h), bool)
            dup_msgs: dict[int, str] = {}
            for k in np.flatnonzero(rep):
                dup_msgs[int(k)] = f"id {values[int(k)].as_py()!r} is already used on line {first_line[k]}"
            for k, line in earlier.items():
                dup_msgs.setdefault(k, f"id {values[k].as_py()!r} is already used on line {line}")
            for k in np.flatnonzero(taken):
                dup_msgs.setdefault(int(k), f"id {values[int(k)].as_py()!r} is already used by a row that ships; "
                                            "new rows need new ids")
            if dup_msgs:
                ks = np.array(sorted(dup_msgs), np.int64)
                recs = rec_idx[pos[ks]]
                by_rec = {int(r): dup_msgs[int(k)] for r, k in zip(recs, ks)}
                vals = {int(r): values[int(k)].as_py() for r, k in zip(recs, ks)}
                groups.append(_Group(recs, pk, "primary-key", lambda i, m=by_rec: m[int(i)],
                                     lambda i, v=vals: v[int(i)]))
            order2 = np.argsort(h)
            self.pk_hashes.append(h[order2])
            self.pk_lines.append(rec_lines[order2])
        for fk in self.table.foreign_keys:
            if fk.column not in typed:
                continue
            col = typed[fk.column]
            known = self.known[fk.column]
            missing = pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=known)))
            m = np.asarray(missing.to_numpy(zero_copy_only=False), bool)
            if m.any():
                rows = rec_idx[np.flatnonzero(m)]
                groups.append(_Group(rows, fk.column, "foreign-key",
                                     lambda i, c=col, f=fk: f"{c[self._pos(rec_idx, i)].as_py()!r} is not an id in "
                                     f"{f.table}.{f.ref} (shipped or in this submission)",
                                     lambda i, c=col: c[self._pos(rec_idx, i)].as_py()))
        return groups

    # -- collect
    def emit(self, groups: list[_Group]) -> None:
        np = self.np
        if not groups:
            return
        recs = np.concatenate([g.rows for g in groups])
        gid = np.concatenate([np.full(len(g.rows), k) for k, g in enumerate(groups)])
        line_no = self.lines[recs]
        colpos = np.array([self.order.get(g.column, -1) if g.column else -1 for g in groups])[gid]
        order = np.lexsort((colpos, line_no))
        room = max(self.max_errors - len(self.report.problems), 0)
        take = order[:room]
        self.report.omitted += len(order) - len(take)
        for k in take:
            g = groups[gid[k]]
            r = int(recs[k])
            self.report.problems.append(Problem(int(line_no[k]), g.column, g.value(r), g.code, g.message(r)))


def missing_cells_message(have: int, ncols: int, names: list[str]) -> str:
    missing = names[have:]
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return f"the row has {have} cells; the header has {ncols} (missing: {shown})"


def _open(source: Any) -> tuple[io.BufferedIOBase, str | None, int | None]:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), None, len(source)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a CSV file")
    try:
        return open(path, "rb"), str(path), path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def table_for(path: Any, table: str | None) -> Table:
    """The table named, or the one the file is named after (``claims.csv``)."""
    if table is None:
        stem = Path(str(path)).name.split(".")[0] if path is not None else ""
        if stem not in TABLES:
            raise InputError(
                f"cannot tell the table from the file name {Path(str(path)).name!r}; "
                f"pass --table (one of: {', '.join(TABLES)})")
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
) -> Report:
    """Validate a CSV file (path or bytes) or a DataFrame against a table's schema.

    ``keys`` says which ids foreign keys may use and which ids are taken; by
    default, those of the data that ships with the package (see
    :func:`shipped_keys`).
    """
    if hasattr(source, "to_csv") and hasattr(source, "columns"):
        if table is None:
            raise InputError("pass table=... to validate a DataFrame")
        source = _frame_to_csv(source)
    spec = table_for(source if not isinstance(source, (bytes, bytearray)) else None, table)
    if keys is None:
        keys = _keys_for(source)
    stream, path, size = _open(source)
    v = _Validator(spec, keys, max_errors)
    v.report.path = path
    started = time.monotonic()
    shown = False
    done = 0
    with stream:
        head = stream.read(min(block_size, 1 << 20))
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        head, enc = _utf8_problems(head, 1) if b"\n" in head else (head, [])
        import numpy as np

        ends, _, _ = _record_ends(np.frombuffer(head, np.uint8), np)
        if len(ends) == 0:
            rest = stream.read()
            head += rest
            if not head.strip():
                raise InputError(f"{path or 'input'}: the file is empty; it needs at least a header line")
            if not head.endswith(b"\n"):
                head += b"\n"
            head, enc = _utf8_problems(head, 1)
            ends, _, _ = _record_ends(np.frombuffer(head, np.uint8), np)
        if len(ends) == 0:
            raise InputError(f"{path or 'input'}: the header line opens a quote that is never closed")
        header_bytes, rest = head[: int(ends[0]) + 1], head[int(ends[0]) + 1:]
        try:
            names = next(csv.reader([header_bytes.decode("utf-8").rstrip("\r\n")]))
        except (csv.Error, StopIteration):
            raise InputError(f"{path or 'input'}: the header line cannot be read as CSV") from None
        v.report.problems += enc[: v.max_errors]
        v.report.omitted += len(enc[v.max_errors:])
        v.report.problems += v.header(names)
        if not v.usable:
            return v.report
        first_line = 1 + header_bytes.count(b"\n")
        chained = _Chain(rest, stream)
        for block, unclosed in _blocks(chained, block_size):
            if unclosed:
                v.report.problems.append(Problem(first_line, None, None, "source-error",
                                                 "a quote opened on this line is never closed, so the rest of "
                                                 "the file cannot be read"))
                break
            block, enc = _utf8_problems(block, first_line)
            groups, rows = v.block(block, first_line)
            v.report.rows += rows
            if enc:
                room = max(v.max_errors - len(v.report.problems), 0)
                v.report.problems += enc[:room]
                v.report.omitted += len(enc) - len(enc[:room])
            v.emit(groups)
            first_line += block.count(b"\n")
            done += len(block)
            if progress and size and time.monotonic() - started > 1.0:
                shown = True
                sys.stderr.write(f"\rvalidating {path}: {min(done / size, 1):.0%} ({v.report.rows:,} rows)")
                sys.stderr.flush()
    if shown:
        sys.stderr.write("\n")
    v.report.problems.sort(key=lambda p: (p.line or 0, v.order.get(p.column or "", -1)))
    return v.report


class _Chain(io.RawIOBase):
    """The rest of the first read, then the stream."""

    def __init__(self, first: bytes, stream: io.BufferedIOBase):
        self.first, self.stream = first, stream

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        if self.first:
            out, self.first = self.first, b""
            return out
        return self.stream.read(n)


def _frame_to_csv(frame: Any) -> bytes:
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        s = out[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[name] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[name] = s.map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


# ---------------------------------------------------------------- keys


def _keys_for(source: Any) -> Keys:
    """A file in a checkout's raw/ is the whole table; any other file holds new rows."""
    if not isinstance(source, (bytes, bytearray)):
        folder = Path(source).resolve().parent
        if folder.name == "raw" and (folder.parent / "pyproject.toml").is_file():
            known = {name: read_ids(folder / f"{name}.csv", spec) for name, spec in TABLES.items()}
            return Keys(known=known, taken={})
    return shipped_keys()


def shipped_keys() -> Keys:
    """Ids of the data that ships: foreign keys may use them; new rows may not reuse them."""
    from . import loader

    keys = Keys()
    for name in TABLES:
        ids = loader.ids(name)
        keys.known[name] = ids
        keys.taken[name] = ids
    return keys


def read_ids(path: Path, table: Table) -> set[str]:
    """The primary keys in a CSV file, read leniently (for a submission's own keys)."""
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
            return {row.get(table.primary_key) or "" for row in csv.DictReader(f)} - {""}
    except (OSError, csv.Error):
        return set()


# ---------------------------------------------------------------- reference


def validate_rows_reference(source: Any, table: str, keys: Keys | None = None) -> Report:
    """Per-row pydantic validation: slow, simple, and the yardstick for :func:`validate`."""
    from pydantic import ValidationError

    spec = get_table(table)
    keys = keys or Keys()
    report = Report(table=table)
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    names = next(reader)
    order = {c.name: i for i, c in enumerate(spec.raw_columns)}
    seen: set[str] = set()
    taken = keys.taken.get(table, set())
    fks = [(fk, keys.known.get(fk.table, set())) for fk in spec.foreign_keys]
    add = report.problems.append
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not cells or (len(cells) == len(names) and not any(cells)):
            add(Problem(start, None, None, "blank-row", "the row is blank"))
            continue
        report.rows += 1
        if len(cells) != len(names):
            if len(cells) < len(names):
                add(Problem(start, names[len(cells)], None, "missing-cell",
                            missing_cells_message(len(cells), len(names), names)))
            else:
                add(Problem(start, None, None, "extra-cell", f"the row has {len(cells)} cells"))
            continue
        row = dict(zip(names, cells))
        bad: set[str] = set()
        try:
            obj = spec.model.model_validate(row, context={"skip_rules": True}).__dict__
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0])
                bad.add(name)
                add(Problem(start, name, row[name], _code(err), err["msg"]))
        if not bad:
            for rule in spec.rules:
                failure = rule.check_row(obj)
                if failure:
                    add(Problem(start, failure.column, None, failure.code, failure.message))
        pk = row.get(spec.primary_key, "")
        if spec.primary_key not in bad and pk:
            if pk in seen or pk in taken:
                add(Problem(start, spec.primary_key, pk, "primary-key", "duplicate id"))
            seen.add(pk)
        for fk, known in fks:
            value = row.get(fk.column, "")
            if value and fk.column not in bad and value not in known:
                add(Problem(start, fk.column, value, "foreign-key", "unknown id"))
    report.problems.sort(key=lambda p: (p.line or 0, order.get(p.column or "", -1)))
    return report


def _code(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    if kind in ("type-error", "ird/formula-injection"):
        return kind
    return "constraint-error"  # enum, pattern, minimum, or a required cell left empty
