"""What changed between two built releases, and the version bump that change requires.

Releases are read by ``releases`` (folders, exports, checkouts, wheels, git revisions). Tables are
compared by primary key; cells are compared as the canonical text the build writes to CSV, so a
Parquet file and a CSV file of the same rows compare equal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from .releases import Release, Snapshot, open_release, read_release

__all__ = ["Release", "Snapshot", "TableDiff", "open_release", "read_release", "compare", "compare_table", "bump",
           "next_version", "to_text", "to_json", "to_changelog", "BUMPS"]

BUMPS = ("none", "patch", "minor", "major")


# ---------------------------------------------------------------- comparing


@dataclass
class TableDiff:
    name: str
    status: str = "same"  # same | added | removed | changed
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # key → column → [old, new]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    types_changed: dict[str, list[str]] = field(default_factory=dict)  # column → [old, new]
    key_changed: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return self.status == "same" and not (self.added or self.removed or self.changed or self.columns_added
                                               or self.columns_removed or self.types_changed or self.key_changed)


def compare_table(name: str, old: Snapshot | None, new: Snapshot | None) -> TableDiff:
    d = TableDiff(name)
    if old is None or new is None:
        d.status = "added" if old is None else "removed"
        return d
    d.columns_added = [c for c in new.columns if c not in old.columns]
    d.columns_removed = [c for c in old.columns if c not in new.columns]
    d.types_changed = {c: [t, new.columns[c]] for c, t in old.columns.items()
                       if c in new.columns and new.columns[c] != t}
    if old.key != new.key:
        d.key_changed = [old.key, new.key]
    shared = [c for c in old.columns if c in new.columns]
    d.added = sorted(k for k in new.rows if k not in old.rows)
    d.removed = sorted(k for k in old.rows if k not in new.rows)
    for k in sorted(set(old.rows) & set(new.rows)):
        o, n = old.rows[k], new.rows[k]
        cells = {c: [o.get(c, ""), n.get(c, "")] for c in shared if o.get(c, "") != n.get(c, "")}
        if cells:
            d.changed[k] = cells
    if not d.empty():
        d.status = "changed"
    return d


def compare(old: Release, new: Release) -> list[TableDiff]:
    names = list(old.tables) + [n for n in new.tables if n not in old.tables]
    return [compare_table(n, old.tables.get(n), new.tables.get(n)) for n in names]


def bump(diffs: list[TableDiff]) -> tuple[str, list[str]]:
    """The semantic-version bump the changes require, with the reasons for it."""
    reasons: dict[str, list[str]] = {b: [] for b in BUMPS}
    for d in diffs:
        if d.status == "removed":
            reasons["major"].append(f"table {d.name} removed")
        if d.status == "added":
            reasons["minor"].append(f"table {d.name} added")
        for c in d.columns_removed:
            reasons["major"].append(f"{d.name}.{c} removed (or renamed)")
        for c, (a, b) in d.types_changed.items():
            reasons["major"].append(f"{d.name}.{c} type {a} → {b}")
        if d.key_changed:
            reasons["major"].append(f"{d.name} primary key {d.key_changed[0]} → {d.key_changed[1]}")
        for c in d.columns_added:
            reasons["minor"].append(f"{d.name}.{c} added")
        if d.added:
            reasons["minor"].append(f"{d.name}: {len(d.added)} row(s) added")
        # Removed ids break joins on them but not the schema: a minor release, flagged.
        if d.removed:
            reasons["minor"].append(f"{d.name}: {len(d.removed)} row(s) removed")
        if d.changed:
            reasons["patch"].append(f"{d.name}: {len(d.changed)} row(s) corrected")
    level = next((b for b in reversed(BUMPS) if reasons[b]), "none")
    return level, reasons[level]


def next_version(version: str, level: str) -> str:
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if not match:
        raise ValueError(f"version {version!r} does not start with MAJOR.MINOR.PATCH")
    parts = [int(p or 0) for p in match.groups()]
    major, minor, patch = parts
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
            "patch": f"{major}.{minor}.{patch + 1}", "none": f"{major}.{minor}.{patch}"}[level]


# ---------------------------------------------------------------- output


def _summary(d: TableDiff) -> list[str]:
    if d.status in ("added", "removed"):
        return [f"table {d.status}"]
    out = [f"column `{c}` added" for c in d.columns_added]
    out += [f"column `{c}` removed" for c in d.columns_removed]
    out += [f"column `{c}` type {a} → {b}" for c, (a, b) in d.types_changed.items()]
    if d.key_changed:
        out.append(f"primary key {d.key_changed[0]} → {d.key_changed[1]}")
    for what, keys in (("added", d.added), ("removed", d.removed)):
        if keys:
            out.append(f"{len(keys)} row(s) {what}: {', '.join(keys[:5])}{', ...' if len(keys) > 5 else ''}")
    if d.changed:
        cols = sorted({c for cells in d.changed.values() for c in cells})
        out.append(f"{len(d.changed)} row(s) changed ({', '.join(cols)})")
    return out


def to_text(old: Release, new: Release, diffs: list[TableDiff]) -> str:
    level, reasons = bump(diffs)
    lines = [f"{old.label} ({old.version}) → {new.label} ({new.version})"]
    for d in diffs:
        if d.empty():
            lines.append(f"{d.name}: no changes")
            continue
        lines.append(f"{d.name}:")
        lines += [f"  {s}" for s in _summary(d)]
        for k, cells in d.changed.items():
            lines.append(f"  ~ {k}: " + "; ".join(f"{c}: {a!r} → {b!r}" for c, (a, b) in cells.items()))
    target = next_version(old.version, level)
    lines.append(f"required bump: {level}" + (f" ({old.version} → {target}): " + "; ".join(reasons)
                                              if level != "none" else ""))
    if level != "none" and new.version == old.version:
        lines.append(f"note: {new.label} still declares version {new.version}")
    return "\n".join(lines)


def to_json(old: Release, new: Release, diffs: list[TableDiff]) -> str:
    level, reasons = bump(diffs)
    return json.dumps({
        "old": {"label": old.label, "version": old.version},
        "new": {"label": new.label, "version": new.version},
        "bump": level, "reasons": reasons, "next_version": next_version(old.version, level),
        "tables": {d.name: {k: v for k, v in vars(d).items() if k != "name"} for d in diffs},
    }, indent=2, ensure_ascii=False)


def to_changelog(old: Release, new: Release, diffs: list[TableDiff], date: dt.date | None = None) -> str:
    level, _ = bump(diffs)
    if level == "none":
        return f"No changes between {old.label} and {new.label}; no release needed."
    lines = [f"## {next_version(old.version, level)} - {(date or dt.date.today()).isoformat()}", ""]
    for d in diffs:
        if not d.empty():
            lines.append(f"- `{d.name}`: " + "; ".join(_summary(d)) + ".")
    return "\n".join(lines)
