"""The package's layout: public entry points at the top, subpackages whose imports run one way."""

import subprocess
import sys

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "indo_russia_data"
# What each subpackage may import from its siblings (schema <- validation <- build; schema <- access <- build).
ALLOWED = {"schema": set(), "validation": {"schema"}, "access": {"schema"}, "build": {"schema", "validation", "access"}}

PROBE = """
import importlib, pkgutil, sys
name = sys.argv[1]
pkg = importlib.import_module(f"indo_russia_data.{name}")
for m in pkgutil.iter_modules(pkg.__path__):
    importlib.import_module(f"indo_russia_data.{name}.{m.name}")
loaded = [n for n in sys.modules if n.startswith("indo_russia_data.") and n.count(".") >= 2]
print(" ".join(sorted({n.split(".")[1] for n in loaded})))
"""


def test_top_level_holds_only_entry_points_and_subpackages():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "_version.py", "paths.py"]
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted({*ALLOWED, "cli"})  # cli: the command line, an entry point above the rest


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_imports_run_one_way(name):
    """Importing every module of a subpackage pulls in only the siblings it may use."""
    out = subprocess.run([sys.executable, "-c", PROBE, name], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    pulled = set(out.stdout.split()) - {name}
    assert pulled <= ALLOWED[name], f"{name} imports {sorted(pulled - ALLOWED[name])}"


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_lazy_imports_inside_functions_run_one_way_too(name):
    """Imports inside functions (kept lazy for speed) follow the same direction."""
    forbidden = set(ALLOWED) - ALLOWED[name] - {name}
    offenders = []
    for path in (PACKAGE / name).rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(f"from ..{other}" in line or f"indo_russia_data.{other}" in line for other in forbidden):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_no_module_is_over_about_300_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 320}
    assert not long, long
