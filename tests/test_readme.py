"""Every code example in the README runs, and the outputs it shows are what the commands print."""

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
BLOCKS = [(m.group(1), m.group(2), README[: m.start()].count("\n") + 1) for m in FENCE.finditer(README)]
# The Quick start's two commands set up a fresh machine; .ci/run runs the test one verbatim and the
# release check runs the other in a fresh clone, so here they are only checked to be the documented pair.
QUICK_START = ("python3 -m venv .venv",)
# `serve` runs until stopped; tests/test_analyst.py and tests/test_serve_browser.py run it.
LONG_RUNNING = ("serve",)


def _blocks(lang: str) -> list[tuple[str, int]]:
    return [(body, line) for kind, body, line in BLOCKS if kind == lang]


def _commands(body: str) -> list[list[str]]:
    """`$ indo-russia-data ...` lines (with indented continuation lines) of a shown session."""
    out, current = [], None
    for line in body.splitlines():
        if line.startswith("$ "):
            current = line[2:]
            out.append(current)
        elif current is not None and line.startswith("    ") and out and out[-1].count('"') % 2:
            out[-1] += " " + line.strip()
        else:
            current = None
    return [shlex.split(c) for c in out]


def test_the_readme_has_examples_of_every_kind():
    kinds = {kind for kind, _, _ in BLOCKS}
    assert {"python", "bash", "text", "r"} <= kinds


@pytest.mark.parametrize("body, line", _blocks("python"), ids=lambda x: str(x) if isinstance(x, int) else "")
def test_python_examples_run(body, line, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    if "duckdb" in body:
        pytest.importorskip("duckdb")
    namespace: dict = {}
    exec(compile(body, f"README.md:{line}", "exec"), namespace)  # noqa: S102 - our own README
    if "india_totals" in namespace:  # the DuckDB trade query: money only, one row per fiscal year
        totals = namespace["india_totals"]
        assert len(totals) > 10 and set(totals["value_unit"]) == {"USD"}
        assert totals["value"].min() > 1e8 and totals["period_label"].is_unique


def test_r_example_selects_money_only():
    """R is not installed here: the R block's subset() condition is evaluated with pandas instead."""
    import indo_russia_data as ird

    (body, _), = _blocks("r")
    condition = re.search(r"subset\(trade, (.*)\)\s*$", body, re.M).group(1)
    trade = ird.load("trade_figures").astype({"reporter": str, "flow": str, "measure": str, "period_type": str})
    rows = trade.query(condition)
    assert len(rows) > 10 and set(rows["measure"]) == {"value"} and rows["period_label"].is_unique


def test_bash_examples_run(tmp_path):
    ran = 0
    for body, line in _blocks("bash"):
        for raw in body.splitlines():
            cmd = raw.split("  #")[0].strip()
            if not cmd or cmd.startswith(QUICK_START):
                continue
            args = shlex.split(cmd)
            assert args[0] == "indo-russia-data", f"README.md:{line}: unexpected command {cmd!r}"
            if args[1] in LONG_RUNNING:
                continue
            out = run_cli(*args[1:], cwd=tmp_path)
            assert out.returncode == 0, f"README.md:{line}: {cmd}\n{out.stderr}"
            ran += 1
    assert ran >= 2


def _shown_sessions() -> list[tuple[list[str], list[str], int]]:
    sessions = []
    for body, line in _blocks("text"):
        cmds = _commands(body)
        if len(cmds) != 1 or cmds[0][0] != "indo-russia-data":
            continue
        shown = [ln for ln in body.splitlines()[1:] if not ln.startswith("    ") and ln.strip() != "..."]
        sessions.append((cmds[0], shown, line))
    return sessions


def _shows(shown: str, printed: str) -> bool:
    """A shown line is the printed one, or its start when the README cut it with '...'."""
    shown, printed = shown.rstrip(), printed.rstrip()
    if shown.endswith("..."):
        return printed.startswith(shown[:-3].rstrip(" ,;"))
    return shown == printed


@pytest.mark.parametrize("cmd, shown, line", _shown_sessions(), ids=lambda x: str(x) if isinstance(x, int) else "")
def test_shown_output_is_what_the_command_prints(cmd, shown, line):
    if cmd[1] == "sql":
        pytest.importorskip("duckdb")
    if cmd[1] == "diff" and not (ROOT / ".git").exists():
        pytest.skip("the diff example names a git revision")
    env = dict(os.environ, COLUMNS="200")
    out = subprocess.run([sys.executable, "-m", "indo_russia_data.cli", *cmd[1:]], capture_output=True,
                         text=True, cwd=ROOT, timeout=300, env=env)
    printed = out.stdout.splitlines()
    at = 0
    for want in shown:
        found = [i for i in range(at, len(printed)) if _shows(want, printed[i])]
        assert found, f"README.md:{line}: `{' '.join(cmd)}` no longer prints {want!r}"
        at = found[0] + 1


def test_quick_start_has_the_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    cmds = [b.strip() for kind, b, _ in BLOCKS if kind == "bash" and b.strip() in quick]
    assert len(cmds) == 2 and "indo-russia-data build" in cmds[0] and "pytest" in cmds[1]
    assert cmds[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
