"""Release diff: rows and schema compared by primary key, and the version bump they require."""

import datetime as dt
import json
import shutil
import subprocess
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from indo_russia_data.access import diff, releases
from indo_russia_data.paths import PACKAGE_DATA

from conftest import ROOT, run_cli


@pytest.fixture
def old_new(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(PACKAGE_DATA, old)
    shutil.copytree(PACKAGE_DATA, new)
    return old, new


def edit(folder, name, change):
    """Rewrite a table's Parquet file through ``change(pyarrow table) -> table``, keeping its metadata."""
    p = folder / f"{name}.parquet"
    table = pq.read_table(p)
    pq.write_table(change(table).replace_schema_metadata(table.schema.metadata), p)


def run(old, new):
    a, b = diff.open_release(str(old)), diff.open_release(str(new))
    changes = {d.name: d for d in diff.compare(a, b)}
    return changes, diff.bump(list(changes.values()))[0]


def test_identical_releases_need_no_bump(old_new):
    changes, level = run(*old_new)
    assert level == "none" and all(d.empty() for d in changes.values())


def test_added_row_is_minor(old_new):
    old, new = old_new

    def add(t):
        row = t.slice(0, 1).to_pylist()[0]
        row["event_id"] = "evt-test-added"
        return pa.concat_tables([t, pa.Table.from_pylist([row], schema=t.schema)])

    edit(new, "events", add)
    changes, level = run(old, new)
    assert changes["events"].added == ["evt-test-added"]
    assert not changes["events"].changed and level == "minor"


def test_changed_value_is_patch_and_names_the_field(old_new):
    old, new = old_new
    first = pq.read_table(old / "trade_figures.parquet").column("figure_id")[0].as_py()

    def change(t):
        values = t.column("value").to_pylist()
        before = values[0]
        values[0] = 123.5
        change.before = before
        return t.set_column(t.schema.get_field_index("value"), t.schema.field("value"), pa.array(values, pa.float64()))

    edit(new, "trade_figures", change)
    changes, level = run(old, new)
    assert changes["trade_figures"].changed == {first: {"value": [releases._cell(change.before), "123.5"]}}
    assert level == "patch"
    a, b = diff.open_release(str(old)), diff.open_release(str(new))
    text = diff.to_text(a, b, diff.compare(a, b))
    assert f"~ {first}: value:" in text and "required bump: patch (0.2.0 → 0.2.1)" in text


def test_dropped_column_is_major(old_new):
    old, new = old_new
    edit(new, "agreements", lambda t: t.drop_columns(["note"]))
    changes, level = run(old, new)
    assert changes["agreements"].columns_removed == ["note"]
    assert not changes["agreements"].changed  # a removed column is not reported again per row
    assert level == "major"


def test_type_change_is_major_and_added_column_minor(old_new):
    old, new = old_new
    edit(new, "events", lambda t: t.set_column(t.schema.get_field_index("ordinal"), "ordinal",
                                                pa.compute.cast(t.column("ordinal"), pa.float64())))
    changes, level = run(old, new)
    assert changes["events"].types_changed == {"ordinal": ["integer", "number"]} and level == "major"
    old2, new2 = old.parent / "o2", old.parent / "n2"
    shutil.copytree(old, old2)
    shutil.copytree(old, new2)
    edit(new2, "events", lambda t: t.append_column("extra", pa.array([None] * len(t), pa.string())))
    changes, level = run(old2, new2)
    assert changes["events"].columns_added == ["extra"] and level == "minor"


def test_removed_table_is_major(old_new):
    old, new = old_new
    package = json.loads((new / "datapackage.json").read_text())
    package["resources"] = [r for r in package["resources"] if not r["name"].startswith("claims")]
    (new / "datapackage.json").write_text(json.dumps(package))
    changes, level = run(old, new)
    assert changes["claims"].status == "removed" and level == "major"
    changes, level = run(new, old)
    assert changes["claims"].status == "added" and level == "minor"


def test_csv_and_parquet_of_the_same_rows_compare_equal(old_new):
    old, new = old_new
    for p in new.glob("*.parquet"):
        p.unlink()
    changes, level = run(old, new)
    assert level == "none", {n: d for n, d in changes.items() if not d.empty()}


def test_wheel_checkout_and_git_revision(old_new, tmp_path):
    old, _ = old_new
    wheel = tmp_path / "indo_russia_data-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for p in sorted(old.iterdir()):
            zf.write(p, f"indo_russia_data/data/{p.name}")
    for spec in (str(wheel), str(ROOT)):
        changes, level = run(old, spec)
        assert level == "none"
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    a, b = diff.open_release("HEAD", cwd=ROOT), diff.open_release(str(old))
    assert a.tables.keys() == b.tables.keys()
    clean = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", releases.DATA_DIR], cwd=ROOT).returncode == 0
    if clean:  # HEAD against the working tree's data: nothing to report
        assert diff.bump(diff.compare(a, b))[0] == "none"


def test_changelog_entry(old_new):
    old, new = old_new
    edit(new, "agreements", lambda t: t.drop_columns(["note"]))
    a, b = diff.open_release(str(old)), diff.open_release(str(new))
    entry = diff.to_changelog(a, b, diff.compare(a, b), date=dt.date(2026, 12, 1))
    assert entry.splitlines()[0] == "## 1.0.0 - 2026-12-01"
    assert "- `agreements`: column `note` removed." in entry


def test_next_version():
    assert [diff.next_version("1.4.2", b) for b in diff.BUMPS] == ["1.4.2", "1.4.3", "1.5.0", "2.0.0"]


def test_diff_command(old_new):
    old, new = old_new
    edit(new, "agreements", lambda t: t.drop_columns(["note"]))
    r = run_cli("diff", str(old), str(new), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["bump"] == "major" and out["next_version"] == "1.0.0"
    r = run_cli("diff", str(old), "no-such-thing")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_diff_reads_back_every_column_kind_the_build_writes():
    from indo_russia_data.schema import TABLES
    from indo_russia_data.schema.arrow_schema import arrow_type

    for spec in TABLES.values():
        for col in spec.columns:
            assert releases._arrow_kind(arrow_type(col)) == col.kind, (spec.name, col.name)
