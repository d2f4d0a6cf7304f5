"""The rule that picks a canonical figure, and what the shipped data says for known figures."""

import datetime as dt

import indo_russia_data as ird
from indo_russia_data.build.resolve import choose, claims_agree, stated_digits

SOURCES = {
    "gov": {"kind": "official", "published_date": dt.date(2021, 1, 1)},
    "wire": {"kind": "wire", "published_date": dt.date(2021, 6, 1)},
    "paper-old": {"kind": "news", "published_date": dt.date(2020, 1, 1)},
    "paper-new": {"kind": "news", "published_date": dt.date(2022, 1, 1)},
    "paper-undated": {"kind": "news", "published_date": None},
}


def claim(cid, src, stated, value=None, low=None, high=None, qualifier="exact", unit="USD"):
    return {"claim_id": cid, "source_id": src, "value_as_stated": stated, "value": value,
            "value_low": low, "value_high": high, "qualifier": qualifier, "unit": unit}


def test_authority_beats_precision_and_recency():
    res = choose([claim("a", "paper-new", "$5.43 billion", 5.43e9), claim("b", "gov", "about $4 billion", 4e9,
                                                                          qualifier="approximate")], SOURCES)
    assert res.claim["claim_id"] == "b" and "authoritative" in res.basis and res.disputed
    # When the authoritative claim is a rounded version of a precise one, the precise one is shown.
    res = choose([claim("a", "paper-new", "$5.43 billion", 5.43e9), claim("b", "gov", "about $5 billion", 5e9,
                                                                          qualifier="approximate")], SOURCES)
    assert res.claim["claim_id"] == "a" and "authoritative" in res.basis and "shown as a" in res.basis
    assert not res.disputed


def test_precision_then_recency_then_id():
    exact = claim("x", "paper-old", "500", 500, unit="items")
    bound = claim("y", "paper-new", "over 700", None, low=700, qualifier="lower_bound", unit="items")
    res = choose([bound, exact], SOURCES)
    assert res.claim["claim_id"] == "x" and res.disputed
    res = choose([claim("p", "paper-old", "10", 10, unit="items"), claim("q", "paper-new", "11", 11, unit="items")],
                 SOURCES)
    assert res.claim["claim_id"] == "q" and res.disputed and "recent" in res.basis
    res = choose([claim("m2", "paper-undated", "7", 7), claim("m1", "paper-undated", "7", 7)], SOURCES)
    assert res.claim["claim_id"] == "m1" and not res.disputed


def test_rounded_figures_agree_and_the_finer_one_is_shown():
    rounded = claim("w", "wire", "$13.1 billion", 13.1e9)
    exact = claim("n", "paper-old", "$13,124.68 million", 13124.68e6)
    res = choose([exact, rounded], SOURCES)
    assert not res.disputed
    assert res.claim["claim_id"] == "n" and "shown as n" in res.basis


def test_bounds_and_points():
    over = claim("o", "wire", "over 600,000", None, low=600000, qualifier="lower_bound", unit="items")
    nearly = claim("n", "wire", "nearly 600,000", None, high=600000, qualifier="upper_bound", unit="items")
    assert claims_agree(over, claim("x", "wire", "6,01,427", 601427, unit="items"))
    assert not claims_agree(over, claim("y", "wire", "5,00,000", 500000, unit="items"))
    assert not claims_agree(over, nearly)
    res = choose([over, claim("x", "paper-old", "6,01,427", 601427, unit="items"),
                  claim("z", "paper-new", "614,427", 614427, unit="items")], SOURCES)
    assert res.claim["claim_id"] == "o" and res.disputed


def test_digits_as_written():
    assert stated_digits("$5.4 billion") == 2 and stated_digits("6,01,427") == 6
    assert stated_digits("10") == 2 and stated_digits("over 600,000") == 1
    assert stated_digits("five lakh") is None
    assert stated_digits("$1,339 million in1996-97", 1339e6) == 4
    assert claims_agree(claim("a", "wire", "$5.4 billion", 5.4e9), claim("b", "wire", "$5.43 billion", 5.43e9))
    assert not claims_agree(claim("a", "wire", "10", 10), claim("b", "wire", "11", 11))


