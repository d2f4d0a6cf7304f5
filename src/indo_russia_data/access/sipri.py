"""Reconciling a user's SIPRI Arms Transfers Database export with our defence contracts.

Matching is conservative and explained: a SIPRI deal and a contract (with its stages) are paired only when
their designations agree by one of the RULES below and SIPRI's order year is within YEAR_TOLERANCE of our
contract year. Nothing from the SIPRI file is stored; the result only goes to the user's screen.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .sipri_read import SipriDeal, SipriFile

YEAR_TOLERANCE = 1  # SIPRI's order year vs our contract_date year; SIPRI often dates a deal by its approval
RULES = {
    "designation": "SIPRI's designation, or a name in it, equals one in our `designation` column",
    "system-text": "our `designation` is empty, and SIPRI's designation, or a name in it, is a word of our "
                   "`system` text (words after 'for', 'with' or 'replacing' name a platform and are ignored)",
    "sipri-comment": "SIPRI's comment names one of our designations as the version or the Indian designation "
                     "('Su-30MKI version', 'Indian designation Chakra')",
    "variant+quantity": "the designations share a model (letters and number: Su-30, T-90) and one extends the "
                        "other (Su-30MK / Su-30MKI, T-90 / T-90S), the quantities agree, and SIPRI's comment names "
                        "no other version",
}
RANK = {"designation": 0, "system-text": 0, "sipri-comment": 1, "variant+quantity": 2}
PLATFORM_WORDS = re.compile(r"\b(?:for|with|replacing)\b", re.IGNORECASE)
MODEL = re.compile(r"[A-Z]+\d+")


def norm(text: str) -> str:
    """Designation folded for comparison: case, spaces, hyphens and trailing dots ignored."""
    return re.sub(r"[\s\-\u2010-\u2015_]+", "", text).upper().strip(".")


def _is_name(word: str) -> bool:
    """A word of a SIPRI designation that names the system ('S-400', 'Triumf'), not a generic one."""
    n = norm(word)
    if not n or re.fullmatch(r"[\d.,]+(MM)?", n):
        return False
    return any(ch.isdigit() for ch in n) or (word[:1].isupper() and len(n) >= 4)


def sipri_keys(designation: str) -> dict[str, str]:
    """Folded name -> as SIPRI writes it: the whole designation and the words in it that name the system."""
    keys = {norm(w): w for w in re.split(r"[\s/]+", designation) if _is_name(w)}
    return {**keys, norm(designation): designation.strip()} if designation.strip() else keys


def comment_keys(comment: str) -> dict[str, str]:
    """Designations SIPRI's comment gives as the version ('Su-30 MKI version'), the Indian designation, or
    what a system was rebuilt to ('rebuilt to MiG-29UPG')."""
    keys: set[str] = set()
    for clause in comment.split(";"):
        words = [w.strip(".,()") for w in clause.split()]
        for i, w in enumerate(words):
            if w.casefold() == "version" and i >= 1:
                keys |= {words[i - 1], " ".join(words[max(i - 2, 0):i])}
                if i >= 2:
                    keys.add(words[i - 2])
            if w.casefold() == "designation" and i >= 1 and words[i - 1].casefold() == "indian":
                keys |= {" ".join(words[i + 1:i + 2]), " ".join(words[i + 1:i + 3])}
            if w.casefold() == "to" and i >= 1 and words[i - 1].casefold() in ("rebuilt", "modified", "upgraded"):
                keys |= {" ".join(words[i + 1:i + 2]), " ".join(words[i + 1:i + 3])}
    return {norm(k): k for k in keys if _is_name(k)}  # 'Su-30 MKI', 'Chakra'; not 'armed' or 'combat'


def system_words(system: str) -> dict[str, str]:
    """Words of our `system` text, up to the first word that names a platform ('for Su-30MKI')."""
    text = PLATFORM_WORDS.split(system)[0]
    words = set()
    for w in re.split(r"[\s,;:()\[\]]+", text):
        w = re.sub(r"-(class|type)$", "", w.strip("."), flags=re.IGNORECASE)
        parts = w.split("/")
        words.update(parts)
        if len(parts) == 2 and parts[1].isalpha() and MODEL.match(norm(parts[0])):  # MiG-29K/KUB -> MiG-29KUB
            words.add(re.sub(r"[A-Za-z]+$", "", parts[0]) + parts[1])
    return {norm(w): w for w in sorted(words) if norm(w)}


def is_variant(a: str, b: str) -> bool:
    """One designation extends the other within a model: 'SU30MK' and 'SU30MKI', 'T90' and 'T90S' (folded).
    Siblings ('SU30K' and 'SU30MKI') are different aircraft often enough to stay unmatched."""
    ma, mb = MODEL.match(a), MODEL.match(b)
    return bool(ma and mb and ma.group(0) == mb.group(0) and a != b and (a.startswith(b) or b.startswith(a)))


@dataclass
class Contract:
    contract_id: str
    system: str
    designation: str
    category: str
    production: str
    status: str
    year: int | None
    quantity: int | None
    delivery_start_year: int | None
    related_contract_id: str
    stage: str

    @property
    def tokens(self) -> tuple[str, dict[str, str]]:
        """Our names for the system (folded -> as written) and the rule that uses them."""
        if self.designation.strip():
            return "designation", {norm(t): t.strip() for t in self.designation.split(";") if norm(t)}
        return "system-text", system_words(self.system)

    def to_dict(self) -> dict[str, Any]:
        return {"contract_id": self.contract_id, "system": self.system, "designation": self.designation or None,
                "category": self.category, "production": self.production or None, "stage": self.stage or None,
                "year": self.year, "quantity": self.quantity, "delivery_start_year": self.delivery_start_year,
                "status": self.status}


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text not in (None, "") else None
    except ValueError:
        return None


def _shipped(table: str) -> list[dict[str, str]]:
    """A shipped table read with the csv module: no pandas or pyarrow for this command."""
    from ..paths import PACKAGE_DATA

    path = PACKAGE_DATA / f"{table}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `indo-russia-data build` in a checkout")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_contracts(rows: Iterable[dict[str, Any]] | None = None) -> list[Contract]:
    """Our contracts, from the shipped defence_contracts.csv unless rows are given (tests)."""
    rows = _shipped("defence_contracts") if rows is None else rows
    return [Contract(
        contract_id=r["contract_id"], system=r.get("system") or "", designation=r.get("designation") or "",
        category=r.get("category") or "", production=r.get("production") or "", status=r.get("status") or "",
        year=_int(str(r.get("contract_date") or "")[:4]), quantity=_int(r.get("quantity")),
        delivery_start_year=_int(r.get("delivery_start_year")),
        related_contract_id=r.get("related_contract_id") or "", stage=r.get("stage") or "") for r in rows]


def groups(contracts: list[Contract]) -> list[list[Contract]]:
    """Contracts joined by related_contract_id: the stages of one deal form one group."""
    parent = {c.contract_id: c.contract_id for c in contracts}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in contracts:
        if c.related_contract_id in parent:
            parent[root(c.contract_id)] = root(c.related_contract_id)
    out: dict[str, list[Contract]] = {}
    for c in contracts:
        out.setdefault(root(c.contract_id), []).append(c)
    return list(out.values())


@dataclass
class Link:
    deal: SipriDeal
    group: int
    rule: str
    sipri_name: str
    our_name: str
    contract: Contract
    year_gap: int
    same_quantity: bool

    def order(self) -> tuple:
        return (not self.same_quantity, self.year_gap, RANK[self.rule], -(self.deal.tiv or 0), self.deal.line)

    def why(self) -> str:
        return (f"{self.rule}: SIPRI {self.sipri_name!r} ~ our {self.our_name!r} ({self.contract.contract_id}); "
                f"order year {self.deal.order_year} vs contract {self.contract.year}")


def deal_quantity(deal: SipriDeal) -> int | None:
    """Number ordered (trade register), else the number delivered in the file (deliveries layout)."""
    return deal.ordered if deal.ordered is not None else deal.delivered


def _link(deal: SipriDeal, index: int, group: list[Contract]) -> Link | None:
    """The best designation link between a SIPRI deal and a group, if the years agree."""
    if deal.order_year is None:
        return None
    quantities = {c.quantity for c in group if c.quantity is not None}
    if len(group) > 1 and quantities:
        quantities.add(sum(c.quantity or 0 for c in group))
    q = deal_quantity(deal)
    same_quantity = q is not None and q in quantities
    full, keys, said = norm(deal.designation), sipri_keys(deal.designation), comment_keys(deal.comments)
    best = None
    for c in group:
        if c.year is None or abs(c.year - deal.order_year) > YEAR_TOLERANCE:
            continue
        rule, tokens = c.tokens
        found = [(rule, keys[k], tokens[k]) for k in sorted(keys.keys() & tokens.keys())]
        found += [("sipri-comment", said[k], tokens[k]) for k in sorted(said.keys() & tokens.keys())]
        if same_quantity and not said:  # SIPRI naming a version ('Su-30MKI version') overrules a variant guess
            found += [("variant+quantity", deal.designation, tokens[t]) for t in sorted(tokens) if is_variant(full, t)]
        for rule_name, theirs, ours in found:
            link = Link(deal, index, rule_name, theirs, ours, c, abs(c.year - deal.order_year), same_quantity)
            if best is None or link.order() < best.order():
                best = link
    return best


@dataclass
class Match:
    deals: list[SipriDeal]
    contracts: list[Contract]
    links: list[Link] = field(default_factory=list)


@dataclass
class Reconciliation:
    sipri: SipriFile
    matches: list[Match]
    sipri_only: list[SipriDeal]
    ours_only: list[tuple[Contract, str]]
    on_gap_list: dict[str, str] = field(default_factory=dict)  # SIPRI-only deal ref -> our gap_id

    @property
    def tiv_total(self) -> float:
        return round(sum(d.tiv or 0 for d in self.sipri.deals), 3)

    @property
    def tiv_matched(self) -> float:
        return round(sum(d.tiv or 0 for m in self.matches for d in m.deals), 3)


def gap_listed(deal: SipriDeal, gaps: list[dict[str, Any]]) -> str | None:
    """Our gap row naming this deal: a missing contract whose subject has SIPRI's name, within the years."""
    keys = sipri_keys(deal.designation)
    for g in gaps:
        year = _int(str(g.get("year") or ""))
        if g.get("kind") != "defence_contract" or deal.order_year is None:
            continue
        if (year is None or abs(year - deal.order_year) <= YEAR_TOLERANCE) and \
                keys.keys() & system_words(g.get("subject") or "").keys():
            return g["gap_id"]
    return None


