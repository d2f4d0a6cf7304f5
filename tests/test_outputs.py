"""Generated outputs agree with the models: datapackage.json, Parquet schema, README, frictionless."""

import json
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

import indo_russia_data as ird
from indo_russia_data.build.docs import data_dictionary
from indo_russia_data.schema import TABLES
from indo_russia_data.schema.arrow_schema import arrow_schema
from indo_russia_data.schema.datapackage import descriptor
from indo_russia_data.schema.table_schema import table_schema

from conftest import ROOT

PACKAGE = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def test_table_schemas_in_datapackage_match_models():
    by_name = {r["name"]: r for r in PACKAGE["resources"]}
    for name, spec in TABLES.items():
        assert by_name[name]["schema"] == table_schema(spec), name


def test_every_field_has_a_description_and_keys_are_declared():
    for res in PACKAGE["resources"]:
        if res["type"] != "table":
            continue
        assert all(f["description"] for f in res["schema"]["fields"]), res["name"]
        assert res["schema"]["primaryKey"]
    claims = next(r for r in PACKAGE["resources"] if r["name"] == "claims")
    refs = {fk["fields"]: fk["reference"]["resource"] for fk in claims["schema"]["foreignKeys"]}
    assert refs["source_id"] == "sources" and refs["contract_id"] == "defence_contracts"


def test_inner_and_outer_descriptors_differ_only_in_paths():
    inner = json.loads((ROOT / "src/indo_russia_data/data/datapackage.json").read_text(encoding="utf-8"))
    files = {r["path"].split("/")[-1]: {"bytes": r["bytes"], "hash": r["hash"]} for r in inner["resources"]}
    assert descriptor(inner["version"], inner["created"], files, prefix="src/indo_russia_data/data/") == PACKAGE


def test_parquet_schema_matches_models_and_carries_descriptions():
    for name, spec in TABLES.items():
        schema = pq.read_schema(ird.path(name))
        assert schema.equals(arrow_schema(spec, ird.__version__), check_metadata=True), name
        field = schema.field(spec.primary_key)
        assert field.metadata[b"description"]


def test_one_version_everywhere():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in meta["project"]["dynamic"]
    assert PACKAGE["version"] == ird.__version__
    assert f"## {ird.__version__} - " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert pq.read_schema(ird.path("claims")).metadata[b"package_version"].decode() == ird.__version__


def test_readme_data_dictionary_is_generated_from_models():
    assert data_dictionary() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_resource_hashes_and_sizes_match_files():
    import hashlib

    for res in PACKAGE["resources"]:
        data = (ROOT / res["path"]).read_bytes()
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def _frictionless(descriptor_path, cwd):
    return subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor_path)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_frictionless_validates_the_package():
    pytest.importorskip("frictionless")
    out = _frictionless(ROOT / "datapackage.json", ROOT)
    report = json.loads(out.stdout)
    assert report["valid"], out.stdout[:2000]
    assert len(report["tasks"]) == 2 * len(TABLES)  # a CSV and a Parquet file per table


@pytest.mark.slow
def test_frictionless_catches_a_tampered_parquet(tmp_path):
    pytest.importorskip("frictionless")
    shutil.copytree(ROOT / "src/indo_russia_data/data", tmp_path / "data")
    target = tmp_path / "data" / "events.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    out = _frictionless(tmp_path / "data" / "datapackage.json", tmp_path / "data")
    report = json.loads(out.stdout)
    assert not report["valid"]
    bad = [t for t in report["tasks"] if not t["valid"]]
    assert [t["name"] for t in bad] == ["events-parquet"]
    assert bad[0]["errors"][0]["type"] == "hash-count"
