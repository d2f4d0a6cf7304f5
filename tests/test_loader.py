"""The Python API: typed tables, clear errors, a cheap import."""

import subprocess
import sys

import pandas as pd
import pytest

import indo_russia_data as ird


def test_tables_lists_every_table():
    assert ird.tables() == ["sources", "events", "agreements", "defence_contracts", "trade_figures", "claims", "gaps",
                          "commodity_trade"]


def test_load_gives_proper_dtypes():
    events = ird.load("events")
    assert str(events["start_date"].dtype).startswith("datetime64")
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype)
    assert list(events["event_type"].cat.categories)[:2] == ["annual_summit", "two_plus_two"]
    assert str(events["ordinal"].dtype) == "Int64"
    contracts = ird.load("defence_contracts")
    assert str(contracts["quantity"].dtype) == "Int64"
    assert str(contracts["quantity_disputed"].dtype) == "boolean"


def test_other_backends():
    table = ird.load("claims", backend="pyarrow")
    assert table.num_rows == len(ird.load("claims"))
    with pytest.raises(ValueError, match="backend"):
        ird.load("claims", backend="excel")


def test_unknown_table_names_the_valid_ones():
    with pytest.raises(KeyError) as info:
        ird.load("contracts")
    assert "defence_contracts" in str(info.value) and "unknown table 'contracts'" in str(info.value)


def test_path_and_describe():
    assert ird.path("events").name == "events.parquet"
    assert ird.path("events", "csv").name == "events.csv"
    d = ird.describe("trade_figures")
    assert d.set_index("column").loc["period_type", "allowed"] == "fiscal_year, calendar_year, partial"
    assert bool(d.set_index("column").loc["value", "derived"])


def test_import_is_cheap():
    code = ("import sys, indo_russia_data as ird; ird.tables(); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'pydantic', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_claim_and_row_has_a_dated_or_explained_source():
    sources = ird.load("sources").set_index("source_id")
    claims = ird.load("claims")
    assert claims["source_id"].isin(sources.index).all()
    unexplained = sources[(sources["url"].isna() | sources["published_date"].isna()) & sources["note"].isna()]
    assert unexplained.empty, list(unexplained.index)
    for name in ("events", "agreements", "defence_contracts", "trade_figures"):
        assert ird.load(name)["source_id"].isin(sources.index).all(), name


def test_every_figure_comes_from_a_claim():
    claims = ird.load("claims").set_index("claim_id")
    for name, fig in [("defence_contracts", "quantity"), ("defence_contracts", "value"),
                      ("trade_figures", "value"), ("events", "documents_signed")]:
        rows = ird.load(name)
        given = rows[rows[f"{fig}_claim_id"].notna()]
        chosen = claims.loc[given[f"{fig}_claim_id"]]
        assert (chosen["field"].values == fig).all()
        assert chosen["is_preferred"].all()
        has_number = rows[fig].notna() | rows[f"{fig}_low"].notna() | rows[f"{fig}_high"].notna()
        assert (has_number == rows[f"{fig}_claim_id"].notna()).all(), name


def test_each_document_is_cited_once():
    sources = ird.load("sources")
    urls = sources["url"].dropna()
    assert not urls.duplicated().any(), list(urls[urls.duplicated()])


def test_the_three_table_lists_agree():
    # __init__ keeps its own tuple (cheap import) and loader a Literal (typing); both must follow the schema.
    import typing

    from indo_russia_data.access.loader import TableName
    from indo_russia_data.schema import TABLES

    assert ird.TABLE_NAMES == tuple(TABLES) == typing.get_args(TableName)
