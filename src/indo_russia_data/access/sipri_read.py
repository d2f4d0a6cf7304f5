"""Reading a SIPRI Arms Transfers Database export that a user downloaded (standard library only).

Two layouts are read: the classic trade register (one row per deal) and the newer deliveries layout
(one row per deal per delivery year, with SIPRI deal ids). Nothing read here is ever stored in the package.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SUPPLIERS = ("russia", "soviet union", "ussr")
RECIPIENT = "india"
REGISTER, DELIVERIES = "trade register", "deliveries by year"
HEADER_SEARCH_LINES = 60  # SIPRI's preamble is about ten lines

# Column spellings seen in SIPRI exports (spring 2024 and 2025 releases), after _key() folding.
ALIASES = {
    "deal_id": ("sipri at database id", "sipri deal id", "deal id", "at database id"),
    "recipient": ("recipient", "recipient country"),
    "supplier": ("supplier", "supplier country"),
    "order_year": ("year of order", "order year", "order date", "year of order date"),
    "order_estimate": ("order date is estimate", "order year is estimate"),
    "ordered": ("number ordered", "numbers ordered", "no ordered"),
    "designation": ("weapon designation", "designation"),
    "description": ("weapon description", "description"),
    "delivered": ("number delivered", "numbers delivered", "no delivered"),
    "delivery_years": ("year s of delivery", "years of delivery", "delivery year", "delivery years"),
    "status": ("status",),
    "comments": ("comments", "comment", "remarks"),
    "tiv_total": ("sipri tiv for total order", "tiv for total order"),
    "tiv_delivered": ("sipri tiv of delivered weapons", "tiv of delivered weapons", "tiv delivery values",
                      "tiv delivery value", "sipri tiv delivery values"),
    "local_production": ("local production",),
}
REQUIRED = {
    REGISTER: ("recipient", "supplier", "order_year", "designation", "tiv_total"),
    DELIVERIES: ("deal_id", "recipient", "supplier", "order_year", "designation", "delivered", "delivery_years",
                 "tiv_delivered"),
}
EXPECTED = {  # the required columns as each layout names them, for messages
    REGISTER: "Recipient, Supplier, Year of order, Weapon designation, SIPRI TIV for total order",
    DELIVERIES: "SIPRI AT Database ID, Supplier, Recipient, Designation, Order date, Numbers delivered, "
                "Delivery year, TIV delivery values",
}


class SipriFileError(ValueError):
    """The file is not a SIPRI trade register or deliveries export we can read."""


@dataclass
class SipriDeal:
    """One SIPRI deal as read from the user's file (deliveries rows of one deal are summed)."""

    ref: str  # "deal 63032" (deliveries layout) or "line 14" (trade register)
    line: int
    supplier: str
    designation: str
    description: str
    order_year: int | None
    order_year_uncertain: bool
    ordered: int | None
    delivered: int | None
    delivery_years: tuple[int, ...]
    tiv: float | None
    comments: str = ""
    local_production: bool | None = None


