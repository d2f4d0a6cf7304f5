"""Official snapshots: checked, converted offline, preferred over press figures, and summed correctly."""

import json
import shutil
from collections import defaultdict

import pytest

import indo_russia_data as ird
from indo_russia_data.build import BuildError, render, snapshots

from conftest import ROOT, run_cli

RAW = ROOT / "raw"


def test_every_snapshot_matches_its_recorded_sha256_and_names_its_origin():
    folders = snapshots.folders(RAW)
    assert [f.name for f in folders] == ["tradestat-country-fy", "tradestat-hs2-fy"]
    for folder in folders:
        meta, _ = snapshots.read(folder)
        assert meta["publisher"].startswith("Department of Commerce")
        assert len(meta["obtained"]["mirror_commit"]) == 40 and meta["terms"] and meta["checks"]
        assert meta["source"]["kind"] == "official"


def test_conversion_is_pure_and_repeatable():
    assert snapshots.generate(RAW) == snapshots.generate(RAW)


def test_fy2022_23_official_total_replaces_the_provisional_press_figure():
    row = ird.load("trade_figures").set_index("figure_id").loc["tf-in-total-fy2022-23"]
    assert row["value"] == 49_359_920_000  # 3,147.21 + 46,212.71 US$ million
    assert row["value_claim_id"] == "clm-in-total-fy2022-23-tradestat" and bool(row["value_disputed"])
    claims = ird.load("claims").set_index("claim_id")
    assert claims.loc["clm-in-total-fy2022-23-firstpost", "value"] == 44.4e9  # kept beside it
    assert not claims.loc["clm-in-total-fy2022-23-firstpost", "is_preferred"]


def test_every_fiscal_year_of_the_release_has_official_exports_imports_and_total():
    meta, data = snapshots.read(RAW / "snapshots" / "tradestat-country-fy")
    russia = next(c for c in data["countries"] if c["name"] == "RUSSIA")
    figures = ird.load("trade_figures")
    figures = figures[(figures.reporter == "india") & (figures.measure == "value")].set_index("period_label")
    for i, year in enumerate(data["years"]):
        label = snapshots.fiscal_year(int(year[:4]))[0]
        rows = figures.loc[[label]].set_index("flow")
        exp, imp = round(russia["exp"][i] * 1e6), round(russia["imp"][i] * 1e6)
        assert rows.loc["india_exports", "value"] == exp, label
        assert rows.loc["india_imports", "value"] == imp, label
        assert rows.loc["total", "value"] == exp + imp, label
        assert rows["value_claim_id"].str.endswith("-tradestat").all(), label
    assert len(data["years"]) == 16


def test_hs_chapters_add_up_to_the_official_country_totals():
    ct = ird.load("commodity_trade", backend="pyarrow").to_pylist()
    sums, counts = defaultdict(float), defaultdict(int)
    for r in ct:
        assert r["unit"] == "USD million" and r["product_level"] == len(r["product_code"]) == 2
        sums[(r["flow"], r["period_label"])] += r["value"]
        counts[(r["flow"], r["period_label"])] += 1
    figures = ird.load("trade_figures").set_index("figure_id")
    assert len(sums) == 4
    for (flow, label), total in sums.items():
        word = {"india_exports": "exports", "india_imports": "imports"}[flow]
        official = figures.loc[f"tf-in-{word}-{label.lower()}", "value"] / 1e6
        # each chapter is rounded to US$0.01 million
        assert abs(total - official) <= 0.005 * counts[(flow, label)], (flow, label, total, official)


def test_crude_oil_chapter_is_most_of_fy2024_25_imports():
    ct = ird.load("commodity_trade").set_index("row_id")
    row = ct.loc["ct-in-imports-fy2024-25-hs27"]
    assert row["value"] == 56873.19 and row["status"] == "final"
    assert row["product_name"].startswith("Mineral Fuels, Mineral Oils")
    assert ct.loc["ct-in-imports-fy2025-26-hs27", "status"] == "provisional"


def test_a_raw_claim_may_point_at_a_figure_only_a_snapshot_adds(tmp_path):
    keys = snapshots.ids(RAW)
    assert "tf-in-exports-fy2012-13" in keys["trade_figures"]
    assert "src-tradestat-2026-06-10-country-wise" in keys["sources"]


def test_an_edited_snapshot_stops_the_build(checkout):
    data = checkout / "raw" / "snapshots" / "tradestat-country-fy" / "india_trade_country_slim.russia.json"
    data.write_text(data.read_text(encoding="utf-8").replace("46212.71", "46212.72"), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        render(checkout)
    assert any("sha256" in p and "india_trade_country_slim.russia.json" in p for p in exc.value.problems)
    out = run_cli("build", "--check", "--root", str(checkout))
    assert out.returncode == 1 and "sha256" in out.stderr and "Traceback" not in out.stderr


def test_a_snapshot_row_that_breaks_its_model_is_reported(checkout):
    folder = checkout / "raw" / "snapshots" / "tradestat-hs2-fy"
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    doc = json.loads((folder / meta["file"]).read_text(encoding="utf-8"))
    doc["country_commodity_data"]["Russia"]["import"]["chapters"][0]["hs"] = "2709x"
    (folder / meta["file"]).write_text(json.dumps(doc), encoding="utf-8")
    meta["sha256"] = snapshots.sha256(folder / meta["file"])
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        render(checkout)
    assert any("ct-in-imports-fy2024-25-hs2709x" in p and "product_code" in p for p in exc.value.problems)


def test_build_without_snapshots_is_stale_not_broken(checkout):
    shutil.rmtree(checkout / "raw" / "snapshots")
    out = run_cli("build", "--check", "--root", str(checkout))
    assert out.returncode == 1 and "commodity_trade.csv" in out.stderr and "Traceback" not in out.stderr


def test_extracts_are_what_the_refresh_script_makes_from_upstream():
    """An extract of an extract is the extract: the committed bytes are the script's own output."""
    for folder in snapshots.folders(RAW):
        meta, data = snapshots.read(folder)
        assert snapshots.EXTRACTS[meta["format"]](data, meta) == (folder / meta["file"]).read_bytes(), folder.name


def test_refresh_script_reproduces_the_committed_extract_from_a_fuller_upstream(monkeypatch, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh", ROOT / "scripts" / "refresh_snapshots.py")
    refresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(refresh)
    folder = RAW / "snapshots" / "tradestat-country-fy"
    _, extract = snapshots.read(folder)
    upstream = dict(extract, totals={"exp": [1.0], "imp": [2.0]})
    upstream["countries"] = [{"name": "U S A", "exp": [1.5], "imp": [2.5]}, *extract["countries"]]
    monkeypatch.setattr(refresh, "fetch", lambda url, timeout: json.dumps(upstream).encode())
    assert refresh.refresh(folder, None, 1.0, dry_run=True) == 0
    assert "unchanged" in capsys.readouterr().out
    assert refresh.main(["--check"]) == 0 and refresh.main(["no-such-snapshot"]) == 2


def test_coverage_marks_years_resting_on_press_figures_only():
    from indo_russia_data.access import coverage, loader

    tables = loader.rows()
    by_year = {m["period"]: m for m in coverage.trade_matrix(tables)}
    assert by_year["FY2010-11"]["total_official"] and by_year["FY2025-26"]["india_imports_official"]
    assert by_year["FY2000-01"]["total"] and not by_year["FY2000-01"]["total_official"]
    assert "trade FY2000-01: India-reported total rests on press figures only" in coverage.gaps(tables)
    assert "| FY2010-11 | 1 (official) |" in coverage.markdown(tables)