def reconcile(sipri: SipriFile, contracts: list[Contract] | None = None,
              gaps: list[dict[str, Any]] | None = None) -> Reconciliation:
    """Pair SIPRI deals with our contract groups, one to one, best-supported pairs first."""
    contracts = load_contracts() if contracts is None else contracts
    gaps = _shipped("gaps") if gaps is None else gaps
    grouped = groups(contracts)
    links = sorted((link for d in sipri.deals for i, g in enumerate(grouped) if (link := _link(d, i, g))),
                   key=Link.order)
    by_group: dict[int, Match] = {}
    taken: set[int] = set()
    for link in links:
        if id(link.deal) not in taken and link.group not in by_group:
            by_group[link.group] = Match([link.deal], grouped[link.group], [link])
            taken.add(id(link.deal))
    # SIPRI sometimes splits one deal into rows per type (Su-30K and Su-30MK of 1996): a further deal joins
    # a match only with the same order year, another designation, and a rule that names it exactly.
    for link in links:
        m = by_group.get(link.group)
        if id(link.deal) in taken or m is None or link.rule == "variant+quantity":
            continue
        if link.deal.order_year == m.deals[0].order_year and \
                norm(link.deal.designation) not in {norm(d.designation) for d in m.deals}:
            m.deals.append(link.deal)
            m.links.append(link)
            taken.add(id(link.deal))
    matches = sorted(by_group.values(), key=lambda m: (m.deals[0].order_year or 0, m.contracts[0].contract_id))
    sipri_only = sorted((d for d in sipri.deals if id(d) not in taken), key=lambda d: (-(d.tiv or 0), d.line))
    ours_only = [(c, _reason(c, i, links, by_group)) for i, g in enumerate(grouped) if i not in by_group for c in g]
    listed = {d.ref: gap for d in sipri_only if (gap := gap_listed(d, gaps))}
    return Reconciliation(sipri, matches, sipri_only, ours_only, listed)


