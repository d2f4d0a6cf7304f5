"""`indo-russia-data add`: append a submission's rows to raw/ and rebuild, or change nothing.

The files are validated as one submission against the checkout (rows may point at
raw/ or at each other; no id of raw/ or of the built data may be reused). Each
table's new raw file is the old bytes plus the rows in the raw header's column
order, written the way the build writes CSV. The build runs first in a temporary
folder whose raw/ holds the new files, so a submission the build rejects never
touches the checkout; the diff compares the checkout's built data with that
build. Only then are the new raw files, staged beside the old ones, swapped in
and the build written; a failure or an interruption from there on puts every
file back byte for byte.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..access.diff import Release, TableDiff, compare, open_release, read_release
from ..paths import DATA_REL
from ..schema import TABLES
from ..validation.known_ids import Keys, read_ids
from ..validation.report import InputError, Report
from ..validation.validator import table_for, validate
from . import pipeline as build

BEFORE, AFTER = "the checkout", "the checkout with the submission"


class Rejected(Exception):
    """The submission is invalid (exit 1); ``reports`` and ``problems`` say where."""

    def __init__(self, message: str, reports: list[Report] | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.reports = reports or []
        self.problems = problems or []


class RolledBack(Exception):
    """Writing the rows or the build failed; every file was put back as it was."""


@dataclass
class Outcome:
    reports: list[Report]
    added: dict[str, int]  # table → rows appended
    old: Release
    new: Release
    changes: list[TableDiff]
    written: list[str] = field(default_factory=list)  # files changed in the checkout (none in a dry run)


# ---------------------------------------------------------------- checking


def submission_tables(root: Path, files: list[Path]) -> dict[str, Path]:
    """Table → file, refusing what cannot be a submission (exit 2)."""
    raw = (root / "raw").resolve()
    out: dict[str, Path] = {}
    for path in files:
        if path.name.split(".")[0] not in TABLES:  # add has no --table: the name must say it
            raise InputError(f"{path}: name the file after its table ({', '.join(f'{t}.csv' for t in TABLES)})")
        spec = table_for(path, None)
        if not path.is_file():
            raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
        if path.resolve().parent == raw:
            raise InputError(f"{path}: this is the table itself; give a file holding only the new rows")
        if spec.name in out:
            raise InputError(f"{out[spec.name]} and {path} are both rows of {spec.name}; put them in one file")
        out[spec.name] = path
    return out


def checkout_keys(root: Path, submission: dict[str, Path]) -> Keys:
    """Rows may point at raw/, the rows the committed snapshots add, or the submission; none may
    reuse an id of raw/ or of the built data."""
    from .snapshots import ids as snapshot_ids

    from_snapshots = snapshot_ids(root / "raw")
    keys = Keys()
    for name, spec in TABLES.items():
        in_raw = read_ids(root / "raw" / f"{name}.csv", spec) | from_snapshots.get(name, set())
        keys.known[name] = in_raw | (read_ids(submission[name], spec) if name in submission else set())
        keys.taken[name] = in_raw | read_ids(root / DATA_REL / f"{name}.csv", spec)
    return keys


def _header(path: Path) -> list[str]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return next(csv.reader(f))
    except (OSError, UnicodeDecodeError, StopIteration, csv.Error) as exc:
        raise InputError(f"{path}: cannot read its header ({exc})") from None


def appended(raw_file: Path, submission: Path) -> tuple[bytes, int]:
    """The raw file's bytes followed by the submission's rows, in the raw header's column order."""
    old = raw_file.read_bytes()
    header = _header(raw_file)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")  # the build's CSV style: minimal quoting, LF
    n = 0
    with open(submission, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            # a CRLF file's quoted line breaks arrive as \r\n; raw/ uses \n throughout
            writer.writerow([(row.get(c) or "").replace("\r\n", "\n") for c in header])
            n += 1
    sep = b"\n" if old and not old.endswith(b"\n") else b""
    return old + sep + buf.getvalue().encode("utf-8"), n


# ---------------------------------------------------------------- building


def _overlay(root: Path, new_raw: dict[str, bytes], into: Path) -> Path:
    """A folder that reads as the checkout with the new raw files: raw/ copied, the rest linked."""
    for entry in root.iterdir():
        if entry.name == "raw":
            continue
        try:
            (into / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        except OSError:  # no symlinks here (some Windows setups): copy what the build may read
            if entry.is_dir() and not entry.name.startswith("."):
                shutil.copytree(entry, into / entry.name, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            elif entry.is_file():
                shutil.copy2(entry, into / entry.name)
    shutil.copytree(root / "raw", into / "raw")
    for name, content in new_raw.items():
        (into / "raw" / f"{name}.csv").write_bytes(content)
    return into


def _render(root: Path, new_raw: dict[str, bytes]) -> build.Built:
    with tempfile.TemporaryDirectory(prefix="indo-russia-data-add-") as tmp:
        try:
            return build.render(_overlay(root, new_raw, Path(tmp)))
        except build.BuildError as exc:
            for report in exc.reports:  # not the temporary folder's path
                report.path = f"raw/{report.table}.csv with the submission appended"
            raise Rejected(f"the build rejects raw/ with these rows: {exc}", exc.reports, exc.problems) from None


# ---------------------------------------------------------------- writing


def _write_atomic(path: Path, content: bytes, like: Path | None = None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        if like is not None and like.exists():
            os.chmod(tmp, like.stat().st_mode & 0o7777)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _snapshot(root: Path, rels: list[str]) -> dict[str, bytes | None]:
    return {rel: (root / rel).read_bytes() if (root / rel).is_file() else None for rel in rels}


def _restore(root: Path, saved: dict[str, bytes | None]) -> list[str]:
    """Put every saved file back; return those that could not be."""
    failed = []
    for rel, content in saved.items():
        p = root / rel
        try:
            if content is None:
                p.unlink(missing_ok=True)
            elif not p.is_file() or p.read_bytes() != content:
                _write_atomic(p, content, like=p)
        except OSError:
            failed.append(rel)
    return failed


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt here, so a killed `add` still restores the files."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _apply(root: Path, new_raw: dict[str, bytes], built: build.Built) -> list[str]:
    """Swap the staged raw files in and write the build; on any failure, restore everything."""
    raw_rels = [f"raw/{name}.csv" for name in new_raw]
    data = root / DATA_REL
    outputs = sorted(set(built.files) | {f"{DATA_REL}/{p.name}" for p in data.iterdir() if p.is_file()})
    saved = _snapshot(root, raw_rels + outputs)
    staged: dict[Path, Path] = {}
    with _terminate_as_interrupt():
        try:
            for rel, content in zip(raw_rels, new_raw.values(), strict=False):
                target = root / rel
                fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".add")
                staged[target] = Path(tmp_name)
                with os.fdopen(fd, "wb") as f:
                    f.write(content)
                os.chmod(tmp_name, target.stat().st_mode & 0o7777)  # mkstemp makes 0600
            try:
                for target, staged_file in staged.items():
                    os.replace(staged_file, target)
                return raw_rels + build.write(root, built)
            except BaseException as exc:
                failed = _restore(root, saved)
                if failed:
                    raise RolledBack(f"the rebuild failed ({type(exc).__name__}: {exc}) and these files could not "
                                     f"be restored: {', '.join(failed)}; check them with `git status`") from exc
                if isinstance(exc, KeyboardInterrupt):
                    raise
                raise RolledBack(f"the rebuild failed ({type(exc).__name__}: {exc}); raw/ and the built files "
                                 "were restored byte for byte, nothing changed") from exc
        finally:
            for staged_file in staged.values():
                staged_file.unlink(missing_ok=True)


# ---------------------------------------------------------------- the command


def add(root: Path, files: list[Path], dry_run: bool = False) -> Outcome:
    """Validate ``files`` against the checkout at ``root``, append them to raw/ and rebuild.

    Raises InputError (unusable input), Rejected (invalid submission) or RolledBack
    (a failure after the swap, undone); a KeyboardInterrupt also leaves the files as they were.
    """
    submission = submission_tables(root, files)
    if not (root / DATA_REL / "datapackage.json").is_file():
        raise InputError(f"{root} has no built data in {DATA_REL}; run `indo-russia-data build` first")
    for name in submission:
        if not (root / "raw" / f"{name}.csv").is_file():
            raise InputError(f"{root / 'raw'} has no {name}.csv")
    keys = checkout_keys(root, submission)
    # Dependency order, so the report lists sources before the claims that cite them.
    order = [name for name in TABLES if name in submission]
    reports = [validate(submission[name], name, keys=keys) for name in order]
    if not all(r.valid for r in reports):
        raise Rejected("the submission is invalid", reports)
    new_raw, added = {}, {}
    for name in order:
        new_raw[name], added[name] = appended(root / "raw" / f"{name}.csv", submission[name])
    if not any(added.values()):
        raise Rejected("the files hold no rows to add")
    old = open_release(str(root / DATA_REL))
    old.label = BEFORE
    built = _render(root, new_raw)
    new = read_release(AFTER, lambda rel: built.files.get(build.DATA_PREFIX + rel))
    outcome = Outcome(reports, added, old, new, compare(old, new))
    if not dry_run:
        outcome.written = _apply(root, new_raw, built)
    return outcome
