"""Committed snapshots of official releases → rows, offline and deterministically.

Each folder under ``raw/snapshots/`` holds one snapshot: the data file and a
``metadata.json`` that says who published it, how the copy was obtained, its
sha256, its terms, and which converter reads it (``format``). Converters are
pure functions of the committed bytes and the hand-written rows; nothing here
touches the network (``scripts/refresh_snapshots.py`` does, on request).

What a snapshot adds to the build:

- one ``sources`` row for the release (kind ``official``);
- ``trade_figures`` rows for India-reported fiscal years that raw/ lacks;
- one ``claims`` row per official number, so the resolution rule prefers it and
  press figures that disagree mark the figure disputed;
- ``commodity_trade`` rows (the product table).

Rows come out as CSV-cell strings, like rows read from raw/, and go through the
same models and key checks (:func:`merge`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

SNAPSHOTS = "snapshots"  # folder inside raw/
METADATA = "metadata.json"
FLOWS = {"exp": "india_exports", "imp": "india_imports"}
FLOW_WORD = {"india_exports": "exports", "india_imports": "imports", "total": "total"}

Rows = dict[str, list[dict[str, str]]]


class SnapshotError(Exception):
    """A snapshot is unreadable or does not match its metadata."""


# ---------------------------------------------------------------- reading


def folders(raw: Path) -> list[Path]:
    base = raw / SNAPSHOTS
    return sorted(p for p in base.iterdir() if (p / METADATA).is_file()) if base.is_dir() else []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(folder: Path) -> tuple[dict[str, Any], Any]:
    """The metadata and the parsed data file, after checking the file's sha256."""
    try:
        meta = json.loads((folder / METADATA).read_text(encoding="utf-8"))
        data_path = folder / meta["file"]
        digest = sha256(data_path)
        if digest != meta["sha256"]:
            raise SnapshotError(f"{data_path}: sha256 is {digest}, but {METADATA} records {meta['sha256']}; "
                                "a snapshot is never edited by hand (see scripts/refresh_snapshots.py)")
        return meta, json.loads(data_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise SnapshotError(f"{folder}: cannot read the snapshot ({exc})") from None


# ---------------------------------------------------------------- small helpers


def fiscal_year(first: int) -> tuple[str, str, str]:
    """(label, start, end) of the Indian fiscal year starting in April of ``first``."""
    return f"FY{first}-{(first + 1) % 100:02d}", f"{first}-04-01", f"{first + 1}-03-31"


def _fy_first(label: str) -> int:
    """'2024-2025' or 'fy2024_25' → 2024."""
    return int(label.lower().removeprefix("fy")[:4])


def _millions(x: Any) -> Decimal:
    return Decimal(str(x))


def _usd(millions: Decimal) -> str:
    return str(int((millions * 1_000_000).to_integral_value()))


def _figure_key(row: Mapping[str, Any]) -> tuple:
    return (row["reporter"], row["flow"], row["measure"], row["period_type"], row["period_label"])


def source_row(meta: Mapping[str, Any]) -> dict[str, str]:
    s = meta["source"]
    cols = ("source_id", "publisher", "title", "author", "published_date", "published_precision", "date_basis",
            "url", "kind", "language", "note")
    return {c: s.get(c) or "" for c in cols}


# ---------------------------------------------------------------- converters


def country_fiscal_years(meta: Mapping[str, Any], data: Any, raw_rows: Mapping[str, list[dict[str, Any]]]) -> Rows:
    """TRADESTAT country-wise totals (US$ million by fiscal year) → figures and official claims."""
    src = meta["source"]["source_id"]
    country = next(c for c in data["countries"] if c["name"] == meta["country"])
    provisional = set(meta.get("provisional_years", ()))
    existing: dict[Any, str] = {}
    for r in raw_rows.get("trade_figures", []):
        existing.setdefault(_figure_key(r), r["figure_id"])
    figures: list[dict[str, str]] = []
    claims: list[dict[str, str]] = []
    for i, year in enumerate(data["years"]):
        label, start, end = fiscal_year(_fy_first(year))
        amounts = {FLOWS[k]: _millions(country[k][i]) for k in ("exp", "imp")}
        stated = {flow: f"{v:.2f}" for flow, v in amounts.items()}
        total = amounts["india_exports"] + amounts["india_imports"]
        values = {
            "india_exports": (amounts["india_exports"], f"US$ {stated['india_exports']} million"),
            "india_imports": (amounts["india_imports"], f"US$ {stated['india_imports']} million"),
            "total": (total, f"US$ {stated['india_exports']} million + US$ {stated['india_imports']} million "
                             f"= US$ {total:.2f} million"),
        }
        status = "provisional" if year in provisional else "final"
        for flow in ("total", "india_exports", "india_imports"):
            key = ("india", flow, "value", "fiscal_year", label)
            fid = existing.get(key) or f"tf-in-{FLOW_WORD[flow]}-{label.lower()}"
            if key not in existing:
                figures.append({
                    "figure_id": fid, "reporter": "india", "flow": flow, "measure": "value",
                    "period_type": "fiscal_year", "period_label": label, "period_start": start, "period_end": end,
                    "event_id": "", "source_id": src,
                    "note": f"Row added by the build from the official snapshot {meta['snapshot_id']}.",
                })
            amount, as_stated = values[flow]
            note = f"{status.capitalize()} figure of the release (snapshot {meta['snapshot_id']})."
            if flow == "total":
                note += " The total is the release's exports plus its imports."
            claims.append({
                "claim_id": f"clm-{fid.removeprefix('tf-')}-{meta['claim_suffix']}", "source_id": src,
                "contract_id": "", "figure_id": fid, "event_id": "", "agreement_id": "", "field": "value",
                "value_as_stated": as_stated, "value": _usd(amount), "value_low": "", "value_high": "",
                "qualifier": "exact", "unit": "USD", "value_text": "", "value_date": "", "date_precision": "",
                "attributed_to": meta["attributed_to"], "note": note,
            })
    return {"sources": [source_row(meta)], "trade_figures": figures, "claims": claims}


def commodity_chapters(meta: Mapping[str, Any], data: Any, raw_rows: Mapping[str, list[dict[str, Any]]]) -> Rows:
    """TRADESTAT country x HS chapter (US$ million, two fiscal years) → commodity_trade rows."""
    src = meta["source"]["source_id"]
    country = data["country_commodity_data"][meta["country"]]
    provisional = set(meta.get("provisional_years", ()))
    out = []
    for key, flow in (("export", "india_exports"), ("import", "india_imports")):
        chapters = country[key]["chapters"]
        years = sorted({k for c in chapters for k in c if k.startswith("fy")})
        for year in years:
            label, start, end = fiscal_year(_fy_first(year))
            for c in sorted(chapters, key=lambda c: c["hs"]):
                out.append({
                    "row_id": f"ct-in-{FLOW_WORD[flow]}-{label.lower()}-hs{c['hs']}", "reporter": "india",
                    "flow": flow, "period_type": "fiscal_year", "period_label": label, "period_start": start,
                    "period_end": end, "classification": "HS", "product_level": str(len(c["hs"])),
                    "product_code": c["hs"], "product_name": c["name"], "value": f"{_millions(c[year]):.2f}",
                    "unit": "USD million", "status": "provisional" if year in provisional else "final",
                    "source_id": src, "note": "",
                })
    return {"sources": [source_row(meta)], "commodity_trade": out}


# ---------------------------------------------------------------- extracts (used by scripts/refresh_snapshots.py)


def extract_country(upstream: Mapping[str, Any], meta: Mapping[str, Any]) -> bytes:
    """The committed extract of a country-wise file: its header fields and one country's record."""
    doc = {k: upstream[k] for k in ("source_update_note", "source_url", "years")}
    doc["countries"] = [c for c in upstream["countries"] if c["name"] == meta["country"]]
    if len(doc["countries"]) != 1:
        raise SnapshotError(f"the upstream file has {len(doc['countries'])} records named {meta['country']!r}")
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def extract_commodity(upstream: Mapping[str, Any], meta: Mapping[str, Any]) -> bytes:
    """The committed extract of a country x chapter file: its header fields and one country's entries."""
    country = meta["country"]
    doc = {k: upstream[k] for k in ("purpose", "source", "retrieved")}
    doc["cross_validation_against_tia_portal"] = {
        country.lower(): upstream["cross_validation_against_tia_portal"][country.lower()]}
    doc["country_commodity_data"] = {country: upstream["country_commodity_data"][country]}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


EXTRACTS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], bytes]] = {
    "tradestat-country-fy-json": extract_country,
    "tradestat-country-hs2-fy-json": extract_commodity,
}


