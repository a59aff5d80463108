"""The package's shape, checked rather than remembered (README, "Architecture").

import-linter (``make lint``, contracts in ``pyproject.toml``) checks that the layers import only
downwards and that no layer has an import cycle. These tests check what it cannot: module size,
private names used across modules, aliases served by a module ``__getattr__``, and that every
layer says in its docstring what it owns and what it may import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kommunenkat.core import paths

PACKAGE = paths.PACKAGE
LAYERS = ("core", "inputs", "inference", "audit", "text", "graphics", "tooling")
MAX_LINES = 600
# Modules allowed past MAX_LINES, each with the reason a split would hurt. Keep it short.
ALLOWED_LONG: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _python_files() -> list[Path]:
    roots = [PACKAGE, paths.ROOT / "tests"]
    files = [p for r in roots for p in r.rglob("*.py") if "__pycache__" not in p.parts]
    return sorted([*files, paths.ROOT / "conftest.py"])


def _rel(p: Path) -> str:
    return p.relative_to(paths.ROOT).as_posix()


def test_the_tree_shows_the_layers():
    found = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert found == sorted(LAYERS)
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside a layer: {loose}"


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_owns_and_may_import(layer):
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text())) or ""
    assert len(doc.split()) >= 25, f"{layer}/__init__.py: a one-paragraph docstring is missing"
    assert "import" in doc, f"{layer}/__init__.py: the docstring must say what the layer may import"


def test_no_module_is_longer_than_the_limit():
    long = {
        _rel(p): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES and _rel(p) not in ALLOWED_LONG
    }
    assert not long, f"modules over {MAX_LINES} lines (split them along a seam): {long}"


def test_the_allow_list_names_only_long_modules():
    for name in ALLOWED_LONG:
        assert len((paths.ROOT / name).read_text().splitlines()) > MAX_LINES, name


def test_no_module_serves_names_through_getattr():
    offenders = [
        _rel(p)
        for p in _modules()
        for node in ast.parse(p.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
    ]
    assert not offenders, f"module-level __getattr__ hides names from grep and IDEs: {offenders}"


def _private_uses(path: Path) -> list[str]:
    """Private names of kommunenkat modules used in ``path`` outside their own module."""
    tree = ast.parse(path.read_text())
    own = None
    if PACKAGE in path.parents:
        own = ".".join(("kommunenkat", *path.relative_to(PACKAGE).with_suffix("").parts))
    modules: dict[str, str] = {}  # local name -> kommunenkat module
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kommunenkat"):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__") and node.module != own:
                    out.append(f"{_rel(path)}:{node.lineno}: from {node.module} import {a.name}")
                modules[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("kommunenkat"):
                    modules[a.asname or a.name] = a.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and modules[node.value.id] != own
        ):
            out.append(f"{_rel(path)}:{node.lineno}: {node.value.id}.{node.attr}")
    return out


def test_no_private_name_is_used_across_modules():
    uses = [u for p in _python_files() for u in _private_uses(p)]
    assert not uses, "make the name public or keep the code together:\n" + "\n".join(uses)


def test_the_private_name_check_finds_a_private_use(tmp_path):
    probe = paths.ROOT / "tests" / "_probe_private_use.py"
    probe.write_text("from kommunenkat.core import fmt\n\nfmt._hidden(1)\n")
    try:
        assert _private_uses(probe) == ["tests/_probe_private_use.py:3: fmt._hidden"]
    finally:
        probe.unlink()