@dataclass
class SipriFile:
    path: str
    layout: str
    header_line: int
    rows_read: int
    deals: list[SipriDeal]
    dropped: Counter = field(default_factory=Counter)  # reason -> rows

    @property
    def tiv_measure(self) -> str:
        return ("SIPRI TIV for total order" if self.layout == REGISTER
                else "TIV of the deliveries in the file")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def _decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:4096]:
        raise SipriFileError(f"{path} is not a text CSV file (it holds binary data); "
                             "save the SIPRI export as CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older SIPRI exports are Windows-1252


def _columns(header: list[str]) -> dict[str, int]:
    """Field name -> column index; an unnamed column after a field is that field's '?' flag."""
    lookup = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    cols: dict[str, int] = {}
    previous = None
    for i, cell in enumerate(header):
        k = _key(cell)
        if not k and previous and f"{previous}_flag" not in cols:
            cols[f"{previous}_flag"] = i
            continue
        name = lookup.get(k)
        if name and name not in cols:
            cols[name] = i
        previous = name
    return cols


def _is_tiv_table(header: list[str]) -> bool:
    years = sum(bool(re.fullmatch(r"(19|20)\d\d", c.strip())) for c in header)
    return years >= 5


def _find_header(rows: list[tuple[int, list[str]]], path: str) -> tuple[int, str, dict[str, int]]:
    for index, (line, cells) in enumerate(rows[:HEADER_SEARCH_LINES]):
        if _is_tiv_table(cells):
            raise SipriFileError(
                f"{path} is a SIPRI TIV table (yearly totals, line {line}), not a trade register or deliveries "
                "file; on sipri.org/databases/armstransfers download the trade register "
                "(or the transfers listed per delivery year) for India and Russia/Soviet Union")
        cols = _columns(cells)
        for layout in (DELIVERIES, REGISTER):
            if all(name in cols for name in REQUIRED[layout]):
                return index, layout, cols
    raise SipriFileError(
        f"{path} is not a SIPRI trade register or deliveries file: none of its first {HEADER_SEARCH_LINES} lines "
        f"is a header with the columns {EXPECTED[REGISTER]} (trade register) or {EXPECTED[DELIVERIES]} "
        "(deliveries by year)")


def _cell(cells: list[str], cols: dict[str, int], name: str) -> str:
    i = cols.get(name)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _whole(x: float | int | None) -> int | None:
    """A count read with integer=True: already whole, typed as such."""
    return None if x is None else int(x)


def _number(text: str, what: str, line: int, integer: bool = False) -> float | int | None:
    t = text.strip().strip("()").rstrip("?").replace(",", "").strip()
    if not t:
        return None
    try:
        value = float(t)
    except ValueError:
        raise SipriFileError(f"line {line}: {what} is {text!r}, not a number") from None
    if not math.isfinite(value):
        raise SipriFileError(f"line {line}: {what} is {text!r}, not a finite number")
    if integer:
        if value != int(value):
            raise SipriFileError(f"line {line}: {what} is {text!r}, not a whole number")
        return int(value)
    return value


def _year(text: str, what: str, line: int) -> tuple[int | None, bool]:
    """A year such as '2019', '(2019)' or '2019?'; brackets and '?' mark SIPRI's uncertain years."""
    t = text.strip()
    if not t:
        return None, False
    m = re.fullmatch(r"\(?\s*(\d{4})\s*\)?\s*\??", t)
    if not m:
        raise SipriFileError(f"line {line}: {what} is {text!r}, not a year")
    return int(m.group(1)), t != m.group(1)


def _years(text: str, line: int) -> tuple[int, ...]:
    """Delivery years: '2021; 2022', and ranges such as '2010-2012'."""
    years: list[int] = []
    for part in re.split(r"[;,]", text):
        span = re.fullmatch(r"\s*(\d{4})\s*[-\u2013]\s*(\d{4})\s*", part)
        if span and int(span.group(1)) <= int(span.group(2)):
            years += range(int(span.group(1)), int(span.group(2)) + 1)
        elif (y := _year(part, "a delivery year", line)[0]):
            years.append(y)
    return tuple(years)


def _keep(supplier: str, recipient: str) -> str | None:
    """Why a row is dropped, or None to keep it."""
    if supplier.casefold() not in SUPPLIERS:
        return f"supplier is {supplier or 'empty'}"
    if recipient.casefold() != RECIPIENT:
        return f"recipient is {recipient or 'empty'}"
    return None


def read(path: str | Path) -> SipriFile:
    """Read a SIPRI export, keeping deals from Russia or the Soviet Union to India."""
    p = Path(path)
    text = _decode(p.read_bytes(), str(p))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        raise SipriFileError(f"{p} is not a readable CSV file (line {reader.line_num}: {exc})") from None
    start, layout, cols = _find_header(rows, str(p))
    header_line = rows[start][0]
    body = [(line, cells) for line, cells in rows[start + 1:] if any(c.strip() for c in cells)]
    dropped: Counter = Counter()
    kept = []
    for line, cells in body:
        if len(cells) < len(REQUIRED[layout]):  # a footnote line below the table
            dropped["not a data row"] += 1
            continue
        reason = _keep(_cell(cells, cols, "supplier"), _cell(cells, cols, "recipient"))
        if reason:
            dropped[reason] += 1
        else:
            kept.append((line, cells))
    if not kept:
        why = ", ".join(f"{n} rows: {reason}" for reason, n in dropped.most_common(3)) or "no data rows"
        raise SipriFileError(f"{p} has no deals from Russia or the Soviet Union to India ({why}); "
                             "export those on sipri.org/databases/armstransfers")
    deals = _register(kept, cols) if layout == REGISTER else _deliveries(kept, cols)
    return SipriFile(str(p), layout, header_line, len(body), deals, dropped)


def _register(rows: list[tuple[int, list[str]]], cols: dict[str, int]) -> list[SipriDeal]:
    deals = []
    for line, c in rows:
        year, uncertain = _year(_cell(c, cols, "order_year"), "Year of order", line)
        deals.append(SipriDeal(
            ref=f"line {line}", line=line, supplier=_cell(c, cols, "supplier"),
            designation=_cell(c, cols, "designation"), description=_cell(c, cols, "description"),
            order_year=year, order_year_uncertain=uncertain or bool(_cell(c, cols, "order_year_flag")),
            ordered=_whole(_number(_cell(c, cols, "ordered"), "Number ordered", line, integer=True)),
            delivered=_whole(_number(_cell(c, cols, "delivered"), "Number delivered", line, integer=True)),
            delivery_years=_years(_cell(c, cols, "delivery_years"), line),
            tiv=_number(_cell(c, cols, "tiv_total"), "SIPRI TIV for total order", line),
            comments=_cell(c, cols, "comments")))
    return deals


def _deliveries(rows: list[tuple[int, list[str]]], cols: dict[str, int]) -> list[SipriDeal]:
    """One deal per SIPRI id: delivered numbers and TIV summed over the delivery years in the file."""
    deals: dict[str, SipriDeal] = {}
    for line, c in rows:
        deal_id = _cell(c, cols, "deal_id")
        if not deal_id:
            raise SipriFileError(f"line {line}: SIPRI AT Database ID is empty")
        year, uncertain = _year(_cell(c, cols, "order_year"), "Order date", line)
        delivered = _number(_cell(c, cols, "delivered"), "Numbers delivered", line, integer=True)
        tiv = _number(_cell(c, cols, "tiv_delivered"), "TIV delivery values", line)
        deal = deals.get(deal_id)
        if deal is None:
            deal = deals[deal_id] = SipriDeal(
                ref=f"deal {deal_id}", line=line, supplier=_cell(c, cols, "supplier"),
                designation=_cell(c, cols, "designation"), description=_cell(c, cols, "description"),
                order_year=year,
                order_year_uncertain=uncertain or _cell(c, cols, "order_estimate").casefold() == "yes",
                ordered=None, delivered=None, delivery_years=(), tiv=None,
                local_production={"yes": True, "no": False}.get(_cell(c, cols, "local_production").casefold()))
        if delivered is not None:
            deal.delivered = (deal.delivered or 0) + int(delivered)
        if tiv is not None:
            deal.tiv = round((deal.tiv or 0) + tiv, 6)
        deal.delivery_years = tuple(sorted(set(deal.delivery_years) | set(_years(_cell(c, cols, "delivery_years"),
                                                                                 line))))
    return list(deals.values())
