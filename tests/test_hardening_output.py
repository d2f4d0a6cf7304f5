"""Issue 12, output side: the shipped files are verified, SQL cannot write them, diff stays in
its release, export and build do not clobber or half-write."""

import shutil

import pytest

import indo_russia_data as ird
from indo_russia_data.access import loader
from indo_russia_data.paths import PACKAGE_DATA

from conftest import run_cli


def test_a_flipped_byte_in_a_shipped_parquet_file_is_caught(tmp_path, monkeypatch):
    from indo_russia_data.schema.integrity import IntegrityError

    data = tmp_path / "data"
    shutil.copytree(PACKAGE_DATA, data)
    target = data / "claims.parquet"
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    target.write_bytes(bytes(raw))
    monkeypatch.setattr(loader, "PACKAGE_DATA", data)
    assert ird.load("events", "pyarrow").num_rows > 0  # the others still load
    with pytest.raises(IntegrityError, match="claims.parquet has been altered"):
        ird.load("claims")
    with pytest.raises(IntegrityError, match="claims.parquet"):
        ird.path("claims")


def test_sql_cannot_overwrite_the_shipped_data():
    pytest.importorskip("duckdb")
    target = ird.path("claims")
    before = target.read_bytes()
    out = run_cli("sql", f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)")
    assert out.returncode == 2 and "SQL error" in out.stderr
    assert target.read_bytes() == before
    out = run_cli("sql", "SELECT * FROM read_csv('/etc/passwd')")
    assert out.returncode == 2 and "root" not in out.stdout


def _release_with(tmp_path, descriptor):
    import json

    folder = tmp_path / "rel"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


@pytest.mark.parametrize("where", ["/etc/passwd", "../../etc/passwd", "sub/../../x.csv"])
def test_diff_stays_inside_the_release(tmp_path, where):
    schema = {"fields": [{"name": "root:x"}], "primaryKey": "root:x"}
    folder = _release_with(tmp_path, {"resources": [{"name": "t", "path": where, "schema": schema}]})
    out = run_cli("diff", str(folder), str(PACKAGE_DATA))
    assert out.returncode == 2 and "outside the release" in out.stderr
    assert "root:" not in out.stdout


@pytest.mark.parametrize("descriptor", [[], {"resources": {}}, {"resources": [1]},
                                        {"resources": [{"name": "t", "path": "t.csv", "schema": []}]}])
def test_diff_rejects_malformed_descriptors(tmp_path, descriptor):
    out = run_cli("diff", str(_release_with(tmp_path, descriptor)), str(PACKAGE_DATA))
    assert out.returncode == 2 and "malformed" in out.stderr and "Traceback" not in out.stderr


def test_diff_caps_what_it_decompresses(tmp_path, monkeypatch):
    import zipfile

    from indo_russia_data.access import releases

    wheel = tmp_path / "bomb-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("indo_russia_data/data/datapackage.json", b"{}")
        zf.writestr("indo_russia_data/data/claims.parquet", b"\0" * (4 << 20))
    monkeypatch.setattr(releases, "MAX_MEMBER_BYTES", 1 << 20)
    read = releases._wheel_reader(wheel)
    assert read("datapackage.json") == b"{}"
    with pytest.raises(ValueError, match="decompresses to more than"):
        read("claims.parquet")


def test_export_does_not_overwrite_what_it_did_not_write(tmp_path):
    mine = tmp_path / "datapackage.json"
    mine.write_text('{"mine": true}', encoding="utf-8")
    out = run_cli("export", "--format", "csv", "--out", str(tmp_path))
    assert out.returncode == 2 and "--force" in out.stderr and "datapackage.json" in out.stderr
    assert mine.read_text(encoding="utf-8") == '{"mine": true}'
    assert not (tmp_path / "claims.csv").exists()
    assert run_cli("export", "--format", "csv", "--out", str(tmp_path), "--force").returncode == 0
    assert run_cli("export", "--format", "csv", "--out", str(tmp_path)).returncode == 0  # its own files: fine


def _consistent(data):
    import hashlib
    import json

    declared = {r["path"]: r["hash"] for r in json.loads((data / "datapackage.json").read_text())["resources"]}
    return all("sha256:" + hashlib.sha256((data / name).read_bytes()).hexdigest() == h
               for name, h in declared.items())


def test_an_interrupted_build_leaves_one_whole_set_and_the_next_cleans_up(checkout, monkeypatch):
    import os

    from indo_russia_data.build import swap
    from indo_russia_data.build.pipeline import render, write

    data = checkout / "src" / "indo_russia_data" / "data"
    raw = checkout / "raw" / "events.csv"
    raw.write_text(raw.read_text(encoding="utf-8").replace("Putin's one-day visit", "Putin's one-day trip"),
                   encoding="utf-8")
    built = render(checkout)
    before = (data / "events.csv").read_bytes()
    (checkout / ".build-new-99999").mkdir()  # a staging folder a killed build left
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)  # the two-rename path, killed between them
    real_rename, calls = os.rename, []

    def dying_rename(a, b):
        calls.append(a)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_rename(a, b)

    monkeypatch.setattr(swap.os, "rename", dying_rename)
    with pytest.raises(KeyboardInterrupt):
        write(checkout, built)
    monkeypatch.setattr(swap.os, "rename", real_rename)
    assert not data.exists()  # the old set waits beside it, whole
    write(checkout, built)
    assert _consistent(data) and (data / "events.csv").read_bytes() != before
    assert list(checkout.glob(".build-*")) == []
