"""The wheel carries the data: install it in a fresh venv and use it from outside the checkout."""

import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_loads_every_table(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, timeout=900)
    wheel = next(dist.glob("indo_russia_data-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for table in ("sources", "events", "agreements", "defence_contracts", "trade_figures", "claims"):
        assert f"indo_russia_data/data/{table}.parquet" in names
        assert f"indo_russia_data/data/{table}.csv" in names
    assert "indo_russia_data/data/datapackage.json" in names
    assert not [n for n in names if n.startswith("indo_russia_data/build/")]  # the generator stays in the checkout

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # Reuse this interpreter's installed dependencies without its editable install of the project:
    # a path listed in a .pth file is added to sys.path, but the .pth files inside it do not run.
    child_site = Path(subprocess.check_output([str(py), "-c", "import site; print(site.getsitepackages()[0])"],
                                              text=True).strip())
    (child_site / "parent_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, timeout=600)

    code = (
        "import csv, indo_russia_data as ird, sys\n"
        "assert ird.__file__.startswith(sys.prefix), ird.__file__\n"
        "for t in ird.tables():\n"
        "    with open(ird.path(t, 'csv'), newline='', encoding='utf-8') as f:\n"
        "        assert len(ird.load(t)) == len(list(csv.reader(f))) - 1, t\n"
        "print(ird.__version__, len(ird.load('claims')))\n"
    )
    out = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    import indo_russia_data as ird

    assert out.stdout.split()[0] == ird.__version__
    cli = subprocess.run([str(venv / "bin" / "indo-russia-data"), "info"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert cli.returncode == 0 and "claims" in cli.stdout, cli.stderr
    check = subprocess.run([str(venv / "bin" / "indo-russia-data"), "validate",
                            str(ROOT / "tests" / "fixtures" / "invalid_trade_figures.csv"), "--table", "trade_figures"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert check.returncode == 1 and "(ird/period-label)" in check.stdout
    for args, expect in ((["why", "dc-s400-2018"], "defence_contracts dc-s400-2018"),
                         (["cite", "events", "--format", "bibtex"], "@misc{indo-russia-data,"),
                         (["show", "gaps", "--rows", "2"], "gap_id")):
        used = subprocess.run([str(venv / "bin" / "indo-russia-data"), *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=300)
        assert used.returncode == 0 and expect in used.stdout, (args, used.stderr)
    build = subprocess.run([str(venv / "bin" / "indo-russia-data"), "build", "--root", str(ROOT)],
                           capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert build.returncode == 2 and "ships only with a checkout" in build.stderr and "Traceback" not in build.stderr
