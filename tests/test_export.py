"""`export`: a SQLite database that matches the models, Datasette metadata, and file copies."""

import json
import sqlite3
from types import SimpleNamespace

import pytest

import indo_russia_data as ird
from indo_russia_data.access.export import SQL_TYPES, export
from indo_russia_data.access.metadata import metadata, table_metadata
from indo_russia_data.schema import TABLES
from indo_russia_data.schema.columns import Column

from conftest import run_cli


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = run_cli("export", "--format", "sqlite", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def db(exported):
    con = sqlite3.connect(exported / "indo_russia_data.sqlite")
    con.execute("PRAGMA foreign_keys=ON")
    yield con
    con.close()


def test_rows_and_keys_are_intact(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for name in ird.tables():
        assert db.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(ird.load(name, "pyarrow")), name


def test_table_info_matches_the_models(db):
    for name, spec in TABLES.items():
        info = db.execute(f"PRAGMA table_info({name})").fetchall()
        got = [(r[1], r[2], bool(r[3]), r[5]) for r in info]
        want = [(c.name, SQL_TYPES[c.kind], c.required, int(c.name == spec.primary_key)) for c in spec.columns]
        assert got == want, name


def test_foreign_keys_include_figure_claims(db):
    keys = {(r[3], r[2], r[4]) for r in db.execute("PRAGMA foreign_key_list(defence_contracts)")}
    assert keys == {("event_id", "events", "event_id"), ("source_id", "sources", "source_id"),
                    ("related_contract_id", "defence_contracts", "contract_id"),
                    ("quantity_claim_id", "claims", "claim_id"), ("value_claim_id", "claims", "claim_id")}
    claims = {r[3] for r in db.execute("PRAGMA foreign_key_list(claims)")}
    assert claims == {"source_id", "contract_id", "figure_id", "event_id", "agreement_id"}


def test_values_are_sqlite_friendly(db):
    row = db.execute("SELECT contract_date, value_disputed, category FROM defence_contracts "
                     "WHERE contract_id = 'dc-s400-2018'").fetchone()
    assert row[0] == "2018-10-05" and row[1] in (0, 1) and row[2] == "air_defence"


def test_join_contract_to_event(db):
    row = db.execute("SELECT e.city FROM defence_contracts d JOIN events e USING (event_id) "
                     "WHERE d.contract_id = 'dc-s400-2018'").fetchone()
    assert row == ("New Delhi",)


@pytest.mark.parametrize("column, value", [("category", "spaceship"), ("value_disputed", 2),
                                           ("contract_date", "05/10/2018"), ("delivery_start_year", 1900)])
def test_checks_reject_bad_values(db, column, value):
    row = {"contract_id": "dc-test", "system": "X", "category": "tank", "supplier": "Russia", "recipient": "India",
           "status": "signed", "source_id": db.execute("SELECT source_id FROM sources").fetchone()[0]}

    def insert(values):
        db.execute(f"INSERT INTO defence_contracts ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                   list(values.values()))

    insert(row)  # the base row is valid...
    db.execute("DELETE FROM defence_contracts WHERE contract_id = 'dc-test'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        insert({**row, column: value})  # ...until one cell breaks a CHECK


def test_foreign_key_and_not_null_enforced(db):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO events (event_id, event_type, name, status, source_id) "
                   "VALUES ('evt-x', 'other', 'x', 'held', 'src-no-such-source')")
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        db.execute("INSERT INTO sources (source_id) VALUES ('src-x')")


def test_column_descriptions_are_comments_in_sqlite_master(db):
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    for col in TABLES["events"].columns:
        line = next(ln for ln in sql.splitlines() if ln.strip().startswith(f'"{col.name}" '))
        assert line.endswith(f"-- {col.description}"), line
    assert "City where the event was actually held" in sql


def test_export_is_deterministic(tmp_path):
    export(tmp_path / "a", "sqlite")
    export(tmp_path / "b", "sqlite")
    for name in ("indo_russia_data.sqlite", "metadata.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_metadata_json(exported):
    meta = json.loads((exported / "metadata.json").read_text(encoding="utf-8"))
    assert meta == metadata()
    assert meta["license"] == "CC-BY-4.0" and meta["license_url"].startswith("https://creativecommons.org/")
    assert meta["source"] and meta["source_url"] and meta["title"] and meta["description"]
    tables = meta["databases"]["indo_russia_data"]["tables"]
    assert list(tables) == ird.tables()
    for name, spec in TABLES.items():
        t = tables[name]
        assert t["title"] == spec.title and t["description"] == spec.description and t["license"] == "CC-BY-4.0"
        assert t["columns"] == {c.name: c.description for c in spec.columns}
        sort = t.get("sort") or t.get("sort_desc")
        assert sort in t["columns"], name
    assert tables["defence_contracts"]["sort_desc"] == "contract_date"


def test_metadata_units_come_from_column_units():
    spec = SimpleNamespace(name="t", title="T", description="d", columns=(
        Column("distance", "number", False, "How far.", unit="km"), Column("label", "string", False, "A label.")))
    assert table_metadata(spec)["units"] == {"distance": "km"}
    assert "units" not in table_metadata(TABLES["sources"])  # no shipped column declares a unit yet


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_files(tmp_path, fmt):
    out = run_cli("export", "--format", fmt, "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["datapackage.json", ".indo-russia-data-export.json"] + [f"{n}.{fmt}" for n in ird.tables()])
    for name in ird.tables():
        assert (tmp_path / f"{name}.{fmt}").read_bytes() == ird.path(name, fmt).read_bytes()
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} == {f"{n}.{fmt}" for n in ird.tables()}


def test_export_csv_package_is_valid(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    export(tmp_path, "csv")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_export_bad_format_is_usage_error(tmp_path):
    out = run_cli("export", "--format", "xlsx", "--out", str(tmp_path))
    assert out.returncode == 2 and "invalid choice" in out.stderr
