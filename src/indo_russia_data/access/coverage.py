"""What the tables cover, and where the gaps are (``indo-russia-data coverage``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

FIRST_FY, LAST_FY = 1996, 2025  # fiscal years 1996-97 to 2025-26
FLOWS = ("total", "india_exports", "india_imports")


def _fy(y: int) -> str:
    return f"FY{y}-{(y + 1) % 100:02d}"


def _sources_per_row(tables: Mapping[str, list[dict[str, Any]]], column: str) -> dict[str, int]:
    seen: dict[str, set[str]] = {}
    for c in tables["claims"]:
        if c.get(column):
            seen.setdefault(c[column], set()).add(c["source_id"])
    return {k: len(v) for k, v in seen.items()}


def official_claims(tables: Mapping[str, list[dict[str, Any]]]) -> set[str]:
    """Ids of the claims made by official sources (government releases and pages)."""
    kind = {s["source_id"]: s["kind"] for s in tables.get("sources", [])}
    return {c["claim_id"] for c in tables.get("claims", []) if kind.get(c["source_id"]) == "official"}


def trade_matrix(tables: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One entry per fiscal year: the India-reported values present, their source counts, and
    (``<flow>_official``) whether the value shown comes from an official source."""
    nsrc = _sources_per_row(tables, "figure_id")
    official = official_claims(tables)
    out = []
    for y in range(FIRST_FY, LAST_FY + 1):
        label = _fy(y)
        entry: dict[str, Any] = {"period": label}
        for flow in FLOWS:
            rows = [r for r in tables["trade_figures"] if r["period_label"] == label and r["flow"] == flow
                    and r["reporter"] == "india" and r["measure"] == "value"]
            entry[flow] = max((nsrc.get(r["figure_id"], 0) for r in rows), default=0)
            entry[f"{flow}_official"] = any(r.get("value_claim_id") in official for r in rows)
        out.append(entry)
    return out


def _trade_cell(m: Mapping[str, Any], flow: str) -> str:
    if not m[flow]:
        return "-"
    return f"{m[flow]} (official)" if m[f"{flow}_official"] else f"{m[flow]} (press only)"


