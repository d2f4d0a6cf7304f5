"""Provenance one call away: the claims and sources behind any row or frame."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..schema import TABLES
from ..schema.derived import CLAIM_TARGETS

_EVIDENCE = ("source_id", "field", "value_as_stated", "qualifier", "unit", "is_preferred", "note")


def table_of_id(row_id: str) -> str:
    """The table whose id pattern ``row_id`` follows ('dc-s400-2018' -> 'defence_contracts')."""
    for name, spec in TABLES.items():
        pk = next(c for c in spec.raw_columns if c.name == spec.primary_key)
        if pk.pattern and re.fullmatch(pk.pattern, row_id):
            return name
    prefixes = ", ".join(sorted({_prefix(spec) for spec in TABLES.values()}))
    raise ValueError(f"{row_id!r} is not an id of any table; ids start with {prefixes}")


def _prefix(spec: Any) -> str:
    pk = next(c for c in spec.raw_columns if c.name == spec.primary_key)
    return (pk.pattern or "").lstrip("^").split("-")[0] + "-"


def claims_for(frame: Any) -> Any:
    """The claims behind the rows of a loaded frame, with one ``row_id`` column.

    Works for any table a claim can point at, and for ``sources`` (the claims each
    source makes). The result is the ``claims`` table plus ``row_table`` and ``row_id``.
    """
    import pandas as pd

    from .loader import load

    claims = load("claims")
    for name, target in CLAIM_TARGETS.items():
        key = TABLES[name].primary_key
        if key in frame.columns:
            hit = claims[claims[target].isin(frame[key].dropna())].copy()
            hit.insert(0, "row_id", hit[target])
            hit.insert(0, "row_table", name)
            return hit.reset_index(drop=True)
    if "claim_id" in frame.columns:
        hit = claims[claims["claim_id"].isin(frame["claim_id"].dropna())].copy()
        hit.insert(0, "row_id", hit["claim_id"])
    elif "source_id" in frame.columns:
        hit = claims[claims["source_id"].isin(frame["source_id"].dropna())].copy()
        hit.insert(0, "row_id", hit["source_id"])
    else:
        keys = ", ".join(TABLES[n].primary_key for n in CLAIM_TARGETS)
        raise ValueError(f"the frame has no id column that claims point at ({keys}, source_id or claim_id)")
    hit.insert(0, "row_table", "claims" if "claim_id" in frame.columns else "sources")
    return pd.DataFrame(hit).reset_index(drop=True)


@dataclass
class Why:
    """One row, its fields, and the evidence behind each: ``str()`` reads well in a terminal."""

    table: str
    row: dict[str, Any]
    claims: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython shows the text, not the dataclass
        p.text(render(self))


def why(row_id: str) -> Why:
    """Every field of one row, the claims behind it, their sources and the rule that chose."""
    from .loader import load

    row_id = row_id.strip()
    table = table_of_id(row_id)
    spec = TABLES[table]
    rows = load(table, "pyarrow").to_pylist()
    found = [r for r in rows if r[spec.primary_key] == row_id]
    if not found:
        from .suggest import did_you_mean

        ids = [r[spec.primary_key] for r in rows]
        raise ValueError(f"no row {row_id!r} in {table}{did_you_mean(row_id, ids)}")
    claims = load("claims", "pyarrow").to_pylist()
    target = CLAIM_TARGETS.get(table)
    if table == "claims":
        mine = [c for c in claims if c["claim_id"] == row_id]
    elif table == "sources":
        mine = [c for c in claims if c["source_id"] == row_id]
    elif target:
        mine = [c for c in claims if c[target] == row_id]
    else:
        mine = []
    wanted = {c["source_id"] for c in mine} | {found[0].get("source_id")} - {None}
    sources = {s["source_id"]: s for s in load("sources", "pyarrow").to_pylist() if s["source_id"] in wanted}
    return Why(table, found[0], mine, sources)


def _cite(source: dict[str, Any] | None) -> str:
    if not source:
        return "(source not found)"
    date = source.get("published_date")
    width = {"year": 4, "month": 7}.get(source.get("published_precision") or "day", 10)
    when = "undated" if date is None else str(date)[:width]
    title = f" \"{source['title']}\"" if source.get("title") else ""
    url = f" {source['url']}" if source.get("url") else ""
    return f"{source['publisher']} ({when}, {source['kind']}){title}{url}"


def _short(value: Any, width: int = 100) -> str:
    text = "" if value is None else str(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()[:10]
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(w: Why) -> str:
    spec = TABLES[w.table]
    key = w.row[spec.primary_key]
    lines = [f"{w.table} {key}"]
    by_field: dict[str, list[dict[str, Any]]] = {}
    for c in w.claims:
        by_field.setdefault(c["field"], []).append(c)
    figures = {f.name for f in spec.figures}
    skip = {f"{f}_{s}" for f in figures for s in ("low", "high", "qualifier", "unit", "disputed", "claim_id", "basis")}
    disputed = set((w.row.get("disputed_fields") or "").split(",")) - {""}
    for col in spec.columns:
        if col.name in skip or col.name == "disputed_fields":
            continue
        value = w.row.get(col.name)
        if col.name in figures:
            shown = _figure(w.row, col.name)
        else:
            shown = "—" if value is None or value == "" else _short(value)
        flag = "  [disputed]" if col.name in disputed and col.name not in figures else ""
        lines.append(f"  {col.name}: {shown}{flag}")
        if col.name in figures and w.row.get(f"{col.name}_basis"):
            lines.append(f"      rule: {w.row[f'{col.name}_basis']}")
        for c in sorted(by_field.pop(col.name, []), key=lambda c: (not c.get("is_preferred"), c["claim_id"])):
            lines.append(_claim_line(c, w.sources.get(c["source_id"])))
    if w.table in ("claims", "sources"):
        for c in w.claims:
            lines.append(_claim_line(c, w.sources.get(c["source_id"]), with_target=True))
    for fld, cs in sorted(by_field.items()):
        lines.append(f"  {fld} (claims only):")
        for c in cs:
            lines.append(_claim_line(c, w.sources.get(c["source_id"])))
    if w.row.get("source_id"):
        lines.append(f"  main source: {_cite(w.sources.get(w.row['source_id']))}")
    return "\n".join(lines)


def _figure(row: dict[str, Any], name: str) -> str:
    v, lo, hi = row.get(name), row.get(f"{name}_low"), row.get(f"{name}_high")
    q, unit = row.get(f"{name}_qualifier"), row.get(f"{name}_unit") or ""
    if v is None and lo is None and hi is None:
        return "(no claim)"
    if q == "range":
        text = f"{_num(lo)} to {_num(hi)} {unit}"
    else:
        text = f"{_num(v)} {unit}"
    text += f" ({q})" if q and q != "exact" else ""
    return text + ("  [disputed]" if row.get(f"{name}_disputed") else "")


def _num(x: Any) -> str:
    return f"{x:,.0f}" if x is not None and float(x).is_integer() else f"{x:,}"


def _claim_line(c: dict[str, Any], source: dict[str, Any] | None, with_target: bool = False) -> str:
    mark = "*" if c.get("is_preferred") else "-"
    target = ""
    if with_target:
        target = next((f"{c[t]} " for t in CLAIM_TARGETS.values() if c.get(t)), "") + f"{c['field']}: "
    said = c.get("value_as_stated") or _short(c.get("value_text") or c.get("value_date") or c.get("value"))
    who = f" (attributed to {c['attributed_to']})" if c.get("attributed_to") else ""
    return f"      {mark} {target}{_short(said, 60)!s} [{c['claim_id']}]{who}\n          from {_cite(source)}"
