"""The ``indo-russia-data`` command: a thin layer over the package's functions."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from ._version import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXPORT_FORMATS = ("sqlite", "csv", "parquet")  # export.py checks the same names; importing it here would be slow


class UsageError(Exception):
    pass


def _root(arg: str | None) -> Path:
    from .paths import checkout_root

    root = Path(arg).resolve() if arg else checkout_root()
    if root is None or not (root / "raw").is_dir():
        raise UsageError("build needs a checkout of the project (a folder with raw/); "
                         "run it inside one or pass --root")
    return root


def cmd_tables(args: argparse.Namespace) -> int:
    from .schema import TABLES

    for name, spec in TABLES.items():
        print(f"{name:18} {spec.title}: {spec.description}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    import pandas as pd

    from .loader import load

    frame = load(args.table)
    if args.columns:
        wanted = [c.strip() for c in args.columns.split(",")]
        unknown = [c for c in wanted if c not in frame.columns]
        if unknown:
            raise UsageError(f"{args.table} has no column {', '.join(map(repr, unknown))}; "
                             f"its columns are: {', '.join(frame.columns)}")
        frame = frame[wanted]
    with pd.option_context("display.max_columns", None, "display.width", 200, "display.max_colwidth", 40):
        print(frame.head(args.rows).to_string(index=False))
    print(f"({len(frame)} rows in {args.table}; showing {min(args.rows, len(frame))})")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    import pyarrow.parquet as pq

    from .datapackage import DATA_LICENSE
    from .loader import path
    from .schema import TABLES

    print(f"indo-russia-data {__version__}")
    for name in TABLES:
        p = path(name)
        print(f"  {name:18} {pq.ParquetFile(p).metadata.num_rows:6} rows   {p}")
    sources = pq.ParquetFile(path("sources")).read(columns=["publisher"]).column(0).to_pylist()
    from collections import Counter

    top = ", ".join(f"{k} ({v})" for k, v in Counter(sources).most_common(8))
    print(f"  {len(sources)} sources; most cited publishers: {top}")
    print(f"  data licence: {DATA_LICENSE['name']}; cite with `indo-russia-data cite` or CITATION.cff")
    return EXIT_OK


def _print_build_error(exc: Exception) -> None:
    from .terminal import safe

    for report in getattr(exc, "reports", []):
        print(report.to_text(), file=sys.stderr)
    for problem in getattr(exc, "problems", []):
        print(safe(f"  {problem}"), file=sys.stderr)
    print(safe(f"build failed: {exc}; nothing was written"), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, render, stale, write

    root = _root(args.root)
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

    from .validation import submission_keys, validate

    if args.table and len(args.files) > 1:
        raise UsageError("--table goes with a single file; name several files after their tables (claims.csv...)")
    progress = args.format == "text" and sys.stderr.isatty() and not os.environ.get("CI")
    paths = [Path(f) for f in args.files]
    # Several files are one submission: rows may point at ids added in the others.
    keys = submission_keys(paths) if len(paths) > 1 else [None] * len(paths)
    reports = [validate(p, args.table, keys=k, max_errors=args.max_errors, progress=progress)
               for p, k in zip(paths, keys)]
    status = EXIT_OK if all(r.valid for r in reports) else EXIT_INVALID
    if args.format == "json":
        out = reports[0].to_dict() if len(reports) == 1 else {
            "valid": all(r.valid for r in reports), "files": [dict(r.to_dict(), path=r.path) for r in reports]}
        from .terminal import safe_json

        text = safe_json(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        text = "\n\n".join(r.to_text() for r in reports)
    try:
        print(text)
    except BrokenPipeError:  # `validate bad.csv | head -1` must still fail
        _quiet_stdout()
    return status


def cmd_coverage(args: argparse.Namespace) -> int:
    from . import coverage
    from .loader import rows

    tables = rows()
    print(coverage.markdown(tables))
    gaps = coverage.gaps(tables)
    print(f"\n{len(gaps)} gap(s):")
    for g in gaps:
        print(f"  {g}")
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    from .sql import FORMATS, query

    columns, rows = query(args.query)
    print(FORMATS[args.format](columns, rows))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    written = export(Path(args.out), args.format, force=args.force)
    print(f"wrote {len(written)} files to {Path(args.out).resolve()}: {', '.join(p.name for p in written)}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    return serve(args.port)
def cmd_plot(args: argparse.Namespace) -> int:
    from .plot import CHARTS, shipped_tables

    png = CHARTS[args.chart](shipped_tables())
    Path(args.out).write_bytes(png)
    print(f"wrote {args.out} ({len(png)} bytes)")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from . import diff

    old, new = diff.open_release(args.old), diff.open_release(args.new)
    changes = diff.compare(old, new)
    render = {"text": diff.to_text, "json": diff.to_json, "changelog": diff.to_changelog}[args.format]
    print(render(old, new, changes))
    return EXIT_OK


def cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

    print("\n".join(cite(args.table)))
    return EXIT_OK


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _count(text: str) -> int:
    """A whole number, zero or more (for --rows, --max-errors)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def parser() -> argparse.ArgumentParser:
    from .plot import CHARTS  # stdlib-only imports: cheap

    p = argparse.ArgumentParser(prog="indo-russia-data", description="India-Russia relations data package.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("tables", help="list the tables").set_defaults(func=cmd_tables)
    s = sub.add_parser("show", help="print the first rows of a table")
    s.add_argument("table")
    s.add_argument("--rows", type=_count, default=20)
    s.add_argument("--columns", help="comma-separated columns to show")
    s.set_defaults(func=cmd_show)
    sub.add_parser("info", help="version, row counts and sources").set_defaults(func=cmd_info)
    b = sub.add_parser("build", help="validate raw/ and build the data files")
    b.add_argument("--check", action="store_true", help="fail if the committed build is stale")
    b.add_argument("--root", help="the project checkout (default: found from the current folder)")
    b.set_defaults(func=cmd_build)
    v = sub.add_parser("validate", help="validate CSV files of rows (one submission)")
    v.add_argument("files", nargs="+", metavar="FILE", help="CSV files named after their tables, e.g. claims.csv")
    v.add_argument("--table", help="table of the rows (default: from the file name, e.g. claims.csv)")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--max-errors", type=_count, default=1000)
    v.set_defaults(func=cmd_validate)
    sub.add_parser("coverage", help="what the tables cover, and the gaps").set_defaults(func=cmd_coverage)
    q = sub.add_parser("sql", help="run a DuckDB SQL query over the tables (needs the 'sql' extra)")
    q.add_argument("query", help='e.g. "SELECT system, value FROM defence_contracts"')
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(func=cmd_sql)
    e = sub.add_parser("export", help="write the tables as SQLite (with Datasette metadata), CSV or Parquet")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="sqlite")
    e.add_argument("--out", required=True, help="folder to write into (created if missing)")
    e.add_argument("--force", action="store_true",
                   help="overwrite files in --out that an earlier export did not write")
    e.set_defaults(func=cmd_export)
    sv = sub.add_parser("serve", help="browse the tables in Datasette on 127.0.0.1 (needs the 'serve' extra)")
    sv.add_argument("--port", type=int, default=8001)
    sv.set_defaults(func=cmd_serve)
    pl = sub.add_parser("plot", help="draw a chart as PNG (needs the 'plot' extra)")
    pl.add_argument("chart", choices=tuple(CHARTS))
    pl.add_argument("--out", required=True, help="PNG file to write")
    pl.set_defaults(func=cmd_plot)
    d = sub.add_parser("diff", help="what changed between two releases, and the version bump it needs")
    d.add_argument("old", help="a data folder or checkout, a .whl file, or a git revision")
    d.add_argument("new", help="a data folder or checkout, a .whl file, or a git revision")
    d.add_argument("--format", choices=("text", "json", "changelog"), default="text")
    d.set_defaults(func=cmd_diff)
    c = sub.add_parser("cite", help="credit lines for the package and the sources behind a table")
    c.add_argument("table", nargs="?", help="a table (default: every source)")
    c.set_defaults(func=cmd_cite)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): not a success we can vouch for. 141 is 128 + SIGPIPE,
        # what a shell reports for a program killed by it.
        _quiet_stdout()
        return 141
    except Exception as exc:  # noqa: BLE001 - people get a sentence, not a traceback
        from .schema import UnknownTableError
        from .report import InputError
        from .terminal import safe

        import zipfile

        known = (UsageError, InputError, UnknownTableError, ValueError, ImportError, zipfile.BadZipFile)
        if isinstance(exc, OSError):  # a missing file, a folder where a file was expected, a full disk
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            print(safe(f"indo-russia-data: {exc.strerror or exc}{where}"), file=sys.stderr)
        elif isinstance(exc, known):
            print(safe(f"indo-russia-data: {exc}"), file=sys.stderr)
        else:
            print(safe(f"indo-russia-data: unexpected error ({type(exc).__name__}: {exc}); "
                       "please report it with the command you ran"), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
