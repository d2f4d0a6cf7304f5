"""diff reads a release in any form it ships in: the same data gives "no changes"."""

import shutil
import subprocess
import zipfile

import pytest

from indo_russia_data.access import diff
from indo_russia_data.access.export import export
from indo_russia_data.paths import DATA_REL, PACKAGE_DATA
from indo_russia_data.schema import TABLES

from conftest import run_cli


@pytest.fixture
def exports(tmp_path):
    out = {fmt: tmp_path / fmt for fmt in ("parquet", "csv")}
    for fmt, folder in out.items():
        export(folder, fmt)
    return out


def level(old, new, cwd=None):
    a, b = diff.open_release(str(old), cwd=cwd), diff.open_release(str(new), cwd=cwd)
    changes = diff.compare(a, b)
    assert list(a.tables) == list(TABLES) and list(b.tables) == list(TABLES)
    return diff.bump(changes)[0], {d.name: d for d in changes}


def test_parquet_export_is_read_as_tables_not_as_nothing(exports):
    r = run_cli("diff", str(exports["parquet"]), str(PACKAGE_DATA))
    assert r.returncode == 0, r.stderr
    assert "added" not in r.stdout and r.stdout.count(": no changes") == len(TABLES)
    assert r.stdout.rstrip().endswith("required bump: none")
    release = diff.open_release(str(exports["parquet"]))
    assert len(release.tables["claims"].rows) == len((PACKAGE_DATA / "claims.csv").read_text().splitlines()) - 1


def test_parquet_and_csv_exports_compare_equal_with_or_without_descriptor(exports):
    assert level(exports["parquet"], exports["csv"])[0] == "none"
    for folder in exports.values():
        (folder / "datapackage.json").unlink()
    assert level(exports["csv"], PACKAGE_DATA)[0] == "none"
    assert level(PACKAGE_DATA, exports["parquet"])[0] == "none"
    assert level(exports["parquet"], exports["csv"])[0] == "none"


def test_a_real_change_is_still_seen_across_formats(exports):
    events = exports["csv"] / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = lines[-1].split(",")[0]
    events.write_text("".join(lines[:-1]), encoding="utf-8")
    (exports["csv"] / "datapackage.json").unlink()
    bump, changes = level(exports["parquet"], exports["csv"])
    assert changes["events"].removed == [dropped] and bump == "minor"


def test_wheel_of_parquet_files(exports, tmp_path):
    wheel = tmp_path / "indo_russia_data-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for p in sorted(exports["parquet"].iterdir()):
            zf.write(p, f"indo_russia_data/data/{p.name}")
    assert level(wheel, exports["csv"])[0] == "none"


def test_checkout_with_and_without_its_root_descriptor(checkout, exports):
    assert level(checkout, exports["parquet"])[0] == "none"
    (checkout / "datapackage.json").unlink()
    assert level(exports["csv"], checkout)[0] == "none"


def test_git_revisions_named_from_another_folder(checkout, exports, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       cwd=checkout, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_cli("diff", "HEAD", str(exports["parquet"]), "--repo", str(checkout), cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith("required bump: none")
    gaps = checkout / DATA_REL / "gaps.csv"
    lines = gaps.read_text(encoding="utf-8").splitlines(keepends=True)
    (checkout / DATA_REL / "gaps.parquet").unlink()  # the CSV alone now carries the table
    gaps.write_text("".join(lines[:-1]), encoding="utf-8")
    git("commit", "-qam", "drop a gap")
    r = run_cli("diff", "HEAD~1", "HEAD", "--repo", str(checkout), cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert f"1 row(s) removed: {lines[-1].split(',')[0]}" in r.stdout
    r = run_cli("diff", "HEAD", str(exports["parquet"]), cwd=elsewhere)
    assert r.returncode == 2 and "--repo" in r.stderr and "Traceback" not in r.stderr


def test_a_folder_of_other_files_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    r = run_cli("diff", str(tmp_path), str(PACKAGE_DATA))
    assert r.returncode == 2 and "no datapackage.json and no <table>.parquet" in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize("content, needle", [
    ("event_id,name\nevt-a,A\nevt-a,B\n", "id 'evt-a' appears twice"),
    ("x,y\n1,2\n", "has no column 'event_id'"),
])
def test_a_broken_csv_release_is_refused(tmp_path, content, needle):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "events.csv").write_text(content, encoding="utf-8")
    r = run_cli("diff", str(folder), str(PACKAGE_DATA))
    assert r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1


def test_csv_only_against_parquet_only_folders(tmp_path):
    import shutil

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(PACKAGE_DATA / "events.csv", a)
    shutil.copy(PACKAGE_DATA / "events.parquet", b)
    for _ in range(3):  # reading Parquet from memory once aborted the process at exit (rc 134)
        r = run_cli("diff", str(a), str(b))
        assert r.returncode == 0 and "events: no changes" in r.stdout, r.stderr
