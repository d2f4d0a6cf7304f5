"""Re-fetch the official-statistics snapshots in raw/snapshots/ (the only step that uses the network).

    python scripts/refresh_snapshots.py --check          # offline: sha256 and extract format of every snapshot
    python scripts/refresh_snapshots.py                  # re-fetch each mirror at its recorded commit
    python scripts/refresh_snapshots.py --ref main tradestat-hs2-fy   # newer data from a mirror branch

How a snapshot is refreshed: the upstream file is downloaded from the public mirror named in its
metadata.json (https://raw.githubusercontent.com/<repository>/<ref>/<path>), the same extract is
made (snapshots.EXTRACTS: the Russia records, every field as stored), and the file and its sha256
are written only if the bytes changed. At the recorded commit the result must be byte-identical to
the committed file; anything else means the mirror or the extract changed and the script says so.

The official TRADESTAT pages (tradestat.commerce.gov.in) are HTML forms with no stable file to
download, so they are not fetched here. To move to newer official figures: fetch with --ref, then
record the mirror's new commit and the new checks in metadata.json by hand, run
`indo-russia-data build`, and review which figures became disputed.

Exit codes: 0 done (or nothing to do), 1 a snapshot differs or failed its check, 2 bad arguments or
upstream unreachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from indo_russia_data.build import snapshots  # noqa: E402

RAW_URL = "https://raw.githubusercontent.com/{repository}/{ref}/{path}"


def check(folder: Path) -> str | None:
    """A problem with a committed snapshot, or None."""
    try:
        meta, data = snapshots.read(folder)
        if snapshots.EXTRACTS[meta["format"]](data, meta) != (folder / meta["file"]).read_bytes():
            return f"{folder.name}: the file is not in the extract's format (refetch it rather than edit it)"
    except snapshots.SnapshotError as exc:
        return str(exc)
    return None


def fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "indo-russia-data snapshot refresh"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def refresh(folder: Path, ref: str | None, timeout: float, dry_run: bool) -> int:
    meta = json.loads((folder / snapshots.METADATA).read_text(encoding="utf-8"))
    origin = meta["obtained"]
    at = ref or origin["mirror_commit"]
    url = RAW_URL.format(repository=origin["mirror_repository"], ref=at, path=origin["mirror_path"])
    try:
        upstream = json.loads(fetch(url, timeout))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        print(f"{folder.name}: upstream unreachable ({url}: {exc}); the committed snapshot is kept", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{folder.name}: {url} is not JSON ({exc})", file=sys.stderr)
        return 1
    new = snapshots.EXTRACTS[meta["format"]](upstream, meta)
    path = folder / meta["file"]
    if new == path.read_bytes():
        print(f"{folder.name}: unchanged at {at} (sha256 {meta['sha256']})")
        return 0
    if ref is None:
        print(f"{folder.name}: the mirror's file at the recorded commit no longer gives the committed bytes; "
              "check the extract before trusting either", file=sys.stderr)
        return 1
    print(f"{folder.name}: new data at {at}")
    if dry_run:
        return 0
    path.write_bytes(new)
    meta["sha256"] = snapshots.sha256(path)
    meta["retrieved"] = dt.date.today().isoformat()
    meta["obtained"]["mirror_ref_fetched"] = at
    (folder / snapshots.METADATA).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    print(f"  wrote {path.relative_to(ROOT)}; now record the mirror commit and your checks in metadata.json, "
          "run `indo-russia-data build` and review the disputed figures")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="snapshot folders to refresh (default: all)")
    parser.add_argument("--check", action="store_true", help="offline: verify the committed snapshots only")
    parser.add_argument("--ref", help="mirror branch or commit to fetch instead of the recorded commit")
    parser.add_argument("--dry-run", action="store_true", help="fetch and compare, write nothing")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    raw = ROOT / "raw"
    folders = {f.name: f for f in snapshots.folders(raw)}
    unknown = [n for n in args.names if n not in folders]
    if unknown:
        print(f"no snapshot named {', '.join(unknown)}; the snapshots are: {', '.join(folders)}", file=sys.stderr)
        return 2
    chosen = [folders[n] for n in args.names] or list(folders.values())
    if args.check:
        problems = [p for p in (check(f) for f in chosen) if p]
        for p in problems:
            print(p, file=sys.stderr)
        if not problems:
            for line in snapshots.describe(raw):
                print(f"ok  {line}")
        return 1 if problems else 0
    return max((refresh(f, args.ref, args.timeout, args.dry_run) for f in chosen), default=0)


if __name__ == "__main__":
    sys.exit(main())
