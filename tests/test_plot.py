"""Charts: deterministic PNGs of the trade series and the timeline, and the plot command."""

import pytest

pytest.importorskip("matplotlib")

from indo_russia_data.access import plot  # noqa: E402

from conftest import run_cli  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tables():
    return plot.shipped_tables()


def test_readme_figures_are_pngs_of_fixed_size(tables):
    import io

    from PIL import Image

    figures = plot.readme_figures(tables)
    assert sorted(figures) == ["docs/figures/timeline.png", "docs/figures/trade.png"]
    for content in figures.values():
        assert content.startswith(PNG)
        assert Image.open(io.BytesIO(content)).size == (1000, 600)
        assert b"Software" not in content  # no matplotlib version in the file


def test_two_runs_give_identical_bytes(tables):
    assert plot.readme_figures(tables) == plot.readme_figures(tables)


def test_charts_do_not_depend_on_the_users_style(tables):
    import matplotlib

    before = plot.trade_png(tables)
    with matplotlib.rc_context({"lines.linewidth": 7, "font.size": 20, "axes.facecolor": "black"}):
        assert plot.trade_png(tables) == before


def test_partial_periods_are_never_on_a_line():
    import datetime as dt

    rows = [
        {"reporter": "india", "flow": "total", "measure": "value", "period_type": pt, "period_label": label,
         "period_start": start, "value": v, "value_low": None, "value_high": None, "value_unit": "USD"}
        for pt, label, start, v in (("fiscal_year", "FY2020-21", dt.date(2020, 4, 1), 8e9),
                                    ("fiscal_year", "FY2021-22", dt.date(2021, 4, 1), 13e9),
                                    ("partial", "Apr-Aug 2022", dt.date(2022, 4, 1), 18e9))
    ]
    from matplotlib.figure import Figure

    fig = Figure()
    plot._draw_trade(fig, rows)
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata())]
    joined = [ln for ln in lines if ln.get_linestyle() not in ("None", "none", "")]
    assert [list(ln.get_ydata()) for ln in joined] == [[8.0, 13.0]]
    hollow = [ln for ln in lines if ln.get_markerfacecolor() == "none"]
    assert [list(ln.get_ydata()) for ln in hollow] == [[18.0]]


def test_runs_break_at_missing_years():
    import datetime as dt

    pts = [(dt.date(y, 4, 1), float(y)) for y in (2000, 2001, 2004, 2005, 2006, 2010)]
    assert [len(r) for r in plot._runs(pts)] == [2, 3, 1]


def test_plot_command_writes_the_png(tmp_path):
    out = tmp_path / "trade.png"
    r = run_cli("plot", "trade", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(PNG)
    r = run_cli("plot", "timeline", "--out", str(tmp_path / "t.jpg"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and ".png, .svg, .pdf" in r.stderr


@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("pdf", b"%PDF-"), ("png", PNG)])
def test_plot_format_follows_the_extension_and_folders_are_made(tmp_path, ext, magic):
    out = tmp_path / "new" / "folder" / f"trade.{ext}"
    r = run_cli("plot", "trade", "--out", str(out))
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    assert first.startswith(magic)
    assert run_cli("plot", "trade", "--out", str(out)).returncode == 0
    assert out.read_bytes() == first  # no date or version stamped into the file


def test_build_rows_and_shipped_rows_draw_the_same_figures(tables):
    """readme_figures takes the build's in-memory rows; they must draw what the shipped files draw."""
    from indo_russia_data.build import pipeline as build

    from conftest import ROOT

    rows = build.read_rows(ROOT / "raw")
    published, problems = build.resolve_tables(rows)
    assert not problems
    assert plot.readme_figures(published) == plot.readme_figures(tables)


def test_current_charts_are_reused_without_drawing(tables):
    """build --check reuses a committed chart whose stamp matches its inputs, and redraws a stale one."""
    drawn = plot.readme_figures(tables)
    stamp = plot.inputs_hash(tables)
    assert all(plot.png_text(png, plot.INPUTS_KEY) == stamp for png in drawn.values())
    fake = {rel: png.replace(b"IEND", b"IEND", 1) for rel, png in drawn.items()}
    assert plot.readme_figures(tables, fake) == drawn
    other = dict(tables, trade_figures=tables["trade_figures"][:-1])
    assert plot.inputs_hash(other) != stamp
    assert plot.readme_figures(other, drawn)["docs/figures/trade.png"] != drawn["docs/figures/trade.png"]


def test_build_check_does_not_import_matplotlib_when_charts_are_current():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys; from indo_russia_data.cli import main; rc = main(['build', '--check']); "
            "print(rc, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.stdout.split()[-2:] == ["0", "False"], out.stdout + out.stderr
