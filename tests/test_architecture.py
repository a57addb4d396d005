"""The package's shape, checked: layers and cycles (import-linter), thin pages, helpers out of
``pages/``, small modules, imports at the top, and docstrings that name only what exists."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "indicators"
SOURCES = sorted([*PACKAGE.rglob("*.py"), *(PROJECT / "ui").glob("*.py"),
                  *(PROJECT / "pages").glob("*.py"), PROJECT / "app.py"])
MAX_MODULE_LINES = 400
MAX_PAGE_LINES = 200
#: Imports inside a function, and why each is there (none may dodge an import cycle).
LOCAL_IMPORTS = {
    "indicators/metrics/segregation.py": "the segregation package changes NumPy's error state "
                                         "when imported; it is imported under a saved state",
}
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP)\s+[\w*\"(]")
REFERENCE = re.compile(r":(?:mod|func|class|data|meth|attr):`~?(indicators\.[\w.]+)`")


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT).as_posix()


def test_the_layer_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_pages_holds_only_the_pages_app_registers() -> None:
    registered = set(re.findall(r'"pages" / "([\w]+\.py)"', (PROJECT / "app.py").read_text()))
    present = {p.name for p in (PROJECT / "pages").iterdir() if p.name != "__pycache__"}
    assert present == registered
    assert len(registered) == 9


@pytest.mark.parametrize("path", [p for p in SOURCES if p.parent.name in ("pages", "ui")],
                         ids=_rel)
def test_no_sql_outside_the_package(path: Path) -> None:
    found = SQL.findall(path.read_text())
    assert not found, f"{_rel(path)} writes SQL ({found}); queries belong in indicators/present/queries.py"


@pytest.mark.parametrize("path", SOURCES, ids=_rel)
def test_modules_are_small(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    limit = MAX_PAGE_LINES if path.parent.name == "pages" else MAX_MODULE_LINES
    assert lines <= limit, f"{_rel(path)} has {lines} lines (at most {limit})"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=_rel)
def test_imports_are_at_the_top(path: Path) -> None:
    tree = ast.parse(path.read_text())
    top = set(map(id, tree.body))
    local = [node.lineno for node in ast.walk(tree)
             if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top
             and not _under_type_checking(tree, node)]
    if _rel(path) in LOCAL_IMPORTS:
        assert local, f"{_rel(path)} no longer imports inside a function: drop it from LOCAL_IMPORTS"
        return
    assert not local, f"{_rel(path)} imports inside a function at lines {local}"


def _under_type_checking(tree: ast.Module, node: ast.AST) -> bool:
    for block in tree.body:
        if (isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                and any(child is node for child in ast.walk(block))):
            return True
    return False


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_docstrings_name_only_what_exists() -> None:
    missing = {}
    for path in [*PACKAGE.rglob("*.py"), *(PROJECT / "ui").glob("*.py")]:
        for dotted in REFERENCE.findall(path.read_text()):
            if not _resolves(dotted):
                missing.setdefault(_rel(path), []).append(dotted)
    assert missing == {}
