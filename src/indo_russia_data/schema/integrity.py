"""The shipped files are what the build wrote: each is checked against the sha256 that
``datapackage.json`` declares for it, the first time this process uses it."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

_VERIFIED: set[Path] = set()
_LOCK = threading.Lock()


class IntegrityError(ValueError):
    """A shipped file differs from the one the build wrote (or cannot be checked)."""


def declared_hashes(folder: Path) -> dict[str, str]:
    """{file name: "sha256:<hex>"} from the folder's datapackage.json."""
    descriptor = folder / "datapackage.json"
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8"))["resources"]
        return {r["path"]: r["hash"] for r in resources if isinstance(r, dict) and "hash" in r}
    except FileNotFoundError:
        raise IntegrityError(f"{descriptor} is missing, so the data files cannot be verified; "
                             "reinstall the package (or run `indo-russia-data build` in a checkout)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IntegrityError(f"{descriptor} cannot be read ({exc}); reinstall the package") from None


def verify(path: Path) -> Path:
    """``path`` if its sha256 is the declared one (checked once per process); else IntegrityError."""
    path = Path(path)
    if path in _VERIFIED:
        return path
    with _LOCK:
        if path in _VERIFIED:
            return path
        expected = declared_hashes(path.parent).get(path.name)
        if expected is None:
            raise IntegrityError(f"{path} is not listed in datapackage.json, so it cannot be verified")
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        if "sha256:" + digest.hexdigest() != expected:
            raise IntegrityError(f"{path} has been altered: its sha256 differs from the one datapackage.json "
                                 "declares; reinstall the package (or rebuild it in a checkout)")
        _VERIFIED.add(path)
    return path
