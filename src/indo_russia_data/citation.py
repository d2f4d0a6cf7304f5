"""Credit lines for the package and for the sources behind a table, and the data licence.

Named ``citation`` rather than ``cite`` so that importing it never shadows the
package's ``cite`` function.
"""

from __future__ import annotations

import json
from typing import Any

from ._version import __version__
from .datapackage import DATA_LICENSE as _PACKAGE_LICENSE

DATA_LICENSE = _PACKAGE_LICENSE["name"]
from .schema.derived import CLAIM_TARGETS as CLAIM_KEYS  # table -> the claims column naming its rows


def licenses(name: str) -> str:
    """The licence of a published table: CC-BY-4.0 for every table.

    The tables hold facts (dates, figures, places) taken from the sources, not
    their text, so the compilation is ours to license. The source documents
    themselves keep their own copyright; nothing here licenses them.
    """
    from .schema import get_table

    get_table(name)  # an unknown name is an error, not a licence
    return DATA_LICENSE


def _release_year() -> str:
    from .paths import PACKAGE_DATA

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


def cite(name: str | None = None) -> list[str]:
    """The package's credit line, then one line per source behind table ``name`` (all sources if None)."""
    from .loader import rows
    from .schema import get_table

    if name is not None:
        get_table(name)
    needed = {"sources", "claims"} | ({name} if name else set())
    tables = rows(needed)
    ids = source_ids(name or "sources", tables)
    lines = sorted({source_line(s) for s in tables["sources"] if s["source_id"] in ids}, key=str.casefold)
    return [package_line(), *lines]