CONVERTERS: dict[str, Callable[[Mapping[str, Any], Any, Mapping[str, list[dict[str, Any]]]], Rows]] = {
    "tradestat-country-fy-json": country_fiscal_years,
    "tradestat-country-hs2-fy-json": commodity_chapters,
}


def generate(raw: Path, raw_rows: Mapping[str, list[dict[str, Any]]] | None = None) -> Rows:
    """Every row the committed snapshots add, in a stable order (folder, then converter order)."""
    out: Rows = {}
    for folder in folders(raw):
        meta, data = read(folder)
        convert = CONVERTERS.get(meta.get("format", ""))
        if convert is None:
            raise SnapshotError(f"{folder / METADATA}: unknown format {meta.get('format')!r}; "
                                f"known: {', '.join(CONVERTERS)}")
        try:
            rows = convert(meta, data, raw_rows or {})
        except (KeyError, IndexError, TypeError, ValueError, StopIteration) as exc:
            raise SnapshotError(f"{folder}: the data does not have the shape {meta['format']} expects "
                                f"({type(exc).__name__}: {exc})") from None
        for name, rs in rows.items():
            out.setdefault(name, []).extend(rs)
    return out


def ids(raw: Path) -> dict[str, set[str]]:
    """Primary keys the snapshots may add, for checking raw rows that point at them.

    Computed without the raw rows, so a figure that raw/ already has under another
    id is listed under the conventional id too; the build's key check decides.
    """
    from ..schema import TABLES

    try:
        rows = generate(raw)
    except SnapshotError:
        return {}  # the build reports it; validating a single file should not fail on it
    return {name: {r[TABLES[name].primary_key] for r in rs} for name, rs in rows.items()}


