"""Choosing the canonical value of a figure from its claims, and finding disputes.

The rule (also in the README, "How figures and conflicts are handled"):

1. the more authoritative source wins: official > wire > news > analysis >
   aggregator > reference;
2. then the more precise statement: exact > approximate > a bound > a range;
3. then the more recent publication (undated sources last);
4. then the smaller claim id, so the choice never depends on row order.

The value shown is then the most precise rendering of the preferred claim:
among the claims that agree with it (below), the most precise statement, and
among those the one with the most significant digits ($13,124.68 million
rather than $13.1 billion), unless those precise statements disagree with
each other (then the preferred claim itself is shown).

Two claims agree when their numbers are equal after rounding both to the
significant digits of the less precise statement, counted as written
($5.4 billion agrees with $5.43 billion; 10 does not agree with 11; over
500,000 does not agree with more than 700,000). Claims in
different units are never compared: no currency is converted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

AUTHORITY = {"official": 0, "wire": 1, "news": 2, "analysis": 3, "aggregator": 4, "reference": 5}
PRECISION = {"exact": 0, "approximate": 1, "lower_bound": 2, "upper_bound": 2, "range": 3}
RULE_NAMES = (
    "more authoritative source (rule 1)",
    "more precise statement (rule 2)",
    "more recent publication (rule 3)",
    "smaller claim id (rule 4)",
)


def _precision(claim: Mapping[str, Any]) -> int:
    return PRECISION.get(claim.get("qualifier") or "exact", 0)


def sort_key(claim: Mapping[str, Any], source: Mapping[str, Any]) -> tuple:
    published = source.get("published_date")
    return (
        AUTHORITY[source["kind"]],
        _precision(claim),
        -(published.toordinal() if published else -1_000_000),
        claim["claim_id"],
    )


_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def stated_digits(text: str | None, anchor: float | None = None) -> int | None:
    """Significant digits as written: '$5.4 billion' has 2, '6,01,427' has 6, '10' has 2.

    With ``anchor`` (the normalised number), only the number in the text that
    is that value times a power of ten counts ("$1,339 million in 1996-97" is 4
    digits, not the 2 of "97"). None when the text has no digits ('five lakh').
    """
    numbers = _NUMBER.findall(text or "")
    if not numbers:
        return None
    if anchor:
        matching = [n for n in numbers if _scales_to(n, anchor)]
        numbers = matching or numbers
    return min(_digits_written(n) for n in numbers)


def _scales_to(number: str, anchor: float) -> bool:
    value = float(number.replace(",", ""))
    if value == 0 or not math.isfinite(value):  # a 400-digit number in the text is inf as a float
        return False
    ratio = abs(anchor) / value
    if ratio == 0 or not math.isfinite(ratio):
        return False
    power = 10.0 ** round(math.log10(ratio))
    return abs(ratio - power) <= 1e-9 * power


def _digits_written(number: str) -> int:
    """Trailing zeros count in short whole numbers (10, 300) and after a decimal point,
    not in long round ones (600,000 or 5,000 are round figures)."""
    plain = number.replace(",", "")
    if "." in plain:
        return len(plain.replace(".", "").lstrip("0")) or 1
    plain = plain.lstrip("0") or "0"
    return len(plain) if len(plain) <= 3 else len(plain.rstrip("0")) or 1


def _sig_digits(x: float) -> int:
    if x == 0 or not math.isfinite(x):
        return 1
    digits = f"{abs(x):.15g}".replace(".", "").lstrip("0")
    if "e" in digits:
        digits = digits.split("e")[0]
    return max(len(digits.rstrip("0")), 1)


def _round_sig(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def numbers_agree(a: float, b: float, digits_a: int | None = None, digits_b: int | None = None) -> bool:
    digits = min(digits_a or _sig_digits(a), digits_b or _sig_digits(b))
    return _round_sig(a, digits) == _round_sig(b, digits)


def _anchors(claim: Mapping[str, Any]) -> tuple[float, ...]:
    if claim.get("value") is not None:
        return (claim["value"],)
    return tuple(x for x in (claim.get("value_low"), claim.get("value_high")) if x is not None)


def _digits(claim: Mapping[str, Any]) -> int:
    anchors = _anchors(claim)
    stated = [stated_digits(claim.get("value_as_stated"), x) for x in anchors]
    known = [d for d in stated if d is not None]
    if stated and len(known) == len(stated):
        return min(known)
    return max((_sig_digits(x) for x in anchors), default=0)


def _shape(claim: Mapping[str, Any]) -> tuple[str, float | None, float | None]:
    """(kind, low, high): a point, a lower or upper bound, or a range."""
    q = claim.get("qualifier") or "exact"
    v, lo, hi = claim.get("value"), claim.get("value_low"), claim.get("value_high")
    if q == "lower_bound":
        return "lower", lo if lo is not None else v, None
    if q == "upper_bound":
        return "upper", None, hi if hi is not None else v
    if q == "range":
        return "range", lo, hi
    return "point", v, v


def claims_agree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two claims about one figure are consistent.

    Two numbers of the same kind agree when equal after rounding to the
    significant digits of the less precise statement; a number agrees with a
    bound it satisfies ("6,01,427" with "over 600,000") or a range it falls in;
    a lower and an upper bound agree when they leave room between them
    ("over 500,000" and "nearly 500,000" do not).
    """
    (ka, la, ha), (kb, lb, hb) = _shape(a), _shape(b)
    if None in (la if ka != "upper" else ha, lb if kb != "upper" else hb):
        return False
    da, db = _digits(a), _digits(b)

    def same(x: float, y: float) -> bool:
        return numbers_agree(x, y, da or None, db or None)

    if ka == kb:
        if ka == "upper":
            return same(ha, hb)  # type: ignore[arg-type]
        if ka == "range":
            return hb is not None and ha is not None and same(la, lb) and same(ha, hb)  # type: ignore[arg-type]
        return same(la, lb)  # type: ignore[arg-type]
    if ka > kb:  # order the pair so each combination is handled once
        (ka, la, ha), (kb, lb, hb) = (kb, lb, hb), (ka, la, ha)
    rule = _MIXED.get((ka, kb))
    return bool(rule and rule(la, ha, lb, hb, same))


