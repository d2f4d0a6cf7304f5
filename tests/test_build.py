"""The build: deterministic, stale-detecting, and harmless when it fails."""

import hashlib
from pathlib import Path

from indo_russia_data.build.pipeline import BuildError, render, stale, write

from conftest import ROOT, run_cli


def digest(root: Path) -> dict[str, str]:
    files = [root / "datapackage.json", root / "README.md", *sorted((root / "src/indo_russia_data/data").iterdir())]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_two_builds_are_byte_identical(checkout):
    first = render(checkout)
    write(checkout, first)
    before = digest(checkout)
    second = render(checkout)
    assert first.files == second.files
    assert write(checkout, second) == []
    assert digest(checkout) == before


def test_committed_build_is_current():
    assert stale(ROOT, render(ROOT)) == [], "run `indo-russia-data build` and commit the result"


def test_check_mode_fails_when_raw_changes(checkout):
    raw = checkout / "raw" / "events.csv"
    text = raw.read_text(encoding="utf-8")
    assert "Putin's one-day visit" in text
    raw.write_text(text.replace("Putin's one-day visit", "Putin's one-day trip"), encoding="utf-8")
    out = run_cli("build", "--check", "--root", str(checkout))
    assert out.returncode == 1
    assert "stale" in out.stderr and "events.csv" in out.stderr
    assert "Traceback" not in out.stderr


def test_failed_build_writes_nothing_and_reports_every_problem(checkout):
    before = digest(checkout)
    raw_before = {p.name: p.read_bytes() for p in (checkout / "raw").iterdir() if p.is_file()}
    claims = checkout / "raw" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",exact,", ",exactly,", 1)
    lines.append(lines[2])  # a repeated claim id
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw_before["claims.csv"] = claims.read_bytes()
    out = run_cli("build", "--root", str(checkout))
    assert out.returncode == 1
    assert "line 2:" in out.stderr and "qualifier" in out.stderr and "(constraint-error)" in out.stderr
    assert f"line {len(lines)}:" in out.stderr and "(primary-key)" in out.stderr
    assert "nothing was written" in out.stderr and "Traceback" not in out.stderr
    assert digest(checkout) == before
    assert {p.name: p.read_bytes() for p in (checkout / "raw").iterdir() if p.is_file()} == raw_before


def test_inconsistent_claim_stops_the_build(checkout):
    events = checkout / "raw" / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert ",Vladivostok," in text
    events.write_text(text.replace(",Vladivostok,", ",Khabarovsk,"), encoding="utf-8")
    try:
        render(checkout)
    except BuildError as exc:
        assert any("evt-summit-2019: city is 'Khabarovsk'" in p for p in exc.problems)
    else:
        raise AssertionError("a city no claim supports must stop the build")
