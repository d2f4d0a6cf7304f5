"""The `indo-russia-data sipri` report: text, JSON and CSV renderings of a reconciliation."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .sipri import RANK, RULES, YEAR_TOLERANCE, Match, Reconciliation, deal_quantity, reconcile
from .sipri_read import REGISTER, SipriDeal, SipriFile

CREDIT = "Information from the SIPRI Arms Transfers Database, sipri.org/databases/armstransfers"
TIV_NOTE = ("TIV is SIPRI's trend-indicator value: a volume index of military capability transferred, "
            "in millions, not money.")


def describe_file(sipri: SipriFile) -> str:
    dropped = ", ".join(f"{n} ({why})" for why, n in sipri.dropped.most_common()) or "none"
    return (f"{sipri.path}: SIPRI {sipri.layout}, header on line {sipri.header_line}; {sipri.rows_read} rows "
            f"read, {len(sipri.deals)} deals kept (Russia or Soviet Union to India); rows dropped: {dropped}")


def summary(r: Reconciliation) -> dict[str, Any]:
    share = r.tiv_matched / r.tiv_total if r.tiv_total else None
    return {"matched": len(r.matches), "sipri_only": len(r.sipri_only), "ours_only": len(r.ours_only),
            "sipri_only_on_gap_list": len(r.on_gap_list),
            "sipri_deals_matched": sum(len(m.deals) for m in r.matches),
            "contracts_matched": sum(len(m.contracts) for m in r.matches),
            "tiv_total": r.tiv_total, "tiv_matched": r.tiv_matched,
            "tiv_share_matched": round(share, 4) if share is not None else None,
            "tiv_by_supplier": by_supplier(r),
            "tiv_measure": r.sipri.tiv_measure}


def by_supplier(r: Reconciliation) -> dict[str, dict[str, float]]:
    """TIV in the file and matched, per SIPRI supplier: our contracts start in the Russian years."""
    matched = {id(d) for m in r.matches for d in m.deals}
    out: dict[str, dict[str, float]] = {}
    for d in r.sipri.deals:
        row = out.setdefault(d.supplier, {"tiv_total": 0.0, "tiv_matched": 0.0})
        row["tiv_total"] = round(row["tiv_total"] + (d.tiv or 0), 3)
        if id(d) in matched:
            row["tiv_matched"] = round(row["tiv_matched"] + (d.tiv or 0), 3)
    return out


def summary_line(r: Reconciliation) -> str:
    s = summary(r)
    share = f"{s['tiv_share_matched']:.1%}" if s["tiv_share_matched"] is not None else "n/a"
    return (f"{s['matched']} matched, {s['sipri_only']} SIPRI-only, {s['ours_only']} ours-only; matched contracts "
            f"cover {share} of SIPRI's TIV ({s['tiv_matched']:g} of {s['tiv_total']:g}, {s['tiv_measure']})")


def deal_dict(d: SipriDeal) -> dict[str, Any]:
    return {"ref": d.ref, "designation": d.designation, "description": d.description, "supplier": d.supplier,
            "order_year": d.order_year, "order_year_uncertain": d.order_year_uncertain, "ordered": d.ordered,
            "delivered": d.delivered, "delivery_years": list(d.delivery_years), "tiv": d.tiv}


def match_dict(m: Match) -> dict[str, Any]:
    ours_years = sorted({c.year for c in m.contracts if c.year})
    return {
        "sipri": [deal_dict(d) for d in m.deals],
        "contracts": [c.to_dict() for c in m.contracts],
        "rules": sorted({link.rule for link in m.links}, key=lambda rule: RANK[rule]),
        "why": [link.why() for link in m.links],
        "differences": {
            "quantity": {"sipri": [deal_quantity(d) for d in m.deals],
                         "ours": [c.quantity for c in m.contracts if c.quantity is not None]},
            "order_year": {"sipri": [d.order_year for d in m.deals], "ours": ours_years},
            "delivery_years": {"sipri": sorted({y for d in m.deals for y in d.delivery_years}),
                               "ours_first": min((c.delivery_start_year for c in m.contracts
                                                  if c.delivery_start_year), default=None)},
        },
    }


def to_json(r: Reconciliation) -> str:
    import json

    out = {
        "sipri_file": {"path": r.sipri.path, "layout": r.sipri.layout, "header_line": r.sipri.header_line,
                       "rows_read": r.sipri.rows_read, "deals_kept": len(r.sipri.deals),
                       "rows_dropped": dict(r.sipri.dropped)},
        "year_tolerance": YEAR_TOLERANCE,
        "rules": RULES,
        "matches": [match_dict(m) for m in r.matches],
        "sipri_only": [dict(deal_dict(d), gap_id=r.on_gap_list.get(d.ref)) for d in r.sipri_only],
        "ours_only": [dict(c.to_dict(), reason=why) for c, why in r.ours_only],
        "summary": summary(r),
        "credit": CREDIT,
        "tiv_note": TIV_NOTE,
    }
    return json.dumps(out, ensure_ascii=False, indent=2)


def _nums(values: Iterable[Any]) -> str:
    return " + ".join("?" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def to_text(r: Reconciliation) -> str:
    qty = "ordered" if r.sipri.layout == REGISTER else "delivered in file"
    lines = [describe_file(r.sipri),
             f"Matching: order year within ±{YEAR_TOLERANCE} of our contract year, and one of the rules:"]
    lines += [f"  {name}: {text}" for name, text in RULES.items()]
    lines += ["", f"Matched ({len(r.matches)}):"]
    for m in r.matches:
        d = match_dict(m)["differences"]
        lines.append(f"  {' + '.join(f'{x.designation} {x.order_year} [{x.ref}]' for x in m.deals)}"
                     f"  <->  {' + '.join(c.contract_id for c in m.contracts)}")
        lines += [f"      {link.why()}" for link in m.links]
        lines.append(f"      quantity: SIPRI {_nums(d['quantity']['sipri'])} {qty} | "
                     f"ours {_nums(d['quantity']['ours'])}"
                     f";  order year: SIPRI {_nums(d['order_year']['sipri'])} | ours {_nums(d['order_year']['ours'])}"
                     f";  deliveries: SIPRI {_years(d['delivery_years']['sipri'])} | ours from "
                     f"{d['delivery_years']['ours_first'] or '?'}")
    lines += ["", f"SIPRI-only ({len(r.sipri_only)}), largest TIV first:"]
    lines += [f"  {_nums([d.tiv]):>8}  {d.designation} ({d.description}), {d.supplier}, ordered {d.order_year}"
              f"{'?' if d.order_year_uncertain else ''}, {_nums([deal_quantity(d)])} {qty} [{d.ref}]"
              + (f" (on our gap list: {r.on_gap_list[d.ref]})" if d.ref in r.on_gap_list else "")
              for d in r.sipri_only]
    lines += ["", f"Ours-only ({len(r.ours_only)}):"]
    lines += [f"  {c.contract_id} ({c.year or 'no date'}): {c.system}: {why}" for c, why in r.ours_only]
    shares = [f"{name} {v['tiv_matched'] / v['tiv_total']:.1%} of {v['tiv_total']:g}"
              for name, v in by_supplier(r).items() if v["tiv_total"]]
    lines += ["", summary_line(r), f"TIV matched by SIPRI supplier: {'; '.join(shares)}", CREDIT + ".", TIV_NOTE]
    return "\n".join(lines)


def _years(years: list[int]) -> str:
    if not years:
        return "none"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]} ({len(years)} years)"


CSV_COLUMNS = ("kind", "sipri_ref", "designation", "order_year", "sipri_quantity", "delivery_years", "tiv",
               "contract_ids", "our_system", "our_year", "our_quantity", "rule", "explanation")


def to_csv(r: Reconciliation) -> str:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for m in r.matches:
        for d in m.deals:
            w.writerow(["match", d.ref, d.designation, d.order_year, deal_quantity(d),
                        "; ".join(map(str, d.delivery_years)), d.tiv, "; ".join(c.contract_id for c in m.contracts),
                        "; ".join(c.system for c in m.contracts), "; ".join(str(c.year or "") for c in m.contracts),
                        "; ".join(str(c.quantity or "") for c in m.contracts),
                        "; ".join(sorted({x.rule for x in m.links})), " | ".join(x.why() for x in m.links)])
    for d in r.sipri_only:
        w.writerow(["sipri_only", d.ref, d.designation, d.order_year, deal_quantity(d),
                    "; ".join(map(str, d.delivery_years)), d.tiv, "", "", "", "", "",
                    f"on our gap list: {r.on_gap_list[d.ref]}" if d.ref in r.on_gap_list else ""])
    for c, why in r.ours_only:
        w.writerow(["ours_only", "", "", "", "", "", "", c.contract_id, c.system, c.year or "", c.quantity or "",
                    "", why])
    return buf.getvalue()


def run(path: str | Path, format: str = "text") -> str:
    """Read a SIPRI export, reconcile it with the shipped contracts and render the report."""
    from .sipri_read import read

    result = reconcile(read(path))
    return {"text": to_text, "json": to_json, "csv": to_csv}[format](result)
