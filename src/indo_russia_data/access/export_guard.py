"""Export writes only over files that an earlier export wrote (and nobody changed since),
unless told to force: ``export --out .`` in a checkout must not replace its datapackage.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = ".indo-russia-data-export.json"  # {file name: sha256 of what export wrote}


class ExportError(ValueError):
    """The export would overwrite a file it did not write."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        return {}


def check_writable(out: Path, names: list[str], force: bool) -> None:
    """ExportError naming every file in ``out`` that export would overwrite without having written it."""
    if force:
        return
    wrote = _manifest(out)
    foreign = [n for n in names if (out / n).exists() and wrote.get(n) != _sha256(out / n)]
    if foreign:
        raise ExportError(f"{out} already holds {', '.join(foreign)}, not written by an earlier export (or changed "
                          "since); choose an empty folder, or pass --force to overwrite")


def record(out: Path, written: list[Path]) -> None:
    wrote = _manifest(out)
    wrote.update({p.name: _sha256(p) for p in written})
    (out / MANIFEST).write_text(json.dumps(wrote, indent=2, sort_keys=True) + "\n", encoding="utf-8")
