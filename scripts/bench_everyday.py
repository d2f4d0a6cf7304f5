"""How fast the everyday commands feel: import, a small validate, build --check, load.

Each command runs in a fresh process several times and the median wall time is printed
beside its yardstick (bare Python, `import pyarrow.csv`, pandas.read_parquet). Run from a
checkout with the dev extra installed:

    python scripts/bench_everyday.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def wall(cmd: list[str], runs: int, cwd: Path = ROOT) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def small_file(folder: Path) -> Path:
    """20 rows of raw/claims.csv, as a contributor's file of new rows would look (new ids)."""
    lines = (ROOT / "raw" / "claims.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    out = folder / "claims.csv"
    body = [ln.replace("clm-", "clm-bench-", 1) for ln in lines[1:21]]
    out.write_text(lines[0] + "".join(body), encoding="utf-8")
    return out


def in_process_load(runs: int) -> list[tuple[str, float, float]]:
    """ird.load against pandas.read_parquet plus the dtype conversions ird.load makes."""
    import pandas as pd

    import indo_russia_data as ird
    from indo_russia_data.schema import TABLES

    results = []
    dtypes = {"integer": pd.Int64Dtype(), "boolean": pd.BooleanDtype(), "string": pd.StringDtype()}
    for name in ("claims", "defence_contracts", "trade_figures"):
        spec = TABLES[name]

        def yardstick(name: str = name, spec: Any = spec) -> None:
            frame = pd.read_parquet(ird.path(name))
            for col in spec.columns:
                if col.enum is not None:
                    frame[col.name] = frame[col.name].astype(pd.CategoricalDtype(list(col.enum)))
                elif col.kind in dtypes:
                    frame[col.name] = frame[col.name].astype(dtypes[col.kind])

        for fn in (yardstick, lambda name=name: ird.load(name)):
            fn()  # warm: first calls read the files from disk and verify them
        ours, base = [], []
        for _ in range(runs):
            t = time.perf_counter()
            yardstick()
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            ird.load(name)
            ours.append(time.perf_counter() - t)
        results.append((name, statistics.median(ours), statistics.median(base)))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    cli = [py, "-m", "indo_russia_data.cli"]
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; median of {args.runs} runs")

    bare, _ = wall([py, "-c", "pass"], args.runs)
    imp, _ = wall([py, "-c", "import indo_russia_data"], args.runs)
    print(f"  import indo_russia_data   {imp * 1000:6.0f} ms   bare python {bare * 1000:4.0f} ms   "
          f"difference {(imp - bare) * 1000:4.0f} ms (goal: at most 25 ms)")

    with tempfile.TemporaryDirectory() as tmp:
        f = small_file(Path(tmp))
        pa_csv, _ = wall([py, "-c", "import pyarrow.csv"], args.runs)
        val, _ = wall([*cli, "validate", str(f)], args.runs)
        print(f"  validate (20 rows)        {val:6.2f} s    import pyarrow.csv {pa_csv:5.2f} s   "
              f"ratio {val / pa_csv:4.2f}x (goal: at most 1.5x)")

    check, runs = wall([*cli, "build", "--check"], args.runs)
    print(f"  build --check             {check:6.2f} s    (goal: under 1.5 s; runs: "
          f"{', '.join(f'{t:.2f}' for t in runs)})")

    for name, ours, base in in_process_load(args.runs):
        print(f"  ird.load({name!r:20}) {ours * 1000:6.1f} ms   read_parquet + dtypes {base * 1000:6.1f} ms   "
              f"ratio {ours / base:4.2f}x (goal: at most 1.1x)")


if __name__ == "__main__":
    main()
