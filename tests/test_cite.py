"""Citing: credit lines, CITATION.cff, licences, the cite command, and a cheap import."""

import datetime as dt
import re
import subprocess
import sys

import pytest

import indo_russia_data as ird
from indo_russia_data.access import citation

from conftest import ROOT, run_cli


def test_citation_cff_matches_the_package():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", text, re.M).group(1) == ird.__version__
    assert re.search(r"^cff-version: 1\.2\.0$", text, re.M)
    assert re.search(r"^license: \[MIT, CC-BY-4\.0\]$", text, re.M)
    assert re.search(r"^type: dataset$", text, re.M)


def test_cite_starts_with_the_package_line():
    lines = ird.cite("defence_contracts")
    assert lines[0] == f"indo-russia-data contributors (2026). indo-russia-data, version {ird.__version__}. CC BY 4.0."
    assert len(lines) == len(set(lines)) > 1


def test_cite_covers_row_and_claim_sources():
    contracts = ird.load("defence_contracts")
    claims = ird.load("claims")
    sources = ird.load("sources").set_index("source_id")
    wanted = set(contracts["source_id"]) | set(claims.loc[claims["contract_id"].notna(), "source_id"])
    lines = set(ird.cite("defence_contracts"))
    for sid in wanted:
        row = sources.loc[sid].to_dict()
        row = {k: (None if v is None or v != v else v) for k, v in row.items()}
        assert citation.source_line(row) in lines
    assert len(ird.cite("sources")) <= len(sources) + 1
    assert set(ird.cite("claims")) == set(ird.cite("sources")) == set(ird.cite())


def test_source_line_formats():
    base = {"publisher": "TASS", "title": "Talks held", "url": "https://tass.com/1"}
    day = {**base, "published_date": dt.date(2021, 12, 6), "published_precision": "day"}
    assert citation.source_line(day) == "TASS (2021-12-06). Talks held. https://tass.com/1"
    month = {**day, "published_precision": "month", "published_date": dt.date(2021, 12, 1)}
    assert citation.source_line(month).startswith("TASS (2021-12). ")
    year = {**month, "published_precision": "year"}
    assert citation.source_line(year).startswith("TASS (2021). ")
    undated = {"publisher": "MEA", "title": None, "url": None, "published_date": None}
    assert citation.source_line(undated) == "MEA (n.d.)."


def test_licenses():
    assert {ird.licenses(t) for t in ird.tables()} == {"CC-BY-4.0"}
    with pytest.raises(KeyError):
        ird.licenses("nope")


def test_cite_command():
    r = run_cli("cite", "events")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("indo-russia-data contributors")
    r = run_cli("cite", "nope")
    assert r.returncode == 2 and "unknown table" in r.stderr and "Traceback" not in r.stderr


def test_new_functions_keep_the_import_cheap():
    code = ("import sys, indo_russia_data as ird; ird.cite; ird.licenses; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'pydantic', 'numpy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
