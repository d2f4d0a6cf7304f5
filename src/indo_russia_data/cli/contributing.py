"""Commands that work on a checkout's raw data: build, validate, add."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, quiet_stdout


def _root(arg: str | None, command: str = "build") -> Path:
    import importlib.util

    from ..paths import checkout_root

    if importlib.util.find_spec("indo_russia_data.build") is None:
        raise UsageError("this installed copy has no build step: the build ships only with a checkout of the "
                         "project (clone it and `pip install -e .` there)")
    root = Path(arg).resolve() if arg else checkout_root()
    if root is None or not (root / "raw").is_dir():
        raise UsageError(f"{command} needs a checkout of the project (a folder with raw/); "
                         "run it inside one or pass --root")
    return root


def _print_build_error(exc: Exception) -> None:
    from ..schema.terminal import safe

    for report in getattr(exc, "reports", []):
        print(report.to_text(), file=sys.stderr)
    for problem in getattr(exc, "problems", []):
        print(safe(f"  {problem}"), file=sys.stderr)
    print(safe(f"build failed: {exc}; nothing was written"), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    root = _root(args.root)  # first: says clearly when this copy has no build step
    from ..build.pipeline import BuildError, render, stale, write

    try:
        built = render(root)
    except BuildError as exc:
        _print_build_error(exc)
        return EXIT_INVALID
    if not any(rel.endswith(".png") for rel in built.files):
        print("note: matplotlib is not installed, so the README figures were not drawn or checked "
              "(pip install -e '.[plot]')", file=sys.stderr)
    if args.check:
        out = stale(root, built)
        if out:
            print("the built files are stale; run `indo-russia-data build` and commit:", file=sys.stderr)
            for rel in out:
                print(f"  {rel}", file=sys.stderr)
            return EXIT_INVALID
        print(f"build is up to date ({sum(built.counts.values())} rows in {len(built.counts)} tables)")
        return EXIT_OK
    changed = write(root, built)
    for name, n in built.counts.items():
        print(f"  {name:18} {n:6} rows")
    print(f"built {len(built.files)} files ({len(changed)} changed) in {root}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    from ..validation.validator import submission_keys, validate

    if args.table and len(args.files) > 1:
        raise UsageError("--table goes with a single file; name several files after their tables (claims.csv...)")
    progress = args.format == "text" and sys.stderr.isatty() and not os.environ.get("CI")
    paths = [Path(f) for f in args.files]
    from .. import _checkout_keys

    # Several files are one submission: rows may point at ids added in the others.
    keys = submission_keys(paths) if len(paths) > 1 else [_checkout_keys(paths[0])]
    checkout = next(filter(None, map(_checkout_keys, paths)), None) if len(paths) > 1 else None
    extra = checkout.known if checkout is not None else {}
    for k in keys if extra else ():
        for name, ids in extra.items():
            k.known[name] = k.known.get(name, set()) | ids  # rows of raw/ may point at snapshot rows
    reports = [validate(p, args.table, keys=k, max_errors=args.max_errors, progress=progress)
               for p, k in zip(paths, keys, strict=True)]
    status = EXIT_OK if all(r.valid for r in reports) else EXIT_INVALID
    if args.format == "json":
        out = reports[0].to_dict() if len(reports) == 1 else {
            "valid": all(r.valid for r in reports), "files": [dict(r.to_dict(), path=r.path) for r in reports]}
        from ..schema.terminal import safe_json

        text = safe_json(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        text = "\n\n".join(r.to_text() for r in reports)
    try:
        print(text)
    except BrokenPipeError:  # `validate bad.csv | head -1` must still fail
        quiet_stdout()
    return status


def cmd_add(args: argparse.Namespace) -> int:
    from ..access import diff
    from ..build.contribute import Rejected, RolledBack, add

    root = _root(args.root, "add")
    try:
        outcome = add(root, [Path(f) for f in args.files], dry_run=args.dry_run)
    except Rejected as exc:
        for report in exc.reports:
            print(report.to_text(), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"not added: {exc}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except RolledBack as exc:
        print(f"indo-russia-data: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing was added (raw/ and the built files are as they were)", file=sys.stderr)
        return 130
    print("\n".join(r.to_text() for r in outcome.reports))
    print(diff.to_text(outcome.old, outcome.new, outcome.changes))
    rows = ", ".join(f"{n} row(s) to raw/{name}.csv" for name, n in outcome.added.items())
    if args.dry_run:
        print(f"dry run: would add {rows}; nothing was written")
    else:
        print(f"added {rows} and rebuilt ({len(outcome.written)} files changed in {root}); "
              "commit them with a CHANGELOG.md line")
    return EXIT_OK


