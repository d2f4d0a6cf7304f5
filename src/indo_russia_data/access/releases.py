"""Reading a built release, whatever form it takes: a data folder, an export of Parquet or CSV
files (with or without its datapackage.json), a checkout, a wheel, or a git revision.

release_layout says which file holds each table; every path stays inside the release, and a
wheel's members are read lazily and capped in size.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..paths import DATA_REL
from ..schema.csv_cells import csv_cell as _cell
from .release_layout import implied_package, table_files

DATA_DIR = DATA_REL
# Table Schema field types for Arrow types, so both file formats describe a column alike.
_ARROW_KINDS = (("int", "integer"), ("float", "number"), ("double", "number"), ("date", "date"),
                ("bool", "boolean"), ("string", "string"), ("dictionary", "string"))


@dataclass
class Release:
    label: str
    version: str
    tables: dict[str, Snapshot]


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

    # ParquetFile, not read_table: read_table on an in-memory buffer has aborted the process
    # (pyarrow 26, at exit), and it imports pandas.
    table = pq.ParquetFile(io.BytesIO(content)).read()
    key = (table.schema.metadata or {}).get(b"primary_key", key.encode()).decode()
    columns = {f.name: _arrow_kind(f.type) for f in table.schema}
    rows = {}
    for row in table.to_pylist():
        rows[_cell(row.get(key))] = {c: _cell(v) for c, v in row.items()}
    return Snapshot(key, columns, rows)


def _from_csv(content: bytes, key: str, fields: dict[str, str], where: str = "a CSV file") -> Snapshot:
    import csv

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{where}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if key not in header:
        raise ValueError(f"{where}: has no column {key!r}, the table's primary key")
    rows: dict[str, dict[str, str]] = {}
    for r in reader:
        if r[key] in rows:
            raise ValueError(f"{where}: id {r[key]!r} appears twice; a release holds each row once")
        rows[r[key]] = dict(r)
    return Snapshot(key, {c: fields.get(c, "string") for c in header}, rows)


def read_release(label: str, read: Callable[[str], bytes | None]) -> Release:
    """Read a release through ``read(relative path) -> bytes or None``, rooted at its datapackage.json
    (or at its ``<table>.parquet`` / ``<table>.csv`` files when it has none).

    A table comes from its Parquet file when the release has one (typed), else from its CSV.
    """
    descriptor = read("datapackage.json")
    package: dict[str, Any] | None
    if descriptor is not None:
        package = _checked_descriptor(label, descriptor)
    else:
        package = implied_package(read)
    if package is None:
        raise FileNotFoundError(f"{label}: no datapackage.json and no <table>.parquet or <table>.csv files found")

    def inside(rel: str) -> bytes | None:
        return read(_inside_release(label, rel))

    tables = {}
    for name, files in table_files(package).items():
        content = inside(files.parquet) if files.parquet else None
        if content is not None:
            tables[name] = _from_parquet(content, files.key)
            continue
        content = inside(files.csv) if files.csv else None
        if content is None:
            raise FileNotFoundError(f"{label}: {files.csv or files.parquet} is listed in datapackage.json but missing")
        tables[name] = _from_csv(content, files.key, files.fields, f"{label}: {files.csv}")
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
        _inside_release(label, res["path"])  # every path, read or not, must stay in the release
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
    """A release from a folder, a .whl file or a git revision of the checkout at ``cwd`` (default: here)."""
    cwd = cwd or Path.cwd()
    p = Path(spec)
    if p.is_dir():
        if not (p / "datapackage.json").is_file() and (p / DATA_DIR).is_dir():
            p = p / DATA_DIR  # a checkout without its root descriptor
        return read_release(spec, _dir_reader(p))
    if p.suffix == ".whl" and p.is_file():
        return read_release(spec, _wheel_reader(p))
    reader = _git_reader(spec, cwd)
    if reader is None:
        raise ValueError(f"{spec!r} is not a folder, a .whl file or a git revision of the checkout at {cwd} "
                         "(--repo PATH names another checkout)")
    return read_release(spec, reader)


