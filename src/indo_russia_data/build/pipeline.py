"""raw/*.csv → validated, resolved tables → Parquet, CSV, datapackage.json, README sections.

Nothing is written unless every raw file validates and every claim resolves;
files are written to a temporary folder first and then moved into place, so a
failed build leaves the previous build untouched. Output depends only on the
raw files, the code and the library versions: two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__
from ..paths import DATA_REL
from ..schema import TABLES
from ..schema.arrow_schema import arrow_schema
from ..schema.csv_cells import csv_cell, csv_line
from ..schema.datapackage import descriptor
from ..schema.derived import CLAIM_TARGETS
from ..schema.rules import PrecisionFits
from ..schema.table import Table
from ..validation.known_ids import Keys
from ..validation.validator import validate
from . import docs, resolve
from .raw_rows import (  # noqa: F401
    BuildError,
    _check_snapshots,
    checkout_keys,
    raw_tables,
    read_rows,
    read_valid,
    typed_rows,
    validate_raw,
    with_snapshots,
)
from .swap import PREFIX, recover, swap_folder

DATA_PREFIX = DATA_REL + "/"


@dataclass
class Built:
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the checkout → content
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- resolve


def _precision_column(spec: Table, column: str) -> str | None:
    for rule in spec.rules:
        if isinstance(rule, PrecisionFits) and rule.date == column:
            return rule.precision
    return None


def _cast(x: Any, integer: bool) -> Any:
    return int(round(x)) if integer and x is not None else x


def resolve_tables(rows: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Add the derived columns; return the published rows and any inconsistencies."""
    problems: list[str] = []
    sources = {s["source_id"]: s for s in rows["sources"]}
    claims = rows["claims"]
    preferred: set[str] = set()
    out = {name: [dict(r) for r in rs] for name, rs in rows.items()}
    for name, target in CLAIM_TARGETS.items():
        spec = TABLES[name]
        by_row = resolve.group(claims, target)
        fields_of: dict[str, list[tuple[str, list[Any]]]] = {}
        for (rid, fld), group in sorted(by_row.items()):
            fields_of.setdefault(rid, []).append((fld, group))
        for row in out[name]:
            key = row[spec.primary_key]
            disputed = _resolve_figures(row, spec, by_row, sources, preferred)
            disputed += _check_attributes(row, spec, fields_of.get(key, []), preferred, problems)
            row["disputed_fields"] = ",".join(sorted(set(disputed))) or None
    for c in out["claims"]:
        c["is_preferred"] = c["claim_id"] in preferred
    return out, problems


def _resolve_figures(row: dict[str, Any], spec: Table, by_row: Any, sources: dict[str, Any],
                     preferred: set[str]) -> list[str]:
    """Fill a row's figure columns from its preferred claims; return the figures that are disputed."""
    key = row[spec.primary_key]
    disputed = []
    for fig in spec.figures:
        res = resolve.choose(by_row.get((key, fig.name), []), sources)
        c = res.claim or {}
        row[fig.name] = _cast(resolve.point_value(c), fig.integer)
        row[f"{fig.name}_low"] = _cast(c.get("value_low"), fig.integer)
        row[f"{fig.name}_high"] = _cast(c.get("value_high"), fig.integer)
        row[f"{fig.name}_qualifier"] = c.get("qualifier")
        row[f"{fig.name}_unit"] = c.get("unit")
        row[f"{fig.name}_disputed"] = res.disputed
        row[f"{fig.name}_claim_id"] = c.get("claim_id")
        row[f"{fig.name}_basis"] = res.basis if res.claim else None
        if res.claim:
            preferred.add(c["claim_id"])
        if res.disputed:
            disputed.append(fig.name)
    return disputed


def _check_attributes(row: dict[str, Any], spec: Table, fields: list[tuple[str, list[dict[str, Any]]]],
                      preferred: set[str], problems: list[str]) -> list[str]:
    """Each attribute the raw row states must agree with a claim; return the attributes in dispute."""
    figures = {f.name for f in spec.figures}
    key, disputed = row[spec.primary_key], []
    for fld, group in fields:
        if fld in figures:
            continue
        prec_col = _precision_column(spec, fld)
        canon = row.get(fld)
        agreeing = [
            c for c in group
            if resolve.text_values_agree(canon, resolve.claim_value(c),
                                         row.get(prec_col) if prec_col else None, c.get("date_precision"))
        ]
        if not agreeing:
            stated = "; ".join(f"{c['claim_id']}: {resolve.claim_value(c)!r}" for c in group)
            problems.append(
                f"{spec.name} {key}: {fld} is {canon!r} in raw/{spec.name}.csv but no claim supports it ({stated})")
        preferred.update(c["claim_id"] for c in agreeing)
        if len(agreeing) < len(group):
            disputed.append(fld)
    return disputed


# ---------------------------------------------------------------- write


def to_csv(spec: Table, rows: list[dict[str, Any]]) -> bytes:
    names = [c.name for c in spec.columns]
    lines = [csv_line(names)] + [csv_line([csv_cell(row.get(n)) for n in names]) for row in rows]
    return "".join(lines).encode("utf-8")


