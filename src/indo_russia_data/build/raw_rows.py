"""Reading a checkout's raw/: validate each hand-written table, keep the cells the validator read,
type them, and add the rows the committed snapshots give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..schema import TABLES
from ..schema.table import Table
from ..validation.known_ids import Keys, raw_keys
from ..validation.report import Report
from ..validation.validator import Cells, validate


class BuildError(Exception):
    """The raw data is invalid or inconsistent; ``reports``/``problems`` say where."""

    def __init__(self, message: str, reports: list[Report] | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.reports = reports or []
        self.problems = problems or []



def raw_tables() -> list[str]:
    """Tables written by hand in raw/<name>.csv (the others come only from raw/snapshots/)."""
    return [name for name, spec in TABLES.items() if not spec.from_snapshots]


def checkout_keys(raw: Path) -> Keys:
    """Keys for validating a checkout's raw/: its ids plus those the committed snapshots add."""
    from . import snapshots

    return raw_keys(raw, snapshots.ids(raw))


def read_valid(source: Any, spec: Table, keys: Keys, max_errors: int = 1000) -> tuple[Report, list[dict[str, str]]]:
    """Validate a file and return its cells as the validator read them (none if invalid):
    the build publishes exactly what was validated."""
    cells = Cells()
    report = validate(source, spec.name, keys=keys, max_errors=max_errors, cells=cells)
    return report, (cells.rows() if report.valid else [])


def validate_raw(raw: Path, max_errors: int = 1000, keys: Keys | None = None,
                 cells: dict[str, list[dict[str, str]]] | None = None) -> list[Report]:
    """Validate every raw file; fill ``cells`` with each valid table's cells."""
    missing = [f"{name}.csv" for name in raw_tables() if not (raw / f"{name}.csv").is_file()]
    if missing:
        raise BuildError(f"{raw} lacks {', '.join(missing)}")
    keys = keys or checkout_keys(raw)
    reports = []
    for name in raw_tables():
        report, rows = read_valid(raw / f"{name}.csv", TABLES[name], keys, max_errors)
        reports.append(report)
        if cells is not None:
            cells[name] = rows
    return reports


def typed_rows(cells: list[dict[str, str]], spec: Table) -> list[dict[str, Any]]:
    # Called only on cells that validated, so the row rules need not run again.
    return [dict(spec.model.model_validate(row, context={"skip_rules": True}).__dict__) for row in cells]


def parse_rows(path: Path, spec: Table, keys: Keys | None = None) -> list[dict[str, Any]]:
    """The typed rows of a valid raw file (read as the validator reads it)."""
    report, cells = read_valid(path, spec, keys or raw_keys(path.parent))
    if not report.valid:
        raise BuildError(f"{path} is invalid", reports=[report])
    return typed_rows(cells, spec)


def _check_snapshots(raw: Path) -> None:
    from . import snapshots

    try:
        snapshots.generate(raw)
    except snapshots.SnapshotError as exc:
        raise BuildError("a snapshot cannot be read", problems=[str(exc)]) from None


def read_rows(raw: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows: raw/*.csv (already validated) plus what the committed snapshots add."""
    keys = checkout_keys(raw)
    return with_snapshots(raw, {name: parse_rows(raw / f"{name}.csv", TABLES[name], keys) for name in raw_tables()})


def with_snapshots(raw: Path, rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The raw rows plus what the committed snapshots add, checked by the same models."""
    from . import snapshots

    try:
        generated = snapshots.generate(raw, rows)
    except snapshots.SnapshotError as exc:
        raise BuildError("a snapshot cannot be read", problems=[str(exc)]) from None
    problems = snapshots.merge(rows, generated)
    if problems:
        raise BuildError("snapshot rows are invalid", problems=problems)
    return rows