# How a claim of one shape agrees with a claim of another: (low, high) of each, and `same`
# (equal at the coarser precision). Pairs are ordered by name, as claims_agree orders them.
_MIXED: dict[tuple[str, str], Any] = {
    ("lower", "point"): lambda la, ha, lb, hb, same: lb >= la or same(la, lb),
    ("point", "upper"): lambda la, ha, lb, hb, same: la <= hb or same(la, hb),
    ("point", "range"): lambda la, ha, lb, hb, same: hb is not None and lb <= la <= hb,
    ("lower", "upper"): lambda la, ha, lb, hb, same: la < hb,
    ("lower", "range"): lambda la, ha, lb, hb, same: hb is not None and la <= hb,
    ("range", "upper"): lambda la, ha, lb, hb, same: la <= hb,
}


@dataclass(frozen=True)
class Resolution:
    claim: Mapping[str, Any] | None
    disputed: bool | None
    basis: str


def choose(claims: list[Mapping[str, Any]], sources: Mapping[str, Mapping[str, Any]]) -> Resolution:
    """The preferred claim among those about one figure, and whether they disagree.

    Claims that state no number (no value and no bounds) take no part.
    """
    claims = [c for c in claims if _anchors(c)]
    if not claims:
        return Resolution(None, None, "no claim")
    ranked = sorted(claims, key=lambda c: sort_key(c, sources[c["source_id"]]))
    best = ranked[0]
    same_unit = [c for c in ranked if c.get("unit") == best.get("unit")]
    disputed = any(not claims_agree(a, b) for i, a in enumerate(same_unit) for b in same_unit[i + 1:])
    if len(ranked) == 1:
        return Resolution(best, False, "single claim")
    k0 = sort_key(best, sources[best["source_id"]])
    k1 = sort_key(ranked[1], sources[ranked[1]["source_id"]])
    decided = next(i for i in range(len(k0)) if k0[i] != k1[i])
    note = f"{len(ranked)} claims; preferred by {RULE_NAMES[decided]}"
    agreeing = [c for c in same_unit if claims_agree(best, c)]
    finest = min(agreeing, key=lambda c: (_precision(c), -_digits(c)))
    rivals = [c for c in agreeing if _precision(c) == _precision(finest) and _digits(c) == _digits(finest)]
    if any(not claims_agree(finest, c) for c in rivals):
        note += "; the more precise statements disagree with each other, so the preferred one is shown"
    elif finest is not best:
        note += f"; shown as {finest['claim_id']}, which agrees and is more precise"
        best = finest
    if len(same_unit) < len(ranked):
        note += f"; {len(ranked) - len(same_unit)} in another unit, not compared"
    return Resolution(best, disputed, note)


def point_value(claim: Mapping[str, Any]) -> Any:
    """The number a figure's point column shows: the value, or for a bound the bound itself.

    A lone bound ("over 600,000") still counts in a sum; the qualifier says it is a bound.
    A range has no single number, so it stays empty.
    """
    if claim.get("value") is not None:
        return claim["value"]
    if claim.get("qualifier") == "lower_bound":
        return claim.get("value_low")
    if claim.get("qualifier") == "upper_bound":
        return claim.get("value_high")
    return None


def text_values_agree(a: Any, b: Any, precision_a: str | None = None, precision_b: str | None = None) -> bool:
    """Attribute claims: dates agree at the coarser precision, text case-insensitively."""
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        coarse = "year" if "year" in (precision_a, precision_b) else "month" if "month" in (
            precision_a, precision_b) else "day"
        parts = {"year": 1, "month": 2, "day": 3}[coarse]
        return (a.year, a.month, a.day)[:parts] == (b.year, b.month, b.day)[:parts]
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().strip() == b.casefold().strip()
    return a == b


def claim_value(claim: Mapping[str, Any]) -> Any:
    """The normalised value of an attribute claim."""
    for key in ("value_date", "value_text", "value"):
        if claim.get(key) is not None:
            return claim[key]
    return None


def group(claims: Iterable[Mapping[str, Any]], target: str) -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    out: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for c in claims:
        if c.get(target) is not None:
            out.setdefault((c[target], c["field"]), []).append(c)
    return out