def to_parquet(spec: Table, rows: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(spec, __version__)
    table = pa.Table.from_pylist([{c.name: r.get(c.name) for c in spec.columns} for r in rows], schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


def _file_info(content: bytes) -> dict[str, Any]:
    return {"bytes": len(content), "hash": "sha256:" + hashlib.sha256(content).hexdigest()}


def release_date(root: Path, version: str = __version__) -> str:
    """The date of this version's CHANGELOG entry, as the package's `created` datetime."""
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else ""
    m = re.search(rf"^## \[?{re.escape(version)}\]? [-–—] (\d{{4}}-\d{{2}}-\d{{2}})", text, re.M)
    if not m:
        raise BuildError(f"CHANGELOG.md has no entry '## {version} - YYYY-MM-DD' for the current version")
    return f"{m.group(1)}T00:00:00Z"  # Data Package wants an RFC 3339 datetime


def render(root: Path) -> Built:
    """Everything the build writes, in memory, keyed by path relative to ``root``."""
    raw = root / "raw"
    _check_snapshots(raw)  # before raw/, whose rows may point at what the snapshots add
    keys = checkout_keys(raw)
    cells: dict[str, list[dict[str, str]]] = {}
    reports = validate_raw(raw, keys=keys, cells=cells)
    if not all(r.valid for r in reports):
        raise BuildError("raw data is invalid", reports=[r for r in reports if not r.valid])
    rows = with_snapshots(raw, {name: typed_rows(cells[name], TABLES[name]) for name in raw_tables()})
    published, problems = resolve_tables(rows)
    if problems:
        raise BuildError("raw data is inconsistent", problems=problems)
    built = Built()
    files: dict[str, bytes] = {}
    for name, spec in TABLES.items():
        files[f"{name}.csv"] = to_csv(spec, published[name])
        files[f"{name}.parquet"] = to_parquet(spec, published[name])
        built.counts[name] = len(published[name])
    info = {k: _file_info(v) for k, v in files.items()}
    created = release_date(root)
    inner = descriptor(__version__, created, info)
    outer = descriptor(__version__, created, info, prefix=DATA_PREFIX)
    for k, v in files.items():
        built.files[DATA_PREFIX + k] = v
    built.files[DATA_PREFIX + "datapackage.json"] = _json(inner)
    built.files["datapackage.json"] = _json(outer)
    built.files.update(_figures(root, published))
    readme = root / "README.md"
    if readme.exists():
        from ..access import coverage

        text = readme.read_text(encoding="utf-8")
        text = docs.replace_section(text, "inventory", docs.inventory(built.counts, coverage.summary(published)))
        text = docs.replace_section(text, "data-dictionary", docs.data_dictionary())
        text = docs.replace_section(text, "error-codes", docs.error_codes())
        text = docs.replace_section(text, "coverage", coverage.markdown(published))
        text = docs.replace_section(text, "validate-example", _validate_example(root, _as_shipped(published)))
        with tempfile.TemporaryDirectory() as tmp:
            for k, v in files.items():
                if k.endswith(".parquet"):
                    (Path(tmp) / k).write_bytes(v)
            examples = docs.sql_examples(tmp)
        if examples is not None:  # without duckdb the committed examples are kept as they are
            text = docs.replace_section(text, "sql-examples", examples)
        built.files["README.md"] = text.encode("utf-8")
    return built


def _figures(root: Path, published: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """The README's charts: the committed ones when still current, else redrawn (needs matplotlib)."""
    from ..access.plot import CHARTS, readme_figures

    previous = {}
    for name in CHARTS:
        rel = f"docs/figures/{name}.png"
        if (root / rel).is_file():
            previous[rel] = (root / rel).read_bytes()
    return readme_figures(published, previous) or {}


EXAMPLE = "tests/fixtures/invalid_trade_figures.csv"


def _as_shipped(published: dict[str, list[dict[str, Any]]]) -> Keys:
    """The keys `validate` uses once these tables ship: every id known, and none free for reuse.

    The README's example must show what the command prints after the build, not what the
    build's own check of raw/ sees (where no id is 'taken'); that difference once let the
    example go stale unnoticed.
    """
    ids = {name: {r[TABLES[name].primary_key] for r in rows} for name, rows in published.items()}
    return Keys(known=ids, taken=ids)


def _validate_example(root: Path, keys: Keys) -> str:
    """The validator's real output on the test fixture, for the README."""
    report = validate(root / EXAMPLE, "trade_figures", keys=keys)
    report.path = EXAMPLE
    return (f"```text\n$ indo-russia-data validate {EXAMPLE} --table trade_figures\n"
            f"{report.to_text()}\n```")


def _json(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def stale(root: Path, built: Built) -> list[str]:
    """Files whose committed content differs from a fresh build."""
    out = []
    for rel, content in built.files.items():
        p = root / rel
        if not p.exists() or p.read_bytes() != content:
            out.append(rel)
    data_dir = root / DATA_PREFIX
    if data_dir.exists():
        expected = {Path(rel).name for rel in built.files if rel.startswith(DATA_PREFIX)}
        out += [DATA_PREFIX + p.name for p in sorted(data_dir.iterdir()) if p.is_file() and p.name not in expected]
    return out


def write(root: Path, built: Built) -> list[str]:
    """Put the build in place; return the files that changed.

    The data folder is swapped whole (see :mod:`.swap`), so its files always agree with its
    datapackage.json; the other files (README, root datapackage.json, figures) are each
    replaced atomically after it. Leftovers of an interrupted build are cleaned up first.
    """
    data = root / DATA_REL
    recover(root, data)
    changed = stale(root, built)
    if any(rel.startswith(DATA_PREFIX) for rel in changed):
        swap_folder(root, data, {rel[len(DATA_PREFIX):]: content for rel, content in built.files.items()
                                 if rel.startswith(DATA_PREFIX)})
    for rel in changed:
        if rel.startswith(DATA_PREFIX) or rel not in built.files:
            continue
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        staged = root / f"{PREFIX}{rel.replace('/', '__')}.{os.getpid()}"  # recover() removes it if left
        staged.write_bytes(built.files[rel])
        os.replace(staged, dest)
    for rel in changed:
        if rel not in built.files and not rel.startswith(DATA_PREFIX):
            (root / rel).unlink(missing_ok=True)
    return changed
