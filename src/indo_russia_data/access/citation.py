"""Credit lines for the package and for the sources behind a table, and the data licence.

Named ``citation`` rather than ``cite`` so that importing it never shadows the
package's ``cite`` function.
"""

from __future__ import annotations

import json
from typing import Any

from .._version import __version__
from ..schema.datapackage import DATA_LICENSE as _PACKAGE_LICENSE
from ..schema.derived import CLAIM_TARGETS as CLAIM_KEYS  # table -> the claims column naming its rows

DATA_LICENSE = _PACKAGE_LICENSE["name"]


def licenses(name: str) -> str:
    """The licence of a published table: CC-BY-4.0 for every table.

    The tables hold facts (dates, figures, places) taken from the sources, not
    their text, so the compilation is ours to license. The source documents
    themselves keep their own copyright; nothing here licenses them.
    """
    from ..schema import get_table

    get_table(name)  # an unknown name is an error, not a licence
    return DATA_LICENSE


def _release_year() -> str:
    from ..paths import PACKAGE_DATA

    try:
        created = json.loads((PACKAGE_DATA / "datapackage.json").read_text(encoding="utf-8"))["created"]
        return created[:4]
    except (OSError, KeyError, ValueError):
        return "n.d."


def package_line() -> str:
    return (f"indo-russia-data contributors ({_release_year()}). indo-russia-data, version {__version__}. "
            "CC BY 4.0.")


def _date(source: dict[str, Any]) -> str:
    d, precision = source.get("published_date"), source.get("published_precision")
    if d is None:
        return "n.d."
    iso = d.isoformat()[:10]  # a date, or a datetime/Timestamp from a DataFrame row
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)


def source_line(source: dict[str, Any]) -> str:
    """'Publisher (date). Title. URL', leaving out what the source row does not give."""
    parts = [f"{source['publisher']} ({_date(source)})."]
    if source.get("title"):
        title = source["title"].strip()
        parts.append(title if title.endswith((".", "?", "!")) else title + ".")
    if source.get("url"):
        parts.append(source["url"])
    return " ".join(parts)


def source_ids(name: str, tables: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Sources a table rests on: its rows' source_id and the sources of the claims on its rows."""
    if name in ("sources", "claims"):
        return {s["source_id"] for s in tables["sources"]}
    rows = tables[name]
    ids = {r["source_id"] for r in rows if r.get("source_id")}
    target = CLAIM_KEYS.get(name)
    if target:
        keys = {r[target] for r in rows}
        ids |= {c["source_id"] for c in tables["claims"] if c.get(target) in keys}
    return ids


def _frame_sources(frame: Any, tables: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Sources behind the rows of a loaded frame: their source_id and their claims' sources."""
    from ..schema import TABLES

    ids = {s for s in (frame["source_id"].dropna() if "source_id" in frame.columns else ())}
    for name, target in CLAIM_KEYS.items():
        key = TABLES[name].primary_key
        if key in frame.columns:
            keys = set(frame[key].dropna())
            ids |= {c["source_id"] for c in tables["claims"] if c.get(target) in keys}
    return ids


def cited_sources(what: Any = None) -> list[dict[str, Any]]:
    """Source rows behind a table name, a loaded frame, or everything (None), sorted for citing."""
    from ..schema import get_table
    from .loader import rows

    if isinstance(what, str):
        get_table(what)
    needed = {"sources", "claims"} | ({what} if isinstance(what, str) else set())
    tables = rows(needed)
    if what is None or isinstance(what, str):
        ids = source_ids(what or "sources", tables)
    else:
        ids = _frame_sources(what, tables)
    chosen = [s for s in tables["sources"] if s["source_id"] in ids]
    return sorted(chosen, key=lambda s: (source_line(s).casefold(), s["source_id"]))


def cite(what: Any = None, format: str = "text") -> Any:
    """Credit for the package and the sources behind a table, a frame's rows, or every source.

    ``format``: ``text`` (a list of lines, the default), ``bibtex`` (one string) or
    ``csl-json`` (a list of CSL-JSON items, the package first).
    """
    from .citation_formats import FORMATS

    if format not in FORMATS and format != "text":
        raise ValueError(f"format must be one of text, {', '.join(FORMATS)}; not {format!r}")
    sources = cited_sources(what)
    if format == "text":
        lines = sorted({source_line(s) for s in sources}, key=str.casefold)
        return [package_line(), *lines]
    return FORMATS[format](sources, __version__, _release_year())
