"""`add`: a submission is appended to raw/ and built, or nothing is written at all."""

import csv
from pathlib import Path

import pytest

from indo_russia_data import cli
from indo_russia_data.build import pipeline as build

from conftest import run_cli

SOURCE_HEADER = "source_id,publisher,title,author,published_date,published_precision,date_basis,url,kind,language,note"
SOURCE = ("src-example-2021-12-06-s400,Example Daily,S-400 deliveries begin,,2021-12-06,day,dateline,"
          "https://example.org/2021/12/06/s400,news,en,")
# The submission's columns in another order than raw/claims.csv (source_id first).
CLAIM_HEADER = ("source_id,claim_id,contract_id,figure_id,event_id,agreement_id,field,value_as_stated,value,"
                "value_low,value_high,qualifier,unit,value_text,value_date,date_precision,attributed_to,note")
CLAIM = 'src-example-2021-12-06-s400,clm-s400-qty-example,dc-s400-2018,,,,quantity,"five ""S-400"" units",5,,,exact,items,,,,,'
CLAIM_AS_RAW = 'clm-s400-qty-example,src-example-2021-12-06-s400,dc-s400-2018,,,,quantity,"five ""S-400"" units",5,,,exact,items,,,,,'


def files(root: Path) -> dict[str, bytes]:
    """Every file of the checkout, so a test sees any write, leftover or deletion."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differing(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def submission(folder: Path, claim: str = CLAIM, source: str = SOURCE) -> list[str]:
    folder.mkdir(exist_ok=True)
    (folder / "sources.csv").write_text(f"{SOURCE_HEADER}\n{source}\n", encoding="utf-8")
    (folder / "claims.csv").write_text(f"{CLAIM_HEADER}\n{claim}\n", encoding="utf-8")
    return [str(folder / "sources.csv"), str(folder / "claims.csv")]


def test_a_source_and_a_claim_are_appended_and_built(checkout, tmp_path):
    raw_before = {n: (checkout / "raw" / n).read_bytes() for n in ("sources.csv", "claims.csv")}
    out = run_cli("add", *submission(tmp_path / "new"), "--root", str(checkout))
    assert out.returncode == 0, out.stderr
    # appended after the old bytes, in raw/claims.csv's column order, quoted as the raw files are
    assert (checkout / "raw/sources.csv").read_bytes() == raw_before["sources.csv"] + (SOURCE + "\n").encode()
    assert (checkout / "raw/claims.csv").read_bytes() == raw_before["claims.csv"] + (CLAIM_AS_RAW + "\n").encode()
    assert "sources:\n  1 row(s) added: src-example-2021-12-06-s400" in out.stdout
    assert "claims:\n  1 row(s) added: clm-s400-qty-example" in out.stdout
    assert "required bump: minor (0.2.0 → 0.3.0)" in out.stdout
    assert "added 1 row(s) to raw/sources.csv, 1 row(s) to raw/claims.csv and rebuilt" in out.stdout
    with open(checkout / "src/indo_russia_data/data/claims.csv", newline="", encoding="utf-8") as f:
        built = {r["claim_id"]: r for r in csv.DictReader(f)}
    assert built["clm-s400-qty-example"]["value_as_stated"] == 'five "S-400" units'
    check = run_cli("build", "--check", "--root", str(checkout))
    assert check.returncode == 0, check.stderr


def test_a_bad_cell_is_reported_at_its_line_and_nothing_is_written(checkout, tmp_path):
    before = files(checkout)
    bad = CLAIM.replace(",exact,", ",exactly,")
    out = run_cli("add", *submission(tmp_path / "new", claim=bad), "--root", str(checkout))
    assert out.returncode == 1
    assert "claims.csv: 1 problem(s) in 1 rows" in out.stderr
    assert "line 2:\n  qualifier: 'exactly' is not one of" in out.stderr and "(constraint-error)" in out.stderr
    assert "nothing was written" in out.stderr and "Traceback" not in out.stderr
    assert not differing(before, files(checkout))


def test_a_shipped_id_is_refused(checkout, tmp_path):
    before = files(checkout)
    shipped = "src-tass-2021-11-01-varma-interview"
    assert f"\n{shipped}," in (checkout / "raw/sources.csv").read_text(encoding="utf-8")
    new = submission(tmp_path / "new", source=SOURCE.replace("src-example-2021-12-06-s400", shipped))
    out = run_cli("add", new[0], "--root", str(checkout))
    assert out.returncode == 1
    assert f"source_id: id '{shipped}' is already used by a row that ships" in out.stderr
    assert not differing(before, files(checkout))


def test_dry_run_shows_the_diff_and_writes_nothing(checkout, tmp_path):
    before = files(checkout)
    out = run_cli("add", *submission(tmp_path / "new"), "--dry-run", "--root", str(checkout))
    assert out.returncode == 0, out.stderr
    assert "1 row(s) added: clm-s400-qty-example" in out.stdout and "required bump: minor" in out.stdout, out.stdout
    assert "dry run: would add 1 row(s) to raw/sources.csv, 1 row(s) to raw/claims.csv; nothing was written" in out.stdout
    assert not differing(before, files(checkout))
    real = run_cli("add", *submission(tmp_path / "new"), "--root", str(checkout))
    assert real.returncode == 0, real.stderr
    # the same reports and diff; only the last line differs
    assert real.stdout.rsplit("\n", 2)[0] == out.stdout.rsplit("\n", 2)[0], (out.stdout, real.stdout)


EVENT_HEADER = ("event_id,event_type,name,ordinal,start_date,end_date,date_precision,city,country,planned_city,status,"
                "mode,occasion_id,source_id,note")


def test_a_submission_the_build_rejects_writes_nothing(checkout, tmp_path):
    before = files(checkout)
    # Each file is valid, but the event's city is one that no claim about it supports: the build refuses.
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "events.csv").write_text(
        f"{EVENT_HEADER}\nevt-test-visit-2026,visit,Test visit,,2026-01-05,,day,Goa,India,,held,in_person,,"
        "src-tass-2021-11-01-varma-interview,\n", encoding="utf-8")
    (folder / "claims.csv").write_text(
        f"{CLAIM_HEADER}\nsrc-tass-2021-11-01-varma-interview,clm-test-visit-city,,,evt-test-visit-2026,,city,"
        "in Moscow,,,,,,Moscow,,,,\n", encoding="utf-8")
    out = run_cli("add", str(folder / "events.csv"), str(folder / "claims.csv"), "--root", str(checkout))
    assert out.returncode == 1
    assert "events evt-test-visit-2026: city is 'Goa' in raw/events.csv but no claim supports it" in out.stderr
    assert "nothing was written" in out.stderr
    assert not differing(before, files(checkout))


def test_an_attribute_claim_without_its_value_is_refused_by_validate(checkout, tmp_path):
    claim = "src-tass-2021-11-01-varma-interview,clm-summit-2019-city-x,,,evt-summit-2019,,city,in Vladivostok,,,,,,,,,,"
    new = submission(tmp_path / "new", claim=claim)
    out = run_cli("validate", new[1])
    assert out.returncode == 1 and "(ird/required-when)" in out.stdout and "value_text or value_date" in out.stdout


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_while_rebuilding_restores_every_file(checkout, tmp_path, monkeypatch, capsys, failure):
    before = files(checkout)
    real_write = build.write

    def write_then_fail(root, built):
        real_write(root, built)  # the new build is in place when the failure comes
        assert files(checkout) != before
        raise failure

    monkeypatch.setattr(build, "write", write_then_fail)
    code = cli.main(["add", *submission(tmp_path / "new"), "--root", str(checkout)])
    err = capsys.readouterr().err
    if isinstance(failure, KeyboardInterrupt):
        assert code == 130 and "interrupted: nothing was added" in err
    else:
        assert code == 2 and "No space left on device" in err and "restored byte for byte" in err
    assert not differing(before, files(checkout))


def test_unusable_input_is_one_line_and_exit_2(checkout, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    cases = [
        (["add", str(tmp_path / "notes.csv"), "--root", str(checkout)], "name the file after its table (sources.csv, events.csv"),
        (["add", str(tmp_path / "claims.csv"), "--root", str(checkout)], "no such file"),
        (["add", str(checkout / "raw/claims.csv"), "--root", str(checkout)], "the table itself"),
        (["add", *submission(tmp_path / "new"), "--root", str(tmp_path / "new")], "add needs a checkout"),
    ]
    before = files(checkout)
    for args, message in cases:
        out = run_cli(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert message in out.stderr and out.stderr.count("\n") == 1, out.stderr
    assert not differing(before, files(checkout))
