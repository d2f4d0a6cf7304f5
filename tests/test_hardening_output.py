"""Issue 12, output side: the shipped files are verified, SQL cannot write them, diff stays in
its release, export and build do not clobber or half-write."""

import shutil

import pytest

import indo_russia_data as ird
from indo_russia_data import loader
from indo_russia_data.integrity import IntegrityError
from indo_russia_data.paths import PACKAGE_DATA

from conftest import run_cli


def test_a_flipped_byte_in_a_shipped_parquet_file_is_caught(tmp_path, monkeypatch):
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
