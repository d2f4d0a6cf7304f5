"""BibTeX and CSL-JSON renderings of the package and its sources (for reference managers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _issued(source: dict[str, Any]) -> dict[str, Any] | None:
    d = source.get("published_date")
    if d is None:
        return None
    parts = {"year": 1, "month": 2}.get(source.get("published_precision") or "day", 3)
    return {"date-parts": [[d.year, d.month, d.day][:parts]]}


def csl_json(sources: list[dict[str, Any]], version: str, year: str) -> list[dict[str, Any]]:
    package: dict[str, Any] = {
        "id": "indo-russia-data", "type": "dataset", "title": "indo-russia-data",
        "author": [{"literal": "indo-russia-data contributors"}], "version": version,
        "license": "CC-BY-4.0",
    }
    if year.isdigit():
        package["issued"] = {"date-parts": [[int(year)]]}
    items = [package]
    for s in sources:
        item: dict[str, Any] = {"id": s["source_id"], "type": "article-newspaper" if s["kind"] in (
            "news", "wire") else "webpage", "publisher": s["publisher"], "container-title": s["publisher"]}
        if s.get("title"):
            item["title"] = s["title"]
        if s.get("author"):
            item["author"] = [{"literal": a.strip()} for a in s["author"].split(";")]
        if s.get("url"):
            item["URL"] = s["url"]
        issued = _issued(s)
        if issued:
            item["issued"] = issued
        if s.get("language"):
            item["language"] = s["language"]
        items.append(item)
    return items


def _bib(value: str) -> str:
    """Escape the characters BibTeX treats specially; keep the text otherwise as written."""
    out = value.replace("\\", "\\textbackslash{}")
    for ch in "{}%&$#_":
        out = out.replace(ch, "\\" + ch)
    return out


def bibtex(sources: list[dict[str, Any]], version: str, year: str) -> str:
    entries = [
        "@misc{indo-russia-data,\n"
        "  author = {{indo-russia-data contributors}},\n"
        "  title = {indo-russia-data},\n"
        f"  version = {{{version}}},\n"
        + (f"  year = {{{year}}},\n" if year.isdigit() else "")
        + "  note = {Data licensed CC BY 4.0}\n}"
    ]
    for s in sources:
        fields = [("author", "{" + _bib(s["author"]) + "}" if s.get("author") else None),
                  ("title", _bib(s["title"]) if s.get("title") else None),
                  ("howpublished", _bib(s["publisher"])),
                  ("url", s.get("url"))]
        d = s.get("published_date")
        if d is not None:
            fields.append(("year", str(d.year)))
            if (s.get("published_precision") or "day") in ("day", "month"):
                fields.append(("month", str(d.month)))
            if (s.get("published_precision") or "day") == "day":
                fields.append(("day", str(d.day)))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
        entries.append(f"@misc{{{s['source_id']},\n{body}\n}}")
    return "\n\n".join(entries)


FORMATS: dict[str, Callable[..., Any]] = {"bibtex": bibtex, "csl-json": csl_json}
