import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the project's raw data, build inputs and README, to build in."""
    dest = tmp_path / "checkout"
    dest.mkdir()
    for name in ("raw", "README.md", "CHANGELOG.md", "pyproject.toml", "datapackage.json"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    shutil.copytree(ROOT / "tests" / "fixtures", dest / "tests" / "fixtures")
    data = dest / "src" / "indo_russia_data" / "data"
    shutil.copytree(ROOT / "src" / "indo_russia_data" / "data", data)
    return dest


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indo_russia_data.cli", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=300,
    )