# ---------------------------------------------------------------- merging


def merge(rows: dict[str, list[dict[str, Any]]], generated: Rows) -> list[str]:
    """Validate the generated rows with the table models and append them to ``rows``.

    Returns the problems: a row its model rejects, an id used twice, a key that
    points nowhere. A source row may come from several snapshots of one release;
    identical copies count once.
    """
    from pydantic import ValidationError

    from ..schema import TABLES

    problems: list[str] = []
    added: dict[str, list[dict[str, Any]]] = {}
    for name, spec in TABLES.items():
        seen = {r[spec.primary_key] for r in rows.get(name, [])}
        fresh: list[dict[str, Any]] = []
        for raw_row in generated.get(name, []):
            key = raw_row[spec.primary_key]
            try:
                row = dict(spec.model.model_validate(raw_row).__dict__)
            except ValidationError as exc:
                first = exc.errors()[0]
                problems.append(f"snapshot row {name} {key}: {'.'.join(map(str, first['loc']))} {first['msg']}")
                continue
            if key in seen:
                if name == "sources" and row in rows[name] + fresh:
                    continue
                problems.append(f"snapshot row {name} {key}: the id is already used")
                continue
            seen.add(key)
            fresh.append(row)
        added[name] = fresh
        rows[name] = rows.get(name, []) + fresh
    known = {name: {r[spec.primary_key] for r in rows[name]} for name, spec in TABLES.items()}
    for name, spec in TABLES.items():
        for row in added[name]:
            for fk in spec.foreign_keys:
                value = row.get(fk.column)
                if value is not None and value not in known[fk.table]:
                    problems.append(f"snapshot row {name} {row[spec.primary_key]}: {fk.column} {value!r} "
                                    f"is not in {fk.table}")
    return problems


def describe(raw: Path) -> Iterable[str]:
    """One line per snapshot, for the refresh script and error messages."""
    for folder in folders(raw):
        meta = json.loads((folder / METADATA).read_text(encoding="utf-8"))
        yield f"{folder.name}: {meta['file']} ({meta['format']}), retrieved {meta['retrieved']}"


__all__ = ["SnapshotError", "generate", "ids", "merge", "read", "folders", "fiscal_year"]
