"""What changed between two built releases, and the version bump that change requires.

A release is read from a folder (the data folder, or a checkout whose root
datapackage.json points into it), a wheel, or a git revision. Tables are
compared by primary key; cells are compared as the canonical text the build
writes to CSV, so a Parquet file and a CSV file of the same rows compare equal.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from .csv_cells import csv_cell as _cell
from .paths import DATA_REL

DATA_DIR = DATA_REL
BUMPS = ("none", "patch", "minor", "major")
# Table Schema field types for Arrow types, so both file formats describe a column alike.
_ARROW_KINDS = (("int", "integer"), ("float", "number"), ("double", "number"), ("date", "date"),
                ("bool", "boolean"), ("string", "string"), ("dictionary", "string"))


@dataclass
class Release:
    label: str
    version: str
    tables: dict[str, "Snapshot"]


@dataclass
class Snapshot:
    key: str
    columns: dict[str, str]  # name → type
    rows: dict[str, dict[str, str]]  # primary key → {column: canonical text}


# ---------------------------------------------------------------- reading




def _arrow_kind(arrow_type: Any) -> str:
    text = str(arrow_type)
    return next((kind for prefix, kind in _ARROW_KINDS if text.startswith(prefix)), text)


def _from_parquet(content: bytes, key: str) -> Snapshot:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(content))
    key = (table.schema.metadata or {}).get(b"primary_key", key.encode()).decode()
    columns = {f.name: _arrow_kind(f.type) for f in table.schema}
    rows = {}
    for row in table.to_pylist():
        rows[_cell(row.get(key))] = {c: _cell(v) for c, v in row.items()}
    return Snapshot(key, columns, rows)


def _from_csv(content: bytes, key: str, fields: dict[str, str]) -> Snapshot:
    import csv

    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    header = reader.fieldnames or []
    rows = {r.get(key, ""): dict(r) for r in reader}
    return Snapshot(key, {c: fields.get(c, "string") for c in header}, rows)


def read_release(label: str, read: Callable[[str], bytes | None]) -> Release:
    """Read a release through ``read(relative path) -> bytes or None``, rooted at its datapackage.json.

    A table comes from its Parquet file when the package lists one (typed), else from its CSV.
    """
    descriptor = read("datapackage.json")
    if descriptor is None:
        raise FileNotFoundError(f"{label}: no datapackage.json found")
    package = _checked_descriptor(label, descriptor)

    def inside(rel: str) -> bytes | None:
        return read(_inside_release(label, rel))

    by_name = {r["name"]: r for r in package.get("resources", [])}
    tables = {}
    for name, res in by_name.items():
        if res.get("format") == "parquet" or "schema" not in res:
            continue
        schema = res["schema"]
        key = schema.get("primaryKey", "")
        key = key[0] if isinstance(key, list) else key
        twin = by_name.get(f"{name}-parquet")
        content = inside(twin["path"]) if twin else None
        if content is not None:
            tables[name] = _from_parquet(content, key)
            continue
        content = inside(res["path"])
        if content is None:
            raise FileNotFoundError(f"{label}: {res['path']} is listed in datapackage.json but missing")
        tables[name] = _from_csv(content, key, {f["name"]: f.get("type", "string") for f in schema["fields"]})
    return Release(label, str(package.get("version", "0.0.0")), tables)


def _checked_descriptor(label: str, raw: bytes) -> dict[str, Any]:
    """The parsed datapackage.json, or ValueError (exit 2) saying what is malformed."""
    def bad(why: str) -> ValueError:
        return ValueError(f"{label}: datapackage.json is malformed: {why}")

    try:
        package = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad(f"not JSON ({exc})") from None
    if not isinstance(package, dict):
        raise bad(f"expected an object, found {type(package).__name__}")
    resources = package.get("resources", [])
    if not isinstance(resources, list):
        raise bad("'resources' is not a list")
    for i, res in enumerate(resources):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            raise bad(f"resource {i} lacks a string 'name' and 'path'")
        schema = res.get("schema")
        if schema is None:
            continue
        if not isinstance(schema, dict) or not isinstance(schema.get("fields", []), list) \
                or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema.get("fields", [])):
            raise bad(f"resource {res['name']!r} has a schema without a list of named fields")
        key = schema.get("primaryKey", "")
        if not (isinstance(key, str) or (isinstance(key, list) and key and all(isinstance(k, str) for k in key))):
            raise bad(f"resource {res['name']!r} has a primaryKey that is not a column name")
    return package


def _inside_release(label: str, rel: str) -> str:
    """A resource path that stays in the release: relative, with no '..' (nor a drive or backslash)."""
    parts = PurePosixPath(rel).parts
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or ":" in rel or ".." in parts or not parts:
        raise ValueError(f"{label}: datapackage.json names the path {rel!r}, outside the release; refused")
    return rel


# A release's data is a few MB; a member that decompresses to more is not one.
MAX_MEMBER_BYTES = 64 << 20


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)


def _git_reader(rev: str, cwd: Path) -> Callable[[str], bytes | None] | None:
    top = _git("rev-parse", "--show-toplevel", cwd=cwd)
    if top.returncode != 0 or _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=cwd).returncode:
        return None
    root = Path(top.stdout.decode().strip())

    def read(rel: str) -> bytes | None:
        out = _git("show", f"{rev}:{PurePosixPath(DATA_DIR, rel)}", cwd=root)
        return out.stdout if out.returncode == 0 else None

    return read


def _wheel_reader(path: Path) -> Callable[[str], bytes | None]:
    """Members are read when asked for, one at a time, and never beyond MAX_MEMBER_BYTES
    (a zip bomb stops there, whatever its header claims)."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if "/data/" in n]
    base = next((n[: -len("datapackage.json")] for n in names if n.endswith("/data/datapackage.json")), None)
    if base is None:
        raise FileNotFoundError(f"{path} holds no indo_russia_data/data/datapackage.json")

    def read(rel: str) -> bytes | None:
        name = base + PurePosixPath(rel).name
        if name not in names:
            return None
        with zipfile.ZipFile(path) as zf, zf.open(name) as member:
            content = member.read(MAX_MEMBER_BYTES + 1)
        if len(content) > MAX_MEMBER_BYTES:
            raise ValueError(f"{path}: {name} decompresses to more than {MAX_MEMBER_BYTES >> 20} MB; refused")
        return content

    return read


