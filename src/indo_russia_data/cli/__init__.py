"""The ``indo-russia-data`` command: a thin layer over the package's functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from .contributing import cmd_add, cmd_build, cmd_validate
from .errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, quiet_stdout
from .reading import (
    cmd_cite,
    cmd_coverage,
    cmd_diff,
    cmd_export,
    cmd_info,
    cmd_plot,
    cmd_serve,
    cmd_show,
    cmd_sipri,
    cmd_sql,
    cmd_tables,
    cmd_why,
)

__all__ = ["main", "parser", "UsageError", "EXIT_OK", "EXIT_INVALID", "EXIT_USAGE"]
EXPORT_FORMATS = ("sqlite", "csv", "parquet")  # export.py checks the same names; importing it here would be slow


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
    from ..access.plot import CHARTS  # stdlib-only imports: cheap

    p = argparse.ArgumentParser(prog="indo-russia-data", description="India-Russia relations data package.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("tables", help="list the tables").set_defaults(func=cmd_tables)
    s = sub.add_parser("show", help="print the first rows of a table")
    s.add_argument("table")
    s.add_argument("--rows", type=_count, default=20)
    s.add_argument("--columns", help="comma-separated columns to show")
    s.add_argument("--all", action="store_true", help="every column, with full text")
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
    a = sub.add_parser("add", help="validate new rows, append them to raw/ and rebuild (all or nothing)")
    a.add_argument("files", nargs="+", metavar="FILE", help="CSV files of new rows named after their tables, "
                   "e.g. sources.csv claims.csv")
    a.add_argument("--dry-run", action="store_true", help="check, build in a temporary folder and show the diff; "
                   "write nothing")
    a.add_argument("--root", help="the project checkout (default: found from the current folder)")
    a.set_defaults(func=cmd_add)
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
    pl = sub.add_parser("plot", help="draw a chart as PNG, SVG or PDF (needs the 'plot' extra)")
    pl.add_argument("chart", choices=tuple(CHARTS))
    pl.add_argument("--out", required=True, help="file to write: .png, .svg or .pdf (folders are created)")
    pl.set_defaults(func=cmd_plot)
    d = sub.add_parser("diff", help="what changed between two releases, and the version bump it needs")
    d.add_argument("old", help="a folder of Parquet or CSV files (a data folder, an export), a checkout, "
                   "a .whl file, or a git revision")
    d.add_argument("new", help="the same kinds as OLD")
    d.add_argument("--format", choices=("text", "json", "changelog"), default="text")
    d.add_argument("--repo", help="the checkout whose git revisions OLD and NEW name (default: the current folder)")
    d.set_defaults(func=cmd_diff)
    w = sub.add_parser("why", help="one row: every field, the claims and sources behind it, and any dispute")
    w.add_argument("id", help="a row id, e.g. dc-s400-2018, evt-summit-2021, tf-in-total-fy2020-21")
    w.set_defaults(func=cmd_why)
    c = sub.add_parser("cite", help="credit lines for the package and the sources behind a table")
    c.add_argument("table", nargs="?", help="a table (default: every source)")
    c.add_argument("--format", choices=("text", "bibtex", "csl-json"), default="text")
    c.set_defaults(func=cmd_cite)
    si = sub.add_parser("sipri", help="compare your own SIPRI Arms Transfers Database export with our contracts")
    si.add_argument("file", metavar="FILE", help="a SIPRI trade register or deliveries CSV you downloaded")
    si.add_argument("--format", choices=("text", "json", "csv"), default="text")
    si.set_defaults(func=cmd_sipri)
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
        quiet_stdout()
        return 141
    except Exception as exc:  # noqa: BLE001 - people get a sentence, not a traceback
        import zipfile

        from ..schema import UnknownTableError
        from ..schema.terminal import safe
        from ..validation.report import InputError

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
