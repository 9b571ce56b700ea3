"""The shape of the code, checked rather than hoped (docs/architecture.md).

- No module over 500 lines and no function over 80 (migrations and tests aside), so every rule has a home
  small enough to read in a minute.
- No ``_private`` name is imported from another module: a name another module needs is public.
The layers themselves are checked by import-linter (``lint-imports``, in ``make test``; contracts in
pyproject.toml).
"""

from __future__ import annotations

import ast
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _code_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [
        REPO / name
        for name in listed
        if not name.startswith("tests/") and "/migrations/" not in name and (REPO / name).exists()
    ]


FILES = _code_files()


def _parsed(path: Path) -> tuple[str, ast.Module]:
    source = path.read_text()
    return source, ast.parse(source)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_modules_and_functions_stay_small(path):
    source, tree = _parsed(path)
    lines = source.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split it by what each part is for"
    long = [
        f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_private_name_is_imported_from_another_module(path):
    _, tree = _parsed(path)
    private = [
        f"line {node.lineno}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not private, f"make these public where they live, or move them: {private}"


def test_the_checks_see_the_code():
    names = {str(p.relative_to(REPO)) for p in FILES}
    assert {"core/errors.py", "config/settings.py", "home/selectors.py"} <= names
    assert not any(name.startswith("tests/") or "/migrations/" in name for name in names)


# The capabilities that live inside a parent folder, and the contract that keeps the parent below them.
NESTED = {
    "programmes-below-training-plans": ("programmes", "training_plans"),
    "evidence-below-otj": ("portfolios", "otj"),
    "epa-above-capabilities": ("assessments", "epa"),
}


@pytest.mark.parametrize("contract_id", sorted(NESTED))
def test_every_module_of_a_parent_folder_is_held_below_its_nested_capability(contract_id):
    """import-linter's layers cannot nest, so each parent's own modules are named in a "forbidden" contract; a
    module added to the parent later must be named there too, or the layering would silently not apply to it."""
    parent, child = NESTED[contract_id]
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == contract_id)
    assert contract["forbidden_modules"] == [f"{parent}.{child}"]
    own = {
        f"{parent}.{path.stem if path.is_file() else path.name}"
        for path in (REPO / parent).iterdir()
        if path.name not in {"__init__.py", "__pycache__", "migrations", child}
        and (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()))
    }
    named = set(contract["source_modules"])
    assert own <= named | {parent}, f"name these in the {contract_id} contract: {sorted(own - named)}"
