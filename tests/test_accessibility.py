"""Every page of the dashboard checked by axe-core in the browser, in English and in Spanish, on
the sample region and on Atlanta (2010 tracts).

axe-core is the ``axe.min.js`` of the ``axe-playwright-python`` package (requirements-test.txt;
nothing is fetched at run time); :mod:`tests.axe` puts it into the page and into every frame
(the folium map and other components are iframes) and runs the WCAG 2.0/2.1 A and AA rules, and
the best-practice ones, in each. A test fails on any serious or critical WCAG violation that is
not one of the :data:`EXCLUSIONS` (known limits of Streamlit itself, each with its upstream
issue; the README's "Accessibility" section lists the same). Moderate and minor violations and
best-practice ones are counted, never failing.

The counts per page (violating elements by impact) go to ``tests/artifacts/axe-counts.json``
and are printed as a table at the end. The editors' views (the Data page's loading form, the
Project page's record forms: ``ui/data_load.py``, ``ui/project_forms.py``) are checked once
signed in, on the sample, in English (the editors' forms are not translated).

Run with ``pytest tests/test_accessibility.py``; Atlanta's cases skip (with the reason) where
../shared/data is absent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from indicators.certification import accounts
from tests import appserver, axe
from tests.test_browser import MAP_IFRAME, map_path_counts, wait_idle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parent.parent
COUNTS = PROJECT / "tests" / "artifacts" / "axe-counts.json"
VIEWPORT = {"width": 1280, "height": 1400}
PAGE_TIMEOUT_MS = 60_000
MAP_TIMEOUT_S = 30

#: (test id, URL path) of every page the app registers (app.py's LAYOUT).
PAGES = (("neighbourhood", ""), ("compare", "compare"), ("equity", "equity"),
         ("portfolio", "portfolio"), ("project", "project"), ("practitioners", "practitioners"),
         ("methodology", "methodology"), ("learn", "learn"), ("data", "data"))
LANGUAGES = ("en", "es")
REGIONS = {"sample": "sample_db", "atlanta_2010": "atlanta_2010_db"}

#: Known limits of Streamlit that the app cannot change from its own code or CSS: a rule on the
#: elements a selector names, with the upstream issue. Keep this in step with the README's
#: "Accessibility" section. Never add a violation that CSS or the app can fix.
EXCLUSIONS: tuple[axe.Exclusion, ...] = ()


# --------------------------------------------------------------------------------------------
# Servers and the counts file
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=list(REGIONS))
def region_app(request: pytest.FixtureRequest, browser: Browser,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(region, base URL) of a server on that region's built database, warmed by one load."""
    region = request.param
    db = request.getfixturevalue(REGIONS[region])  # skips Atlanta without ../shared/data
    tmp = tmp_path_factory.mktemp(f"a11y-{region}")
    (tmp / "data").mkdir()
    with appserver.running(appserver.app_env(tmp / "data", db), tmp / "streamlit.log") as server:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(f"{server.url}/")
            page.locator("h1").first.wait_for(timeout=120_000)
            wait_idle(page, 120_000)
        finally:
            context.close()
        yield region, server.url


@pytest.fixture(scope="module")
def counts(request: pytest.FixtureRequest) -> Iterator[dict[str, dict[str, int]]]:
    """The counts of this run, by "region/page/lang", written as each page is checked and
    printed as a table at the end."""
    found: dict[str, dict[str, int]] = {}
    yield found
    if found:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
            print("\n" + "\n".join(table(found)))
            print(f"(written to {COUNTS.relative_to(PROJECT)})")


def save(found: dict[str, dict[str, int]]) -> None:
    """Write the counts, keeping those of pages this run did not check (a run of a few)."""
    COUNTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        kept = json.loads(COUNTS.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        kept = {}
    document = {"axe_core": axe.axe_version(), "package": f"{axe.PACKAGE} {axe.package_version()}",
                "tags": axe.WCAG_TAGS, "advisory_tags": axe.ADVISORY_TAGS,
                "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "pages": dict(sorted({**kept, **found}.items()))}
    COUNTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


COLUMNS = ("critical", "serious", "moderate", "minor", "best-practice", "excluded", "review",
           "frames")


def table(found: dict[str, dict[str, int]]) -> list[str]:
    """The counts as a fixed-width table, one line per page."""
    width = max(len(k) for k in found) + 2
    head = "page".ljust(width) + "".join(c.rjust(len(c) + 2) for c in COLUMNS)
    lines = [f"axe-core {axe.axe_version()}: violating elements per page", head, "-" * len(head)]
    for key in sorted(found):
        lines.append(key.ljust(width) + "".join(str(found[key][c]).rjust(len(c) + 2)
                                              for c in COLUMNS))
    return lines


# --------------------------------------------------------------------------------------------
# Drawing the page fully
# --------------------------------------------------------------------------------------------


def settle(page: Page) -> None:
    """Wait until the script has finished, every map has drawn its tracts and the charts are
    on screen; then make the window as tall as the page, so that axe sees every element in the
    viewport (Streamlit scrolls inside its main area, and contrast is judged where it shows)."""
    wait_idle(page, PAGE_TIMEOUT_MS)
    deadline = time.monotonic() + MAP_TIMEOUT_S
    while time.monotonic() < deadline:
        maps = map_path_counts(page)
        if all(maps) and page.locator(".js-plotly-plot:not(:has(.main-svg))").count() == 0:
            break
        page.wait_for_timeout(250)
    needed = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m ? m.scrollHeight : 0; }")
    if needed > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(needed) + 40, 12_000)})
    page.wait_for_timeout(500)
    wait_idle(page, PAGE_TIMEOUT_MS)


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


