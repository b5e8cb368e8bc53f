"""Layering checks: the core / figure / data layers must not depend on the UI.

* ``import gmm_core``     must not load streamlit, plotly, pandas, scipy or dask (gmm_dask adapts Dask);
* ``import figures``      must not load streamlit;
* ``import data_sources`` must not load streamlit or plotly;
* no .py file under those packages imports streamlit (static, AST-based).

Imports are checked in a fresh interpreter (``sys.executable -c ...``) so
that whatever this pytest process already imported cannot hide a violation.
A missing package is a failure, not a skip.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

# package -> top-level modules it must not pull in when imported
FORBIDDEN_IMPORTS = {
    "gmm_core": ("streamlit", "plotly", "pandas", "scipy", "dask", "distributed"),
    "figures": ("streamlit",),
    "data_sources": ("streamlit", "plotly"),
}
NO_STREAMLIT_DIRS = ("gmm_core", "figures", "data_sources")

_PROBE = r"""
import importlib, json, sys
name, forbidden = sys.argv[1], sys.argv[2].split(",")
def loaded():
    return sorted(m for m in sys.modules
                  if any(m == f or m.startswith(f + ".") for f in forbidden))
before = set(loaded())
mod = importlib.import_module(name)
print(json.dumps({
    "file": getattr(mod, "__file__", None),
    "preloaded": sorted(before),
    "loaded": [m for m in loaded() if m not in before],
}))
"""


def _require_package(name: str) -> Path:
    """Return the package's __init__.py / module file, or fail clearly."""
    pkg_init = REPO_ROOT / name / "__init__.py"
    module = REPO_ROOT / f"{name}.py"
    if pkg_init.is_file():
        return pkg_init
    if module.is_file():
        return module
    pytest.fail(
        f"package {name!r} does not exist yet: expected {pkg_init.relative_to(REPO_ROOT)} "
        f"(an empty {name}/ directory would only import as a namespace package, "
        "which proves nothing)",
        pytrace=False,
    )


@pytest.mark.parametrize("package", sorted(FORBIDDEN_IMPORTS))
def test_import_does_not_load_forbidden_modules(package):
    expected_file = _require_package(package)
    forbidden = FORBIDDEN_IMPORTS[package]
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, package, ",".join(forbidden)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, (
        f"`import {package}` failed in a fresh interpreter (exit {proc.returncode}):\n"
        f"{proc.stderr[-4000:]}"
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["file"] and Path(result["file"]).resolve() == expected_file.resolve(), (
        f"`import {package}` resolved to {result['file']!r}, not the repo's {expected_file}"
    )
    assert not result["preloaded"], (
        f"forbidden modules were already loaded before importing {package} "
        f"(interpreter startup / sitecustomize?): {result['preloaded']}"
    )
    assert not result["loaded"], (
        f"`import {package}` loaded forbidden module(s) "
        f"{sorted({m.split('.')[0] for m in result['loaded']})} "
        f"({len(result['loaded'])} modules in total); {package} must not depend on "
        f"{list(forbidden)}. To find the culprit: python -X importtime -c 'import {package}'"
    )


def _imports_streamlit(source: str) -> list[int]:
    """Line numbers of `import streamlit...` / `from streamlit... import ...`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pattern = re.compile(r"^\s*(?:import\s+streamlit\b|from\s+streamlit\b)", re.M)
        return [source.count("\n", 0, m.start()) + 1 for m in pattern.finditer(source)]
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(a.name == "streamlit" or a.name.startswith("streamlit.") for a in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "streamlit" or node.module.startswith("streamlit."):
                lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize("package", NO_STREAMLIT_DIRS)
def test_no_streamlit_import_in_source(package):
    _require_package(package)
    pkg_dir = REPO_ROOT / package
    files = sorted(pkg_dir.rglob("*.py")) if pkg_dir.is_dir() else [REPO_ROOT / f"{package}.py"]
    offenders = []
    for path in files:
        for lineno in _imports_streamlit(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{path.relative_to(REPO_ROOT)}:{lineno}")
    assert not offenders, f"{package} must not import streamlit, but these lines do: {offenders}"
