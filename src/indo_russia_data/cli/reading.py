"""Commands that read the shipped data: show it, query it, export it, draw it, cite it, compare it."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._version import __version__
from .errors import EXIT_OK, UsageError


def cmd_tables(args: argparse.Namespace) -> int:
    from ..schema import TABLES

    for name, spec in TABLES.items():
        print(f"{name:18} {spec.title}: {spec.description}")
    return EXIT_OK


def _default_columns(name: str) -> list[str]:
    """What `show` prints without --columns: the key, the required fields and the figures."""
    from ..schema import TABLES

    spec = TABLES[name]
    cols = [spec.primary_key] + [c.name for c in spec.raw_columns
                                 if c.required and c.name not in (spec.primary_key, "source_id", "note")]
    for fig in spec.figures:
        cols += [fig.name, f"{fig.name}_unit"]
    return cols


def cmd_show(args: argparse.Namespace) -> int:
    import shutil

    import pandas as pd

    from ..access.loader import load
    from ..access.suggest import did_you_mean

    frame = load(args.table)
    if args.columns:
        wanted = [c.strip() for c in args.columns.split(",")]
        for c in wanted:
            if c not in frame.columns:
                raise UsageError(f"{args.table} has no column {c!r}{did_you_mean(c, frame.columns)} "
                                 f"(its columns are: {', '.join(frame.columns)})")
        frame = frame[wanted]
    elif not args.all:
        frame = frame[_default_columns(args.table)]
    width = shutil.get_terminal_size((160, 24)).columns
    with pd.option_context("display.max_columns", None, "display.width", width,
                           "display.max_colwidth", None if args.all else 32,
                           "display.float_format", lambda x: f"{x:,.0f}" if x.is_integer() else f"{x:,.2f}"):
        print(frame.head(args.rows).to_string(index=False, max_colwidth=None if args.all else 32))
    hidden = "" if args.all or args.columns else "; --all for every column, --columns a,b to choose"
    print(f"({len(frame)} rows in {args.table}; showing {min(args.rows, len(frame))}{hidden})")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    import pyarrow.parquet as pq

    from ..access.loader import path
    from ..schema import TABLES
    from ..schema.datapackage import DATA_LICENSE

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


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..access import coverage
    from ..access.loader import rows

    tables = rows()
    print(coverage.markdown(tables))
    gaps = coverage.gaps(tables)
    print(f"\n{len(gaps)} gap(s):")
    for g in gaps:
        print(f"  {g}")
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    from ..access.sql import FORMATS, query

    columns, rows = query(args.query)
    print(FORMATS[args.format](columns, rows))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from ..access.export import export

    written = export(Path(args.out), args.format, force=args.force)
    print(f"wrote {len(written)} files to {Path(args.out).resolve()}: {', '.join(p.name for p in written)}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ..access.serve import serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    return serve(args.port)
def cmd_plot(args: argparse.Namespace) -> int:
    from ..access.plot import CHARTS, FORMATS, shipped_tables

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--out must end in .{', .'.join(FORMATS)} (the format follows the extension), "
                         f"not {out.name!r}")
    data = CHARTS[args.chart](shipped_tables(), fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {out} ({fmt.upper()}, {len(data)} bytes)")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from ..access import diff

    repo = Path(args.repo) if args.repo else None
    if repo is not None and not repo.is_dir():
        raise UsageError(f"--repo {args.repo}: no such folder")
    old, new = diff.open_release(args.old, cwd=repo), diff.open_release(args.new, cwd=repo)
    changes = diff.compare(old, new)
    render = {"text": diff.to_text, "json": diff.to_json, "changelog": diff.to_changelog}[args.format]
    print(render(old, new, changes))
    return EXIT_OK


def cmd_cite(args: argparse.Namespace) -> int:
    import json

    from ..access.citation import cite

    out = cite(args.table, args.format)
    if args.format == "text":
        print("\n".join(out))
    elif args.format == "csl-json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(out)
    return EXIT_OK


def cmd_why(args: argparse.Namespace) -> int:
    from ..access.provenance import why

    print(why(args.id))
    return EXIT_OK


def cmd_sipri(args: argparse.Namespace) -> int:
    from ..access.sipri_report import run

    print(run(args.file, args.format), end="" if args.format == "csv" else "\n")
    return EXIT_OK