def test_the_axe_engine_is_the_installed_package() -> None:
    source = axe.axe_source()
    assert source.startswith("/*! axe v") and len(source) > 100_000
    assert axe.axe_version().startswith("4.")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_violation(browser: Browser, region_app: tuple[str, str],
                                          counts: dict[str, dict[str, int]],
                                          name: str, path: str, lang: str) -> None:
    region, url = region_app
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{url}/{path}" + ("?lang=es" if lang == "es" else ""))
        page.locator("h1").first.wait_for(state="visible")
        settle(page)
        assert page.locator(MAP_IFRAME).count() == len(map_path_counts(page))
        document_lang = page.evaluate("() => document.documentElement.lang")
        report = axe.run(page, EXCLUSIONS)
    finally:
        context.close()
    counts[f"{region}/{name or 'neighbourhood'}/{lang}"] = report.counts()
    save(counts)
    failing = report.failing()
    assert not failing, (
        f"{len(failing)} serious or critical WCAG violation(s) on /{path} ({lang}, {region}, "
        f"<html lang={document_lang!r}>):\n" + "\n".join(f.describe() for f in failing))


EDITOR, PASSWORD = "axe-editor", "a long password for the axe test"


@pytest.fixture(scope="module")
def editor_app(browser: Browser, sample_db: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the sample with a local editor account (so the sign-in box shows)."""
    tmp = tmp_path_factory.mktemp("a11y-editor")
    (tmp / "data").mkdir()
    accounts_file = accounts.add_account(EDITOR, PASSWORD, "Axe Editor", "editor",
                                         tmp / "accounts.toml")
    env = {**appserver.app_env(tmp / "data", sample_db), accounts.ACCOUNTS_ENV: str(accounts_file)}
    with appserver.running(env, tmp / "streamlit.log") as server:
        yield server.url


def test_the_editors_views_have_no_serious_or_critical_violation(
        browser: Browser, editor_app: str, counts: dict[str, dict[str, int]]) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    failing: list[str] = []
    try:
        page = context.new_page()
        page.goto(f"{editor_app}/data")
        page.locator("h1").first.wait_for(state="visible", timeout=120_000)
        wait_idle(page, PAGE_TIMEOUT_MS)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Editors: sign in").click()
        sidebar.get_by_label("Name", exact=True).fill(EDITOR)
        sidebar.get_by_label("Password", exact=True).fill(PASSWORD)
        sidebar.get_by_role("button", name="Sign in").click()
        sidebar.get_by_text("Signed in as").wait_for(state="visible")
        for name, path, form in (("data-editor", "data", "Check and load"),
                                 ("project-editor", "project", "Record status")):
            if path != "data":  # the sidebar link keeps the session (and so the signing in)
                page.set_viewport_size(VIEWPORT)
                page.locator(f'[data-testid="stSidebar"] a[href="{path}"]').click()
                page.wait_for_url(f"{editor_app}/{path}")
                wait_idle(page, PAGE_TIMEOUT_MS)
            assert sidebar.get_by_text("Signed in as").is_visible(), f"signed out on /{path}"
            settle(page)
            assert page.get_by_role("button", name=form).count() > 0, f"no {form!r} on /{path}"
            report = axe.run(page, EXCLUSIONS)
            counts[f"sample/{name}/en"] = report.counts()
            failing += [f"/{path} (signed in): {f.describe()}" for f in report.failing()]
    finally:
        context.close()
    save(counts)
    assert not failing, (f"{len(failing)} serious or critical WCAG violation(s) in the editors' "
                         "views:\n" + "\n".join(failing))
