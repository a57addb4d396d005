"""Every Streamlit cache of the app is bounded, so a server's memory cannot grow without limit
with the pages it serves (``benchmarks/memory.py`` measures it). The source of ``app.py``,
``ui/`` and ``pages/`` is parsed, not imported: cheap, and a new unbounded cache fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = sorted([PROJECT / "app.py", *(PROJECT / "ui").glob("*.py"), *(PROJECT / "pages").glob("*.py")])
CACHES = {"cache_data", "cache_resource"}


def cache_decorators(path: Path) -> list[tuple[str, ast.expr]]:
    """(function name, decorator) for each ``st.cache_data`` / ``st.cache_resource`` decorator
    (bare or called) in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in CACHES:
                    found.append((node.name, decorator))
    return found


def bounded(decorator: ast.expr) -> bool:
    """Whether a cache decorator is called with ``max_entries`` set to something but None."""
    return isinstance(decorator, ast.Call) and any(
        k.arg == "max_entries" and not (isinstance(k.value, ast.Constant) and k.value.value is None)
        for k in decorator.keywords)


def unbounded_caches(path: Path) -> list[str]:
    """The functions of a file whose cache has no ``max_entries``."""
    return [name for name, decorator in cache_decorators(path) if not bounded(decorator)]


def test_the_app_has_caches_to_check() -> None:
    assert sum(len(cache_decorators(path)) for path in SOURCES) == 6


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_every_cache_sets_max_entries(path: Path) -> None:
    assert not unbounded_caches(path), f"{path.name}: caches without max_entries"


def test_a_bare_or_unbounded_decorator_is_caught(tmp_path: Path) -> None:
    source = tmp_path / "page.py"
    source.write_text("import streamlit as st\n\n@st.cache_data\ndef a(): ...\n\n"
                      "@st.cache_resource(ttl=5)\ndef b(): ...\n\n"
                      "@st.cache_data(max_entries=None)\ndef c(): ...\n\n"
                      "@st.cache_data(max_entries=3)\ndef d(): ...\n")
    assert unbounded_caches(source) == ["a", "b", "c"]
