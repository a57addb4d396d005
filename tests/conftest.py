"""Shared fixtures: the real data folder (skipped with a reason where absent), built databases
of the sample and the real Atlanta regions (built once per test session), and the toy region
factory used by the reader and bad-input tests; the records tests' back ends (DuckDB and
PostgreSQL: ``tests/records_backends.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from indicators.store.build import build
from tests import appserver
from tests.records_backends import backend, postgres_server  # noqa: F401  (fixtures for every test)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PROJECT = Path(__file__).resolve().parent.parent
REGIONS = Path(__file__).resolve().parent / "regions"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout, or ``JC_SHARED_DATA``."""
    override = os.environ.get("JC_SHARED_DATA")
    return Path(override) if override else PROJECT.parent / "shared" / "data"


SHARED = shared_data_dir()
SHARED_REASON = (
    f"real public data not found at {SHARED} (the ../shared/data folder beside the checkout; "
    "set JC_SHARED_DATA to point elsewhere)"
)
needs_shared = pytest.mark.skipif(not (SHARED / "SOURCES.md").exists(), reason=SHARED_REASON)


def real_region(name: str, tmp: Path) -> Path:
    """The manifest folder of a real region. Its paths are relative to ``tests/regions`` with
    shared/ beside the checkout; when ``JC_SHARED_DATA`` points elsewhere a rewritten copy is
    made in ``tmp``."""
    folder = REGIONS / name
    default = (PROJECT.parent / "shared" / "data").resolve()
    if SHARED.resolve() == default:
        return folder
    text = (folder / "manifest.toml").read_text()
    copy = tmp / name
    copy.mkdir(parents=True, exist_ok=True)
    (copy / "manifest.toml").write_text(text.replace("../../../../shared/data", str(SHARED)))
    return copy


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for every browser test of the session: Playwright's
    sync API runs one event loop per thread, so a second ``sync_playwright()`` while this one
    is open would be refused."""
    if not appserver.CHROMIUM.exists():
        pytest.skip(f"{appserver.CHROMIUM} not found: the browser tests need Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(appserver.CHROMIUM),
                                              args=appserver.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def steady_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest as a long-running server does after its first request.

    AppTest restarts Streamlit's page manager on every run, which puts each run in the legacy
    ``pages/`` mode that a real server only uses for its very first request; the pages then
    rerun into ``app.py``'s navigation (``pages.common.frame_guard``), and that rerun drops a
    button click. Switching the legacy mode off after each reset reproduces the server.
    """
    from streamlit.runtime import pages_manager

    original = pages_manager.PagesManager.__init__

    def init(self, *args, **kwargs):  # noqa: ANN001, ANN202
        original(self, *args, **kwargs)
        pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(pages_manager.PagesManager, "__init__", init)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Sample City database, built once from the committed files."""
    out = tmp_path_factory.mktemp("sample") / "indicators.duckdb"
    build(PROJECT / "data" / "sample", out)
    return out


def _real_db(name: str, factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "SOURCES.md").exists():
        pytest.skip(SHARED_REASON)
    tmp = factory.mktemp(name)
    out = tmp / "indicators.duckdb"
    build(real_region(name, tmp), out)
    return out


@pytest.fixture(scope="session")
def atlanta_2010_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Atlanta on 2010 tracts (Georgia's 1,966 tracts, NPUs), built once."""
    return _real_db("atlanta_2010", tmp_path_factory)


@pytest.fixture(scope="session")
def atlanta_2020_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Atlanta on 2020 tracts (five core counties, council districts), built once."""
    return _real_db("atlanta_2020", tmp_path_factory)


@pytest.fixture(scope="session")
def atlanta_periods_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Atlanta in three periods (2008-2012 and 2014-2018 on 2010 tracts, 2018-2022 on 2020
    tracts), NPUs, built once."""
    return _real_db("atlanta_periods", tmp_path_factory)
