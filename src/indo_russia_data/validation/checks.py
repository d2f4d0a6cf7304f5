"""The checks on one block's records: cells, blank rows, row rules, and ids across blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema.arrays import booleans, indices, mask, null_of, per_value, strings
from ..schema.arrays import empty as empty_cells
from ..schema.arrays import values as arr_values
from ..schema.table import Table
from . import messages
from .cell_checks import cell_checks
from .groups import ProblemGroup, cell_values, fixed
from .id_repeats import IdRepeats
from .known_ids import Keys


@dataclass
class Check:
    """One check over a column's values: which fail it, the code, and how to word a failure.

    ``voids``: a failure makes the value unusable for rules and keys (all but the
    foreign-key check: an unknown id is reported, yet rules still see it).
    """

    fails: Any  # numpy mask over the values
    code: str
    message: Callable[[Any], str]
    voids: bool = True


@dataclass
class ColumnResult:
    """What the checks found in one column of a block.

    ``typed``: the typed values (None unless rules or keys read the column), voided cells null.
    ``voided``: per row, a cell whose value is unusable (None when there is none).
    ``reported``: per failed check, the rows where it is the cell's first failure (a cell
    reports only its first, as pydantic does).
    """

    typed: Any = None
    voided: Any = None
    reported: list[tuple[Any, Check]] = field(default_factory=list)


def _first_failures(checks: list[Check], n: int) -> tuple[list[tuple[Any, Check]], Any]:
    """Per failed check, the values for which it is the first failure; and the values made unusable."""
    unfailed = np.ones(n, bool)  # values with no failure yet
    firsts, voided = [], np.zeros(n, bool)
    for check in checks:
        first = check.fails & unfailed
        unfailed &= ~first
        if first.any():
            firsts.append((first, check))
            if check.voids:
                voided |= first
    return firsts, voided


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
            out += [dict(zip(names, values, strict=True)) for values in zip(*cols, strict=True)]
        return out

    def column(self, name: str) -> list[str]:
        return [v for chunk in self.chunks if name in chunk for v in chunk[name].to_pylist()]


class BlockChecker:
    def __init__(self, table: Table, keys: Keys, names: list[str], cells: Cells | None = None):
        self.table = table
        self.names = names
        self.spec = {c.name: c for c in table.raw_columns}
        self.usable = [n for i, n in enumerate(names) if n in self.spec and names.index(n) == i]
        self.cells = cells
        self.repeats = IdRepeats()
        self.taken = strings(sorted(keys.taken.get(table.name) or ()))
        self.known = {fk.column: strings(sorted(keys.known.get(fk.table, set()))) for fk in table.foreign_keys}
        self.foreign = {fk.column: fk for fk in table.foreign_keys}
        # Typed values are kept only for the columns that rules and keys read.
        self.typed_needed = {table.primary_key, *(c for rule in table.rules for c in rule.columns())}
        self.blank_rows = 0  # rows of empty cells (",,,"): blank rows, not counted as rows

    def check(self, table: Any, rec_idx: Any, lines: Any) -> list[ProblemGroup]:
        """Every check on the records of ``table``, which are records ``rec_idx`` of the block."""
        table = table.unify_dictionaries()
        raw = {name: table.column(self.names.index(name)).combine_chunks() for name in self.usable}
        if self.cells is not None:
            wanted = self.cells.columns or tuple(raw)
            self.cells.chunks.append({k: raw[k] for k in wanted if k in raw})
        groups: list[ProblemGroup] = []
        voided_row = np.zeros(table.num_rows, bool)
        typed: dict[str, Any] = {}
        for name in self.usable:
            result = self.column(name, raw[name])
            if result.typed is not None:
                typed[name] = result.typed
            if result.voided is not None:
                voided_row |= result.voided
            for rows, check in result.reported:
                groups.append(ProblemGroup(rec_idx[np.flatnonzero(rows)], name, check.code,
                                           cell_values(raw[name], rec_idx, check.message)))
        groups, blank = self._blank_rows(table, rec_idx, groups)
        voided_row |= blank
        if len(self.usable) == len(self.table.raw_columns):
            groups += self.rules(typed, ~voided_row, rec_idx)
        groups += self.ids(typed, rec_idx, lines)
        return groups

    def column(self, name: str, raw: Any) -> ColumnResult:
        encoded, values = self._distinct(name, raw)
        typed, found = cell_checks(self.spec[name], values)
        checks = [Check(*c) for c in found]
        fk = self.foreign.get(name)
        if fk is not None:  # last, as in the reference: only a cell that is otherwise valid
            unknown = ~empty_cells(values) & ~mask(pc.is_in(values, value_set=self.known[name]))

            def unknown_message(v: Any, f: Any = fk) -> str:
                return messages.unknown_id(v, f.table, f.ref)

            checks.append(Check(unknown, "foreign-key", unknown_message, voids=False))
        firsts, voided = _first_failures(checks, len(values))
        keep = name in self.typed_needed
        if keep and voided.any():
            typed = pc.if_else(booleans(voided), null_of(typed.type), typed)
        if encoded is not None:
            if keep:  # rules read the distinct values through the indices (see schema.rule_base)
                typed = pa.DictionaryArray.from_arrays(encoded.indices, typed)
            if firsts:  # from distinct values back to rows
                codes = arr_values(encoded.indices)
                firsts = [(first[codes], check) for first, check in firsts]
                voided = voided[codes]
        return ColumnResult(typed if keep else None, voided if firsts else None, firsts)

    def _distinct(self, name: str, raw: Any) -> tuple[Any, Any]:
        """(dictionary-encoded column or None, the values to check): each distinct value once where it pays."""
        if pa.types.is_dictionary(raw.type):
            return raw, raw.dictionary
        if name == self.table.primary_key:  # ids are unique: encoding them would not pay
            return None, raw
        # Most columns repeat a few values (enums, dates, source ids): check each distinct
        # value once and spread the answers back through the dictionary indices.
        encoded = pc.dictionary_encode(raw)
        if len(encoded.dictionary) * 4 <= len(raw):
            return encoded, encoded.dictionary
        return None, raw

    def _blank_rows(self, table: Any, rec_idx: Any, groups: list[ProblemGroup]) -> tuple[list[ProblemGroup], Any]:
        """A row whose every cell is empty (",,,," or a blank line pyarrow kept) is a blank row, whatever
        the header (repeated or unknown columns count too): it replaces the row's other problems."""
        empty = np.ones(table.num_rows, bool)
        for i in range(table.num_columns):
            if not empty.any():
                break
            col = table.column(i).combine_chunks()
            empty &= per_value(col, empty_cells) if pa.types.is_dictionary(col.type) else empty_cells(col)
        if not empty.any():
            return groups, empty
        blank_recs = rec_idx[empty]
        groups = [ProblemGroup(g.rows[~np.isin(g.rows, blank_recs)], g.column, g.code, g.render) for g in groups]
        groups = [g for g in groups if len(g.rows)]
        groups.append(ProblemGroup(blank_recs, None, "blank-row", fixed(messages.blank_row())))
        self.blank_rows += int(empty.sum())
        return groups, empty

    def rules(self, typed: dict[str, Any], ok_rows: Any, rec_idx: Any) -> list[ProblemGroup]:
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

            groups.append(ProblemGroup(rec_idx[np.flatnonzero(fails)], rule.column, rule.code, render))
        return groups

    def ids(self, typed: dict[str, Any], rec_idx: Any, lines: Any) -> list[ProblemGroup]:
        """Ids used earlier in the file (in any block) or taken by rows that ship."""
        pk = self.table.primary_key
        if pk not in typed:
            return []
        col = typed[pk]
        pos = np.flatnonzero(mask(pc.is_valid(col)))  # ids that passed their cell checks
        if len(pos) == 0:
            return []
        values = col.drop_null()
        first = self.repeats.first_uses(values, lines[rec_idx[pos]])
        dup = first >= 0
        if len(self.taken):
            dup |= mask(pc.is_in(values, value_set=self.taken))
        if not dup.any():
            return []
        k = np.flatnonzero(dup)
        vals = values.take(indices(k)).to_pylist()
        where = {int(r): (v, int(f)) for r, v, f in zip(rec_idx[pos[k]], vals, first[k], strict=True)}

        def render(recs: Any) -> list[tuple[Any, str]]:
            out = []
            for r in recs:
                v, f = where[int(r)]
                out.append((v, messages.repeated_id(v, f) if f >= 0 else messages.taken_id(v)))
            return out

        return [ProblemGroup(rec_idx[pos[k]], pk, "primary-key", render)]
