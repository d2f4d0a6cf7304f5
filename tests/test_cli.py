"""The command line: exit codes 0/1/2 and a sentence, never a traceback."""

import json

import pytest

from conftest import FIXTURES, ROOT, run_cli


def test_tables_show_info():
    assert "defence_contracts" in run_cli("tables").stdout
    out = run_cli("show", "events", "--rows", "3", "--columns", "event_id,city")
    assert out.returncode == 0 and "event_id" in out.stdout and "showing 3" in out.stdout
    info = run_cli("info")
    assert info.returncode == 0 and "claims" in info.stdout and "sources" in info.stdout


def test_validate_valid_file():
    out = run_cli("validate", str(ROOT / "raw" / "claims.csv"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "valid" in out.stdout


def test_validate_invalid_file_json():
    out = run_cli("validate", str(FIXTURES / "invalid_trade_figures.csv"), "--table", "trade_figures",
                  "--format", "json", "--max-errors", "3")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["valid"] is False and report["table"] == "trade_figures" and report["rows"] == 12
    assert [e["line"] for e in report["errors"]] == [3, 4, 5] and report["omitted"] == 14
    assert set(report["errors"][0]) == {"line", "column", "value", "code", "message"}


@pytest.mark.parametrize("args, needle", [
    (["validate", "/nonexistent/claims.csv"], "no such file"),
    (["validate", str(ROOT / "README.md")], "cannot tell the table"),
    (["validate", str(ROOT / "raw" / "claims.csv"), "--table", "nope"], "unknown table 'nope'"),
    (["validate", str(ROOT / "raw")], "is a directory"),
    (["show", "nope"], "unknown table 'nope'"),
])
def test_bad_input_exits_2_with_a_reason(args, needle):
    out = run_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr


def test_binary_file_is_reported_not_crashed(tmp_path):
    p = tmp_path / "claims.csv"
    p.write_bytes(bytes(range(256)) * 4)
    out = run_cli("validate", str(p))
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr


def test_build_outside_a_checkout(tmp_path):
    out = run_cli("build", cwd=tmp_path)
    assert out.returncode == 2 and "checkout" in out.stderr


def test_coverage_lists_gaps():
    out = run_cli("coverage")
    assert out.returncode == 0
    assert "FY2010-11" in out.stdout and "gap(s)" in out.stdout


def test_files_sent_together_may_point_at_each_other(tmp_path):
    (tmp_path / "defence_contracts.csv").write_text(
        "contract_id,system,designation,category,supplier,recipient,contract_date,date_precision,production,stage,"
        "related_contract_id,production_site,status,delivery_start_year,event_id,source_id,note\n"
        "dc-test-new-2026,Test system,,other,Russia,India,,,,,,,planned,,,src-ht-2021-12-06-jaishankar-lavrov,\n")
    (tmp_path / "claims.csv").write_text(
        "claim_id,source_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,value_low,"
        "value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note\n"
        "clm-test-new,src-ht-2021-12-06-jaishankar-lavrov,dc-test-new-2026,,,,quantity,five,5,,,exact,items,,,,,\n")
    alone = run_cli("validate", str(tmp_path / "claims.csv"), "--format", "json")
    assert alone.returncode == 1
    assert [e["code"] for e in json.loads(alone.stdout)["errors"]] == ["foreign-key"]
    together = run_cli("validate", str(tmp_path / "claims.csv"), str(tmp_path / "defence_contracts.csv"),
                       "--format", "json")
    assert together.returncode == 0, together.stdout
    assert json.loads(together.stdout)["valid"] is True
