"""Putting a build in place all at once.

The data folder is written in full beside the old one, then the two are exchanged in one
step (renameat2 with RENAME_EXCHANGE on Linux; elsewhere two renames, and the next build
puts the old folder back if it was interrupted between them). A killed build thus leaves
the old set of data files or the new one, never a mix that disagrees with its
datapackage.json, and the next build removes what it left behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

PREFIX = ".build-"  # staging and old folders in the checkout root; nothing else uses the name
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    ok = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
    return ok


def recover(root: Path, data: Path) -> None:
    """Undo what an interrupted build left: put an old data folder back if the data folder
    is missing, and remove staging folders."""
    leftovers = sorted(root.glob(PREFIX + "*"))
    if not data.exists():
        old = [p for p in leftovers if p.name.startswith(PREFIX + "old-") and p.is_dir()]
        if old:
            os.rename(old[-1], data)
            leftovers.remove(old[-1])
    for p in leftovers:
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def swap_folder(root: Path, data: Path, files: dict[str, bytes]) -> None:
    """Replace folder ``data`` by one holding exactly ``files`` (name → content)."""
    staging = root / f"{PREFIX}new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, content in files.items():
        with open(staging / name, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
    if not data.exists():
        data.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, data)
        return
    if _exchange(staging, data):
        shutil.rmtree(staging)  # now the old folder
        return
    old = root / f"{PREFIX}old-{os.getpid()}"
    os.rename(data, old)  # if killed here, recover() puts it back
    os.rename(staging, data)
    shutil.rmtree(old)