def _reason(c: Contract, index: int, links: list[Link], by_group: dict[int, Match]) -> str:
    """Why SIPRI would not list a contract, where our own columns tell."""
    text = c.system.casefold()
    reasons = []
    if c.category == "rifle":
        reasons.append("small arms (SIPRI does not cover them)")
    if c.category == "ammunition" or ("guided" not in text and re.search(r"\b(rounds|ammunition|shells)\b", text)):
        reasons.append("ammunition (SIPRI covers guided munitions only)")
    if c.production in ("refit", "upgrade") or re.search(r"\b(refits?|overhaul|upgrade)\b", text):
        reasons.append("services, refits or upgrades (SIPRI lists few of them)")
    if c.status in ("planned", "agreed", "approved", "cancelled"):
        reasons.append(f"not a firm order (status {c.status})")
    if c.year is None:
        reasons.append("no contract date, so no order year to compare")
    for link in links:
        if link.group == index and link.group not in by_group:
            owner = next((m for m in by_group.values() if any(link.deal is d for d in m.deals)), None)
            if owner:
                reasons.append(f"resembles SIPRI {link.deal.ref} ({link.deal.designation}, {link.deal.order_year}), "
                               f"matched to {', '.join(x.contract_id for x in owner.contracts)}: if it is a stage "
                               "of that deal, set related_contract_id")
                break
    return "; ".join(reasons) or "not found"