def _dir_reader(folder: Path) -> Callable[[str], bytes | None]:
    top = folder.resolve()

    def read(rel: str) -> bytes | None:
        p = folder / rel
        if not p.resolve().is_relative_to(top):  # a symlink out of the release
            raise ValueError(f"{folder}: {rel} leads outside the release; refused")
        if not p.is_file():
            return None
        if p.stat().st_size > MAX_MEMBER_BYTES:
            raise ValueError(f"{p} is larger than {MAX_MEMBER_BYTES >> 20} MB; refused")
        return p.read_bytes()

    return read


def open_release(spec: str, cwd: Path | None = None) -> Release:
    """A release from a folder, a .whl file or a git revision of the current checkout."""
    cwd = cwd or Path.cwd()
    p = Path(spec)
    if p.is_dir():
        if not (p / "datapackage.json").is_file():
            raise FileNotFoundError(f"{spec}: a folder without datapackage.json (give the data folder or a checkout)")
        return read_release(spec, _dir_reader(p))
    if p.suffix == ".whl" and p.is_file():
        return read_release(spec, _wheel_reader(p))
    reader = _git_reader(spec, cwd)
    if reader is None:
        raise ValueError(f"{spec!r} is not a folder, a .whl file or a git revision of the checkout at {cwd}")
    return read_release(spec, reader)


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
