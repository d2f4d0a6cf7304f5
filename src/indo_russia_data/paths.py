"""Where things are: the shipped data inside the package, and a checkout's raw/."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE_DATA = Path(str(resources.files(__package__))) / "data"
DATA_REL = "src/indo_russia_data/data"  # the same folder, relative to a checkout


def checkout_root(start: Path | None = None) -> Path | None:
    """The project checkout above ``start`` (a folder holding raw/ and pyproject.toml), if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "raw").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return None