def summit_list(tables: Mapping[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[int]]:
    """Annual summits by date, and the years from 2000 to the latest with no summit row at all."""
    nsrc = _sources_per_row(tables, "event_id")
    summits = sorted((e for e in tables["events"] if e["event_type"] == "annual_summit"),
                     key=lambda e: (str(e["start_date"]), e["event_id"]))
    years = {e["start_date"].year for e in summits if e["start_date"]}
    gaps = [y for y in range(2000, max(years, default=1999) + 1) if y not in years]
    listed = Counter(a["event_id"] for a in tables["agreements"]
                     if a.get("event_id") and a["status"] in DONE)
    rows = [{"ordinal": e["ordinal"], "date": e["start_date"], "precision": e["date_precision"], "city": e["city"],
             "status": e["status"], "sources": nsrc.get(e["event_id"], 0), "disputed": e.get("disputed_fields"),
             "event_id": e["event_id"], "listed": listed.get(e["event_id"], 0), "stated": _stated(e)}
            for e in summits]
    return rows, gaps


DONE = ("signed", "adopted")  # agreement statuses that count as a document signed at the event


def _stated(event: Mapping[str, Any]) -> str:
    """How many documents the sources say were signed: '28', 'over 24', '' when none says."""
    n, low = event.get("documents_signed"), event.get("documents_signed_low")
    q = event.get("documents_signed_qualifier")
    if q == "lower_bound":
        return f"over {low if low is not None else n}"
    if q == "range":
        return f"{event.get('documents_signed_low')}-{event.get('documents_signed_high')}"
    return "" if n is None else f"{'about ' if q == 'approximate' else ''}{n}"


def documents_listed(tables: Mapping[str, list[dict[str, Any]]]) -> tuple[int, int]:
    """(documents listed individually, documents the sources state) over summits that state a count."""
    summits, _ = summit_list(tables)
    counted = [s for s in summits if s["stated"]]
    stated = sum(int(s["stated"].split()[-1].split("-")[0]) for s in counted)
    return sum(min(s["listed"], int(s["stated"].split()[-1].split("-")[0])) for s in counted), stated


def _date_label(date: Any, precision: str | None) -> str:
    if date is None:
        return "?"
    return {"year": f"{date.year}", "month": f"{date.year}-{date.month:02d}"}.get(precision or "day", str(date))


def summary(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    matrix = trade_matrix(tables)
    fy_total = sum(1 for m in matrix if m["total"])
    fy_official = sum(1 for m in matrix if m["total_official"])
    summits, gaps = summit_list(tables)
    unnumbered = sum(1 for s in summits if s["status"] == "held" and not s["ordinal"])
    from ..schema.derived import CLAIM_TARGETS

    disputed = sum(1 for name in CLAIM_TARGETS for r in tables[name] if r.get("disputed_fields"))
    listed, stated = documents_listed(tables)
    return {
        f"Indian fiscal years {_fy(FIRST_FY)[2:]} to {_fy(LAST_FY)[2:]} with India's total trade with Russia":
            f"{fy_total} of {len(matrix)} ({fy_official} from an official release, the rest from press figures only)",
        "annual summits recorded": f"{sum(1 for s in summits if s['status'] == 'held')} held, "
        f"{sum(1 for s in summits if s['status'] != 'held')} not held"
        + (f"; years with no summit row: {', '.join(map(str, gaps))}" if gaps else "")
        + (f"; {unnumbered} held summits have no ordinal in any source" if unnumbered else ""),
        "documents signed at annual summits, listed individually": f"{listed} of the {stated} the sources state"
        " (a summit's excess rows not counted)",
        "rows with a disputed figure or field (events, agreements, contracts, trade)": disputed,
        "known gaps listed in the gaps table": len(tables.get("gaps", [])),
        "sources": len(tables["sources"]),
    }


def markdown(tables: Mapping[str, list[dict[str, Any]]]) -> str:
    out = ["#### Trade: India-reported values by fiscal year (number of sources; `-` is a gap)", "",
           "`official`: the value shown comes from a government release or page (the Department of Commerce's "
           "TRADESTAT figures from FY2010-11); `press only`: no official source yet, only figures quoted in the press.",
           "", "| fiscal year | total | India's exports | India's imports |", "|---|---|---|---|"]
    for m in trade_matrix(tables):
        cells = [_trade_cell(m, f) for f in FLOWS]
        out.append(f"| {m['period']} | " + " | ".join(cells) + " |")
    russia = sorted({r["period_label"] for r in tables["trade_figures"] if r["reporter"] == "russia"})
    partial = sorted({r["period_label"] for r in tables["trade_figures"] if r["period_type"] == "partial"})
    targets = sorted({f"{r['period_label']} ({r['figure_id']})" for r in tables["trade_figures"]
                      if r["measure"] == "target"})
    out += ["", f"Russia-reported periods: {', '.join(russia) or 'none'}.",
            f"Partial-year periods: {', '.join(partial) or 'none'}.",
            f"Targets: {', '.join(targets) or 'none'}.", ""]
    summits, gaps = summit_list(tables)
    out += ["#### Annual summits", "",
            "| date | ordinal | city | status | documents stated | documents listed | sources | disputed |",
            "|---|---|---|---|---|---|---|---|"]
    for s in summits:
        date = _date_label(s["date"], s["precision"])
        out.append(f"| {date} | {s['ordinal'] or ''} | {s['city'] or ''} | {s['status']} | {s['stated']} | "
                   f"{s['listed'] or ''} | {s['sources']} | {s['disputed'] or ''} |")
    listed, stated = documents_listed(tables)
    out += ["", f"Documents listed individually in `agreements` (signed or adopted at the summit) against "
            f"the number the sources state: {listed} of {stated}. The documents still missing are in the "
            "`gaps` table."]
    out += ["", f"Years with no summit row: {', '.join(map(str, gaps)) or 'none'}. An empty ordinal means no "
            "source states it.", ""]
    other = Counter(e["event_type"] for e in tables["events"] if e["event_type"] != "annual_summit")
    out += ["Other events: " + (", ".join(f"{k} {v}" for k, v in sorted(other.items())) or "none") + ".", ""]
    nsrc = _sources_per_row(tables, "contract_id")
    out += ["#### Defence contracts", "", "| contract | year | quantity | value | sources | disputed |",
            "|---|---|---|---|---|---|"]
    for r in sorted(tables["defence_contracts"], key=lambda r: (str(r["contract_date"] or ""), r["contract_id"])):
        value = "" if r.get("value") is None and r.get("value_low") is None else \
            f"{r.get('value') or r.get('value_low')} {r.get('value_unit') or ''}".strip()
        qty = r.get("quantity") if r.get("quantity") is not None else (r.get("quantity_low") or "")
        out.append(f"| {r['system']} | {r['contract_date'].year if r['contract_date'] else '?'} | {qty} | {value} | "
                   f"{nsrc.get(r['contract_id'], 0)} | {r.get('disputed_fields') or ''} |")
    by_event = Counter(a["event_id"] for a in tables["agreements"] if a.get("event_id"))
    out += ["", "#### Agreements", "",
            f"{len(tables['agreements'])} agreements; by event: "
            + (", ".join(f"{k} {v}" for k, v in sorted(by_event.items())) or "none") + "."]
    return "\n".join(out)


def gaps(tables: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    matrix = trade_matrix(tables)
    out = [f"trade {m['period']}: no India-reported {f}" for m in matrix for f in FLOWS if not m[f]]
    out += [f"trade {m['period']}: India-reported {f} rests on press figures only" for m in matrix for f in FLOWS
            if m[f] and not m[f"{f}_official"]]
    summits, missing = summit_list(tables)
    out += [f"annual summit: no row for {y}" for y in missing]
    out += [f"annual summit {_date_label(s['date'], s['precision'])}: no source states its ordinal"
            for s in summits if s["status"] == "held" and not s["ordinal"]]
    out += [f"annual summit {_date_label(s['date'], s['precision'])}: no city in any claim"
            for s in summits if s["status"] == "held" and not s["city"]]
    out += [f"annual summit {_date_label(s['date'], s['precision'])}: {s['listed']} of {s['stated']} documents "
            "listed" for s in summits if s["stated"] and s["listed"] < int(s["stated"].split()[-1].split("-")[0])]
    out += [f"{g['kind']} {g['year'] or ''}: {g['subject']} ({g['gap_id']}; {g['reason']})".replace(" :", ":")
            for g in tables.get("gaps", [])]
    return out
