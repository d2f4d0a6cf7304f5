"""The coverage report: documents listed against documents stated, disputes counted over every table."""

import indo_russia_data as ird
from indo_russia_data import coverage
from indo_russia_data.loader import rows


def test_summit_documents_listed_against_stated():
    tables = rows()
    summits, _ = coverage.summit_list(tables)
    s2021 = next(s for s in summits if s["event_id"] == "evt-summit-2021")
    agreements = ird.load("agreements")
    done = agreements[(agreements["event_id"] == "evt-summit-2021") & agreements["status"].isin(["signed", "adopted"])]
    assert s2021["stated"] == "28" and s2021["listed"] == len(done)
    listed, stated = coverage.documents_listed(tables)
    assert 0 < listed <= stated
    assert f"| 28 | {len(done)} |" in coverage.markdown(tables)


def test_disputed_rows_are_counted_in_every_table_with_claims():
    tables = rows()
    want = sum(1 for name in ("events", "agreements", "defence_contracts", "trade_figures")
               for r in tables[name] if r.get("disputed_fields"))
    got = [v for k, v in coverage.summary(tables).items() if k.startswith("rows with a disputed")]
    assert got == [want] and want > sum(1 for r in tables["trade_figures"] if r.get("disputed_fields"))


def test_gaps_table_rows_are_in_the_gap_list():
    tables = rows()
    listed = coverage.gaps(tables)
    assert tables["gaps"] and all(any(g["gap_id"] in line for line in listed) for g in tables["gaps"])
