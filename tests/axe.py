"""axe-core in the browser tests: the engine read from an installed package, put into a page and
each of its frames, and run there.

The engine is the ``axe.min.js`` that the ``axe-playwright-python`` wheel ships (pinned in
``requirements-test.txt``); nothing is fetched while the tests run. Streamlit components (the
folium map of streamlit-folium, ``st.html`` blocks drawn in frames) are iframes, and axe only
checks the document it runs in, so it is added to every frame and run in each one separately
(``iframes: false``): a violation is reported with the frame it was found in.

Run ``python -m tests.axe URL`` against a running app to see one page's violations (every
impact) while fixing them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

PACKAGE = "axe-playwright-python"
#: The WCAG 2.0 and 2.1 A and AA rules: a serious or critical one of these fails a test.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Also run, counted and shown, never failing.
ADVISORY_TAGS = ["best-practice"]
FAILING_IMPACTS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass(frozen=True)
class Exclusion:
    """A known limit of Streamlit itself that the app cannot change: one rule on the elements a
    CSS selector names (matched against the violating node's target), with the upstream issue."""

    rule: str
    target: str  #: a substring of the node's axe target selector
    issue: str  #: the upstream GitHub issue
    why: str

    def covers(self, rule: str, target: str) -> bool:
        return rule == self.rule and self.target in target


@dataclass(frozen=True)
class Finding:
    """One rule's violation on one element."""

    rule: str
    impact: str
    help: str
    target: str  #: axe's CSS selector of the element, in its frame
    frame: str  #: "main" or the iframe's title / URL
    html: str
    summary: str  #: axe's failure summary (what to fix)
    wcag: bool  #: from a WCAG A/AA rule (else best practice)

    def describe(self) -> str:
        kind = "" if self.wcag else " (best practice)"
        return (f"[{self.impact}] {self.rule}{kind}: {self.help}\n"
                f"    frame:  {self.frame}\n    target: {self.target}\n"
                f"    html:   {self.html[:220]}\n"
                f"    fix:    {' '.join(self.summary.split())[:400]}")


@dataclass
class Report:
    """Every violation found on a page (each node separately), and those excluded."""

    findings: list[Finding] = field(default_factory=list)
    excluded: list[tuple[Finding, Exclusion]] = field(default_factory=list)
    frames: int = 0
    review: int = 0  #: elements axe could not decide (its "incomplete": needs a person's look)

    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.wcag and f.impact in FAILING_IMPACTS]

    def counts(self) -> dict[str, int]:
        """WCAG violations (nodes) by impact, best-practice ones and exclusions apart."""
        wcag = Counter(f.impact for f in self.findings if f.wcag)
        out = {impact: wcag.get(impact, 0) for impact in IMPACTS}
        out["best-practice"] = sum(1 for f in self.findings if not f.wcag)
        out["excluded"] = len(self.excluded)
        out["review"] = self.review
        out["frames"] = self.frames
        return out


@cache
def axe_source() -> str:
    """The axe-core engine, from the installed package."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def axe_version() -> str:
    """axe-core's version, from the engine's banner (``/*! axe v4.12.1``)."""
    first = axe_source().split("\n", 1)[0]
    return first.split(" v", 1)[1].strip() if " v" in first else "?"


def package_version() -> str:
    return metadata.version(PACKAGE)


RUN_JS = """async tags => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        iframes: false,
        resultTypes: ['violations', 'incomplete'],
    });
    const review = result.incomplete.reduce((n, v) => n + v.nodes.length, 0);
    return {review, violations: result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, tags: v.tags,
        nodes: v.nodes.map(n => ({
            target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' | '),
            html: n.html, impact: n.impact || v.impact, summary: n.failureSummary || '',
        })),
    }))};
}"""


def _frame_name(page: Page, frame: Frame) -> str:
    if frame == page.main_frame:
        return "main"
    try:
        title = frame.frame_element().get_attribute("title") or ""
    except Exception:  # noqa: BLE001  (a frame detached meanwhile)
        title = ""
    url = frame.url.split("?", 1)[0]
    return f"iframe[title={title!r}] ({url})" if title else f"iframe ({url})"


def _inject(frame: Frame) -> None:
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.add_script_tag(content=axe_source())


def run(page: Page, exclusions: tuple[Exclusion, ...] = ()) -> Report:
    """axe on the page and in each of its frames (each its own document), WCAG A/AA and best
    practice rules; the findings that an exclusion covers are set apart."""
    report = Report()
    wcag = set(WCAG_TAGS)
    for frame in page.frames:
        if frame.is_detached() or frame.url in ("", "about:blank") and frame != page.main_frame:
            continue
        _inject(frame)
        name = _frame_name(page, frame)
        report.frames += 1
        result = frame.evaluate(RUN_JS, WCAG_TAGS + ADVISORY_TAGS)
        report.review += result["review"]
        for violation in result["violations"]:
            is_wcag = bool(wcag & set(violation["tags"]))
            for node in violation["nodes"]:
                finding = Finding(violation["id"], node["impact"] or "minor", violation["help"],
                                  node["target"], name, node["html"], node["summary"], is_wcag)
                rule = next((e for e in exclusions if e.covers(finding.rule, finding.target)), None)
                if rule is None:
                    report.findings.append(finding)
                else:
                    report.excluded.append((finding, rule))
    return report


def main(url: str) -> None:
    """Print every violation on ``url`` (a running app's page)."""
    from playwright.sync_api import sync_playwright

    from tests import appserver
    from tests.test_browser import wait_idle

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(appserver.CHROMIUM),
                                             args=appserver.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(url)
        page.locator("h1").first.wait_for(timeout=120_000)
        wait_idle(page)
        page.wait_for_timeout(2000)
        report = run(page)
        for finding in report.findings:
            print(finding.describe())
        print(json.dumps(report.counts()))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