def test_currencies_are_never_compared():
    res = choose([claim("u", "paper-new", "$5.43 billion", 5.43e9),
                  claim("r", "paper-old", "Rs 40,000 crore", 4e11, unit="INR")], SOURCES)
    assert not res.disputed and "another unit" in res.basis


# Known figures in the shipped data (each traced in raw/claims.csv to a dated page).

def test_ak203_quantity_is_disputed_and_shows_the_preferred_bound():
    row = ird.load("defence_contracts").set_index("contract_id").loc["dc-ak203-2021"]
    # TASS (wire) says "over 600,000"; the exact figures reported (601,427 and 614,427) disagree.
    assert row["quantity_low"] == 600000 and row["quantity_qualifier"] == "lower_bound"
    assert bool(row["quantity_disputed"]) and "disagree with each other" in row["quantity_basis"]
    claims = ird.load("claims").set_index("claim_id")
    assert claims.loc["clm-ak203-qty-scroll", "value"] == 601427
    assert claims.loc["clm-ak203-qty-varma", "value_low"] == 700000
    assert claims.loc["clm-ak203-qty-unknown", "value_as_stated"] == "over five lakh"
    assert claims.loc["clm-ak203-value-unknown", "value_high"] == 50_000_000_000
    assert claims.loc["clm-ak203-value-unknown", "unit"] == "INR"


def test_s400_contract():
    row = ird.load("defence_contracts").set_index("contract_id").loc["dc-s400-2018"]
    assert row["contract_date"] == dt.datetime(2018, 10, 5) and row["date_precision"] == "day"
    assert row["quantity"] == 5 and row["value_unit"] == "USD" and row["value"] == 5.43e9
    assert row["event_id"] == "evt-summit-2018"


def test_fiscal_year_2020_21_india_reported_total():
    row = ird.load("trade_figures").set_index("figure_id").loc["tf-in-total-fy2020-21"]
    assert row["period_start"] == dt.datetime(2020, 4, 1) and row["period_end"] == dt.datetime(2021, 3, 31)
    # The official release (TRADESTAT, 2,655.84 + 5,485.75) wins over the October 2022 press figure of
    # $8,141.26 million, which it revises: the figure is disputed.
    assert row["value"] == 8_141_590_000 and row["value_claim_id"] == "clm-in-total-fy2020-21-tradestat"
    assert bool(row["value_disputed"])


def test_two_plus_two_held_in_new_delhi_though_planned_for_moscow():
    row = ird.load("events").set_index("event_id").loc["evt-2plus2-2021"]
    assert row["city"] == "New Delhi" and row["planned_city"] == "Moscow"
    assert row["start_date"] == dt.datetime(2021, 12, 6)


def test_summit_2021_signed_28_documents():
    row = ird.load("events").set_index("event_id").loc["evt-summit-2021"]
    assert row["ordinal"] == 21 and row["documents_signed"] == 28


def test_a_lone_bound_fills_the_point_column_so_sums_count_it():
    row = ird.load("defence_contracts").set_index("contract_id").loc["dc-ak203-2021"]
    assert row["quantity"] == 600000 and row["quantity_low"] == 600000
    assert row["quantity_qualifier"] == "lower_bound"


def test_point_value_of_each_qualifier():
    from indo_russia_data.build.resolve import point_value

    assert point_value({"value": 5.0, "qualifier": "exact"}) == 5.0
    assert point_value({"value_low": 500000, "qualifier": "lower_bound"}) == 500000
    assert point_value({"value_high": 5e10, "qualifier": "upper_bound"}) == 5e10
    assert point_value({"value_low": 2e9, "value_high": 3e9, "qualifier": "range"}) is None
