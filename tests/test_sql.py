"""DuckDB access: ird.connect() tables and the `sql` command in its three formats."""

import csv
import io
import json

import pyarrow.compute as pc
import pytest

import indo_russia_data as ird

from conftest import run_cli

pytest.importorskip("duckdb", reason="the 'sql' extra (duckdb) is not installed")

S400_JOIN = ("SELECT d.contract_id, e.event_id, e.city FROM defence_contracts d "
             "JOIN events e ON d.event_id = e.event_id WHERE d.contract_id = 'dc-s400-2018'")


def test_connect_has_a_table_per_table_with_every_row():
    con = ird.connect()
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == set(ird.tables())
    for name in ird.tables():
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(ird.load(name, "pyarrow"))


def test_connect_joins_contract_to_its_event():
    assert ird.connect().execute(S400_JOIN).fetchall() == [("dc-s400-2018", "evt-summit-2018", "New Delhi")]


def test_connect_keeps_types():
    con = ird.connect()
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'defence_contracts'").fetchall())
    assert types["contract_date"] == "DATE" and types["quantity"] == "BIGINT"
    assert types["value"] == "DOUBLE" and types["value_disputed"] == "BOOLEAN"


def test_sql_cli_table():
    out = run_cli("sql", S400_JOIN)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["contract_id", "event_id", "city"]
    assert "dc-s400-2018" in lines[2] and "New Delhi" in lines[2] and lines[-1] == "(1 row)"


def test_sql_cli_csv():
    out = run_cli("sql", S400_JOIN, "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert list(csv.reader(io.StringIO(out.stdout))) == [
        ["contract_id", "event_id", "city"], ["dc-s400-2018", "evt-summit-2018", "New Delhi"]]


def test_sql_cli_json_dates_and_nulls():
    out = run_cli("sql", "SELECT contract_id, contract_date, production_site, value_disputed FROM defence_contracts "
                  "WHERE contract_id = 'dc-s400-2018'", "--format", "json")
    assert out.returncode == 0, out.stderr
    contracts = ird.load("defence_contracts", "pyarrow")
    row = contracts.filter(pc.equal(contracts["contract_id"], "dc-s400-2018")).to_pylist()[0]
    assert row["production_site"] is None  # the JSON must show it as null
    assert json.loads(out.stdout) == [{"contract_id": "dc-s400-2018", "contract_date": "2018-10-05",
                                       "production_site": None, "value_disputed": row["value_disputed"]}]


@pytest.mark.parametrize("query", ["SELEC 1", "SELECT * FROM no_such_table", "SELECT nope FROM events"])
def test_sql_cli_bad_query_is_one_line(query):
    out = run_cli("sql", query)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("indo-russia-data: SQL error:") and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr
