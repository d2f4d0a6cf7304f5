"""The analyst's path: provenance in one call, readable output, hints for typos, citations."""

import json
import socket
import subprocess
import sys

import indo_russia_data as ird

from conftest import ROOT, run_cli


def test_why_shows_every_field_the_claims_the_rule_and_the_dispute():
    out = run_cli("why", "dc-ak203-2021")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("defence_contracts dc-ak203-2021\n")
    assert "  quantity: 600,000 items (lower_bound)  [disputed]" in text
    assert "preferred by more authoritative source (rule 1)" in text
    assert "* over 600,000 AK-203 assault rifles [clm-ak203-2021-tass]" in text  # the preferred claim, starred
    assert "- more than 700,000 [clm-ak203-qty-varma]" in text  # a rival, kept
    assert "https://tass.com/defense/1371497" in text
    assert "  production_site: Korwa, Amethi, Uttar Pradesh" in text


def test_why_from_python_and_for_a_source():
    w = ird.why("evt-summit-2021")
    assert w.table == "events" and w.row["documents_signed"] == 28
    assert {c["claim_id"] for c in w.claims} >= {"clm-summit-2021-mint", "clm-summit21-docs-ib"}
    src = str(ird.why("src-tass-2021-11-01-varma-interview"))
    assert src.startswith("sources src-tass-2021-11-01-varma-interview")


def test_why_unknown_ids_get_a_hint_not_a_traceback():
    out = run_cli("why", "dc-s40-2018")
    assert out.returncode == 2 and "did you mean 'dc-s400-2018'?" in out.stderr and "Traceback" not in out.stderr
    out = run_cli("why", "nonsense")
    assert out.returncode == 2 and "ids start with" in out.stderr


def test_claims_for_a_frame_has_one_row_id_column():
    contracts = ird.load("defence_contracts")
    s400 = contracts[contracts["contract_id"] == "dc-s400-2018"]
    claims = ird.claims_for(s400)
    assert set(claims["row_id"]) == {"dc-s400-2018"} and set(claims["row_table"]) == {"defence_contracts"}
    everything = ird.load("claims")
    assert len(claims) == (everything["contract_id"] == "dc-s400-2018").sum()
    trade = ird.claims_for(ird.load("trade_figures").head(2))
    assert set(trade["row_id"]) <= set(ird.load("trade_figures").head(2)["figure_id"])


def test_typos_get_did_you_mean():
    out = run_cli("show", "defence_contract")
    assert out.returncode == 2 and "did you mean 'defence_contracts'?" in out.stderr
    out = run_cli("show", "events", "--columns", "event_id,citty")
    assert out.returncode == 2 and "did you mean 'city'?" in out.stderr


def test_show_prints_key_columns_by_default():
    out = run_cli("show", "defence_contracts", "--rows", "2")
    header = out.stdout.splitlines()[0].split()
    assert header[0] == "contract_id" and "quantity" in header and "note" not in header
    assert "--all for every column" in out.stdout
    wide = run_cli("show", "defence_contracts", "--rows", "2", "--all")
    assert "note" in wide.stdout.splitlines()[0].split()


def test_python_dash_m_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "indo_russia_data", "tables"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0 and "defence_contracts" in out.stdout


def test_serve_fails_cleanly_on_a_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = run_cli("serve", "--port", str(port))
    assert out.returncode == 2 and "already in use" in out.stderr
    assert "serving" not in out.stdout


def test_cite_formats_and_frames():
    bib = run_cli("cite", "defence_contracts", "--format", "bibtex").stdout
    assert bib.startswith("@misc{indo-russia-data,") and "@misc{src-theprint-2021-11-putin-visit," in bib
    assert "\\$5 Billion" in bib  # BibTeX specials escaped
    items = json.loads(run_cli("cite", "events", "--format", "csl-json").stdout)
    assert items[0]["id"] == "indo-russia-data" and items[0]["type"] == "dataset"
    contracts = ird.load("defence_contracts")
    one = contracts[contracts["contract_id"] == "dc-s400-2018"]
    lines = ird.cite(one)
    assert len(lines) < len(ird.cite("defence_contracts"))
    assert any("ac2news.com/2018/10/india-signs-5-billion-deal" in line for line in lines[1:])


def test_validate_a_loaded_frame_ignores_derived_columns():
    report = ird.validate(ird.load("claims").head(3), table="claims")
    assert report.valid, report.to_text()
    frame = ird.load("defence_contracts").head(2)
    frame.loc[0, "system"] = ""
    report = ird.validate(frame, table="defence_contracts")
    assert [(p.line, p.column, p.code) for p in report.errors] == [(2, "system", "constraint-error")]


def test_a_semicolon_separated_file_gets_a_hint(tmp_path):
    f = tmp_path / "claims.csv"
    f.write_text("claim_id;source_id;contract_id\nx;y;z\n", encoding="utf-8")
    out = run_cli("validate", str(f))
    assert out.returncode == 1 and "separated by semicolons" in out.stdout


def test_python_validate_names_table_the_python_way(tmp_path):
    import pytest

    f = tmp_path / "rows.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(Exception, match="table= in Python"):
        ird.validate(f)
