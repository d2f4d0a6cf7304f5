"""Charts of the published tables as deterministic PNGs (needs the ``plot`` extra).

Every function takes the published rows, ``{table: [row dict, ...]}``, as the
build holds them (or as ``load(name, "pyarrow").to_pylist()`` gives them), so
the build can draw the README figures without reading files back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from .._version import __version__

Rows = Mapping[str, list[dict[str, Any]]]

SIZE, DPI = (10.0, 6.0), 100
INDIA, RUSSIA, TARGET = "#d95f02", "#1b6ca8", "#333333"
SOURCE_LINE = f"Source: indo-russia-data {__version__}, claims from official releases and dated public pages"
# Statuses meaning the contract was actually signed (approved/agreed/planned were not, yet).
SIGNED = {"signed", "in_delivery", "delivered", "cancelled"}


def _require_matplotlib() -> Any:
    try:
        import matplotlib
        import matplotlib.style  # noqa: F401 - a submodule, not loaded by the package itself
    except ImportError:
        raise ImportError("charts need matplotlib: pip install 'indo-russia-data[plot]'") from None
    return matplotlib


FORMATS = ("png", "svg", "pdf")
# Metadata that would carry the matplotlib version or today's date, which are not part of the data.
_NO_STAMP = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}


def _render(draw: Callable[[Any], None], fmt: str = "png", stamp: str | None = None) -> bytes:
    """Draw on a fresh figure and return PNG, SVG or PDF bytes that depend only on the data."""
    if fmt not in FORMATS:
        raise ValueError(f"charts are drawn as {', '.join(FORMATS)}, not {fmt!r}")
    mpl = _require_matplotlib()
    from matplotlib.figure import Figure

    # The default style, not the user's matplotlibrc: the same data must give the same bytes.
    rc = {"font.family": "DejaVu Sans", "font.size": 10, "svg.hashsalt": "indo-russia-data"}
    with mpl.style.context("default"), mpl.rc_context(rc):
        fig = Figure(figsize=SIZE, dpi=DPI)
        draw(fig)
        fig.text(0.01, 0.01, SOURCE_LINE, fontsize=8, color="#555555", ha="left", va="bottom")
        buf = io.BytesIO()
        meta = dict(_NO_STAMP[fmt], **({INPUTS_KEY: stamp} if stamp and fmt == "png" else {}))
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta)
    return buf.getvalue()


# ---------------------------------------------------------------- trade


def _billions(row: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    scale = lambda x: None if x is None else x / 1e9  # noqa: E731
    return scale(row.get("value")), scale(row.get("value_low")), scale(row.get("value_high"))


def _runs(points: list[tuple[dt.date, float]]) -> Iterable[list[tuple[dt.date, float]]]:
    """Split a yearly series where a year is missing, so a line never bridges a gap."""
    run: list[tuple[dt.date, float]] = []
    for p in sorted(points):
        if run and p[0].year - run[-1][0].year > 1:
            yield run
            run = []
        run.append(p)
    if run:
        yield run


def _draw_bounds(ax: Any, rows: list[dict[str, Any]], color: str, hollow: bool) -> None:
    """Figures known only as a bound ('over', 'nearly') or a range: a caret or a bar, never a point."""
    face = "none" if hollow else color
    for r in rows:
        v, lo, hi = _billions(r)
        x = r["period_start"]
        if v is not None:
            continue
        if lo is not None and hi is not None:
            ax.vlines(x, lo, hi, color=color, lw=2)
        elif lo is not None:
            ax.plot([x], [lo], "^", color=color, mfc=face, ms=8)
        elif hi is not None:
            ax.plot([x], [hi], "v", color=color, mfc=face, ms=8)


def _draw_trade(fig: Any, figures: list[dict[str, Any]], official: Collection[str] = ()) -> None:
    from matplotlib.lines import Line2D

    ax = fig.add_axes((0.08, 0.12, 0.64, 0.78))
    usd = [r for r in figures if r["flow"] == "total" and r.get("value_unit") == "USD"]
    series = (("india", "fiscal_year", INDIA, "o", "India-reported, fiscal year (Apr-Mar)"),
              ("russia", "calendar_year", RUSSIA, "s", "Russia-reported, calendar year"))
    handles = []
    for reporter, period, color, marker, label in series:
        mine = [r for r in usd if r["reporter"] == reporter and r["measure"] == "value"]
        full = [r for r in mine if r["period_type"] == period]
        points = [(r["period_start"], v) for r in full if (v := _billions(r)[0]) is not None]
        for run in _runs(points):
            ax.plot([p[0] for p in run], [p[1] for p in run], "-", marker=marker, color=color, ms=6, lw=1.8)
        # Years resting on press figures only, with no official source: a white centre on the line.
        press = [(r["period_start"], _billions(r)[0]) for r in full
                 if r.get("value") is not None and r.get("value_claim_id") not in official]
        ax.plot([p[0] for p in press], [p[1] for p in press], linestyle="none", marker=marker, color=color,
                mfc="white", ms=6, mew=1.5)
        _draw_bounds(ax, full, color, hollow=False)
        partial = [r for r in mine if r["period_type"] == "partial"]
        px = [(r["period_start"], _billions(r)[0]) for r in partial if r.get("value") is not None]
        # Partial periods are not comparable with full years: hollow, and never on the line.
        ax.plot([p[0] for p in px], [p[1] for p in px], linestyle="none", marker=marker, color=color,
                mfc="none", ms=7, mew=1.5)
        _draw_bounds(ax, partial, color, hollow=True)
        handles.append(Line2D([], [], color=color, marker=marker, lw=1.8, label=label))
        handles.append(Line2D([], [], color=color, marker=marker, mfc="none", ls="none", mew=1.5,
                              label=f"{reporter.capitalize()}-reported, partial period"))
    targets = [r for r in usd if r["measure"] == "target" and r.get("value") is not None]
    ax.plot([r["period_start"] for r in targets], [_billions(r)[0] for r in targets], linestyle="none",
            marker="*", color=TARGET, ms=13)
    for r in targets:
        ax.annotate(f"target {r['period_label']}", (r["period_start"], _billions(r)[0]), fontsize=8,
                    xytext=(6, -3), textcoords="offset points", color=TARGET)
    handles += [
        Line2D([], [], color="grey", marker="o", mfc="white", ls="none", mew=1.5,
               label="Full year on press figures only\n(filled: an official release or page)"),
        Line2D([], [], color=TARGET, marker="*", ls="none", ms=13, label="Joint target (both governments)"),
        Line2D([], [], color="grey", marker="^", ls="none", label="Lower bound only ('over')"),
        Line2D([], [], color="grey", marker="v", ls="none", label="Upper bound only ('nearly', 'under')"),
    ]
    ax.set_title("India-Russia total trade by period, as each side reports it", loc="left", fontsize=12)
    ax.set_xlabel("Start of period")
    ax.set_ylabel("Total trade (USD billions, current)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(right=dt.date(max(r["period_start"].year for r in usd) + 3, 1, 1))  # room for target labels
    ax.grid(True, color="#dddddd", lw=0.6)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    fig.text(0.74, 0.14, "Gaps in a line are years without a figure.\nPartial periods (e.g. Jan-Aug) are\n"
             "shown at their start and never joined\nto the full-year lines; hollow carets\n"
             "are bounds on partial periods.", fontsize=8, color="#555555",
             va="bottom")


def trade_png(tables: Rows, fmt: str = "png", stamp: str | None = None) -> bytes:
    """India-Russia total trade: India's fiscal-year and Russia's calendar-year series, partials, targets."""
    from .coverage import official_claims

    official = official_claims(tables)
    return _render(lambda fig: _draw_trade(fig, tables["trade_figures"], official), fmt, stamp)


# ---------------------------------------------------------------- timeline


def _year_fraction(d: dt.date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 366


def _per_year(dates: Iterable[dt.date | None]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for d in dates:
        if d is not None:
            counts[d.year] = counts.get(d.year, 0) + 1
    return counts


def _draw_timeline(fig: Any, tables: Rows) -> None:
    summits = [e for e in tables["events"] if e["event_type"] == "annual_summit" and e.get("start_date")]
    held = sorted((e for e in summits if e["status"] == "held"), key=lambda e: e["start_date"])
    not_held = [e for e in summits if e["status"] != "held"]
    agreements = _per_year(a.get("signed_date") for a in tables["agreements"])
    contracts = _per_year(c.get("contract_date") for c in tables["defence_contracts"] if c["status"] in SIGNED)
    first = min([e["start_date"].year for e in summits] + list(contracts)) - 1
    last = max([e["start_date"].year for e in summits] + list(agreements) + list(contracts)) + 1
    axes = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1.3, 1, 1], "hspace": 0.25})
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.12)
    top, mid, low = axes

    top.plot([_year_fraction(e["start_date"]) for e in held], [0] * len(held), "o", color=INDIA, ms=7)
    for e in held:
        top.annotate(e.get("city") or "city n/a", (_year_fraction(e["start_date"]), 0), xytext=(0, 7),
                     textcoords="offset points", rotation=90, fontsize=7.5, ha="center", va="bottom")
    top.plot([_year_fraction(e["start_date"]) for e in not_held], [0] * len(not_held), "x", color="#999999",
             ms=7, mew=1.5)
    for e in not_held:  # below the line, so they never run into a neighbouring city
        top.annotate(e["status"], (_year_fraction(e["start_date"]), 0), xytext=(0, -8),
                     textcoords="offset points", rotation=90, fontsize=7.5, ha="center", va="top",
                     color="#777777")
    top.set_ylim(-1.1, 1.3)
    top.set_yticks([])
    top.set_title("Annual summits (city where held; x = not held)", loc="left", fontsize=10)

    for ax, counts, color, title in (
        (mid, agreements, RUSSIA, "Agreements, MoUs and joint statements dated in the year (count)"),
        (low, contracts, "#4d4d4d", "Defence contracts signed in the year (count)"),
    ):
        years = [y for y in sorted(counts) if first <= y <= last]
        ax.bar([y + 0.5 for y in years], [counts[y] for y in years], width=0.8, color=color)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel("count")
        ax.yaxis.get_major_locator().set_params(integer=True)
    for ax in axes:
        ax.grid(True, axis="x", color="#dddddd", lw=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    earlier = sum(n for y, n in agreements.items() if y < first)
    low.set_xlim(first, last + 1)
    low.set_xlabel("Year" + (f"  ({earlier} agreement(s) dated before {first} not shown)" if earlier else ""))
    fig.suptitle("India-Russia: summits, agreements and defence contracts by year", x=0.08, ha="left",
                 fontsize=12)


def timeline_png(tables: Rows, fmt: str = "png", stamp: str | None = None) -> bytes:
    """Annual summits by year and city, agreements per year, defence-contract signings per year."""
    return _render(lambda fig: _draw_timeline(fig, tables), fmt, stamp)


# ---------------------------------------------------------------- entry points

CHARTS: dict[str, Callable[..., bytes]] = {"trade": trade_png, "timeline": timeline_png}


# sources and claims: the trade chart marks years whose value rests on an official source.
CHART_TABLES = ("sources", "events", "agreements", "defence_contracts", "trade_figures", "claims")
INPUTS_KEY = "ird-inputs"  # a PNG text chunk: the hash of what the chart was drawn from


def inputs_hash(tables: Rows) -> str:
    """What a README chart depends on: the rows it draws and the code that draws them."""
    import hashlib
    import json
    from pathlib import Path

    digest = hashlib.sha256(Path(__file__).read_bytes())
    rows = {name: tables[name] for name in CHART_TABLES}
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def png_text(data: bytes, key: str) -> str | None:
    """The value of a PNG tEXt chunk, read without an image library."""
    import struct

    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    at = 8
    while at + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        if kind == b"tEXt":
            name, _, value = data[at + 8:at + 8 + length].partition(b"\0")
            if name.decode("latin-1") == key:
                return value.decode("latin-1")
        if kind == b"IDAT":  # text chunks that matter come before the image data
            return None
        at += 12 + length
    return None


def readme_figures(published_tables: Rows, previous: dict[str, bytes] | None = None) -> dict[str, bytes] | None:
    """The README figures, keyed by path relative to the checkout (for ``build.render``).

    A committed chart whose stamp matches the current inputs is reused as it is: redrawing
    would give the same bytes, and takes most of `build --check`'s time. Returns None when a
    chart must be drawn and matplotlib is missing.
    """
    stamp = inputs_hash(published_tables)
    out: dict[str, bytes] = {}
    for name, draw in CHARTS.items():
        rel = f"docs/figures/{name}.png"
        old = (previous or {}).get(rel)
        if old is not None and png_text(old, INPUTS_KEY) == stamp:
            out[rel] = old
            continue
        try:
            out[rel] = draw(published_tables, "png", stamp)
        except ImportError:
            return None
    return out


def shipped_tables() -> dict[str, list[dict[str, Any]]]:
    """The shipped tables as row dicts, the shape the chart functions take."""
    from .loader import rows

    return rows(CHART_TABLES)
