"""Many sessions at once: ten browser sessions keep reading pages of a running app while an
editor's load swaps the database under them and two editors write certification records.

What must hold: no session sees an error (no Streamlit exception, no page-boundary message, no
console or page error); every write that was accepted is in its table and in the audit log
(no write lost), the load's audit row too; and of the two editors who wrote to the same project
from the same version, exactly one succeeded and the other was refused with the conflict
message. Playwright's sync API is driven from this thread only (ten contexts loaded in turn,
their scripts running on the server at once); the load and the writes run in threads.

It runs twice (``backend``): one app server with its records in a DuckDB file, and two app
servers (the sessions shared between them, as a load balancer would) whose records are one
PostgreSQL database.

Marked ``browser``; skipped where Debian's chromium or playwright is missing. About a minute.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from indicators.certification import audit as chain
from indicators.certification import records
from indicators.certification.backends import Location, is_postgres
from indicators.certification.checks import ConflictError
from indicators.certification.seed import seed_if_absent
from indicators.store import editor_load
from indicators.store.build import build
from tests import appserver, toy
from tests.conftest import PROJECT
from tests.editors import editor
from tests.records_backends import Backend
from tests.test_audit_chain import raw
from ui import data as ui_data

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

SESSIONS = 10
PAGES = ("", "compare", "equity", "portfolio", "project", "methodology", "data")
WRITES_EACH = 5  #: each editor's writes after the conflicting one, on a project of their own
MIN_ROUNDS, MAX_SECONDS = 2, 90
PAGE_TIMEOUT_MS = 60_000
BOUNDARY = "could not be shown because of an unexpected problem"
IDLE_JS = """() => {
    const app = document.querySelector('.stApp');
    return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && document.querySelector('[data-testid="stStatusWidget"]') === null;
}"""
IGNORED_CONSOLE = ("Failed to load resource", "Unrecognized feature", "allow-scripts and allow-same-origin")


@dataclass
class Outcome:
    """What the worker threads did."""

    accepted: list[tuple[str, str, str]] = field(default_factory=list)  #: (editor, table, record id)
    conflicts: list[str] = field(default_factory=list)  #: the refused writer's messages
    errors: list[str] = field(default_factory=list)  #: anything else a worker raised
    swap: editor_load.LoadResult | None = None


def _worker(outcome: Outcome, name: str, work: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except Exception as exc:  # noqa: BLE001  (reported by the test, with the worker's name)
            outcome.errors.append(f"{name}: {type(exc).__name__}: {exc}")

    return threading.Thread(target=run, name=name, daemon=True)


def _project_rows(db: Location) -> list[tuple[str, int, str]]:
    """Three projects with their version and first requirement."""
    with raw(db) as con:
        return con.execute(
            "SELECT p.project_id, p.version, min(r.requirement_id) FROM projects p JOIN requirements r "
            "USING (project_id) GROUP BY p.project_id, p.version ORDER BY p.project_id LIMIT 3").fetchall()


def _writer(outcome: Outcome, who: str, db: Location, shared: tuple[str, int, str], own: tuple[str, int, str],
            barrier: threading.Barrier) -> Callable[[], None]:
    account = editor(who)

    def work() -> None:
        project, version, requirement = shared
        barrier.wait(timeout=30)
        try:  # both editors saw the same version: one of these two must be refused
            result = records.record_requirement_status(project, requirement, "in progress", editor=account,
                                                       version=version, note=f"by {who}", db=db)
            outcome.accepted.append((who, result.table, result.record_id))
        except ConflictError as exc:
            outcome.conflicts.append(str(exc))
        project, version, requirement = own
        for n in range(WRITES_EACH):
            result = records.record_requirement_status(
                project, requirement, ("in progress", "met")[n % 2], editor=account, version=version,
                note=f"{who} write {n}", db=db)
            outcome.accepted.append((who, result.table, result.record_id))
            version = result.version
            time.sleep(0.3)

    return work


def _open(browser: Browser, errors: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(text in message.text for text in IGNORED_CONSOLE):
            errors.append(f"console error: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    return page


def _shows(page: Page, text: str) -> bool:
    """Whether the page shows ``text`` once drawn: a new session's page can report idle just
    before its first run has drawn everything (seen on a second, cold server), so this waits
    for the text, up to the page timeout."""
    try:
        page.wait_for_function("text => document.body.innerText.includes(text)", arg=text,
                               timeout=PAGE_TIMEOUT_MS, polling=200)
    except Exception:  # noqa: BLE001  (playwright's TimeoutError: the text never appeared)
        return False
    return True


def _failures(page: Page) -> list[str]:
    found = [f"Streamlit exception: {text}"
             for text in page.locator('[data-testid="stException"]').all_inner_texts()]
    return found + [f"page-boundary error: {text}" for text in page.get_by_text(BOUNDARY).all_inner_texts()]


@pytest.mark.browser
def test_ten_sessions_read_while_the_database_is_swapped_and_two_editors_write(
        browser: Browser, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        backend: Backend) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "indicators.duckdb"
    cert = data / "certification.duckdb" if backend.kind == "duckdb" else backend.new()
    shutil.copyfile(sample_db, db)
    seed_if_absent(PROJECT / "data" / "sample", cert)
    shared, own_a, own_b = _project_rows(cert)
    with raw(cert) as con:
        audit_before = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    outcome, barrier = Outcome(), threading.Barrier(2)
    acs = (PROJECT / "data" / "sample" / "acs_5yr_2019_2023_tracts.json").read_bytes()

    def swap() -> None:
        time.sleep(3)  # the sessions are reading by then
        outcome.swap = editor_load.load_file(
            acs, "acs_again.json", role="census", profile="acs", editor=editor("loader@example.org"),
            db=db, records_db=cert, period="2019-2023", title="ACS again (concurrency test)")

    workers = [_worker(outcome, "swap", swap),
               _worker(outcome, "editor a", _writer(outcome, "a@example.org", cert, shared, own_a, barrier)),
               _worker(outcome, "editor b", _writer(outcome, "b@example.org", cert, shared, own_b, barrier))]
    errors: list[str] = []
    loads, started = 0, time.monotonic()
    env = appserver.app_env(data, db, str(cert) if is_postgres(cert) else None)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(appserver.running(env, tmp_path / f"streamlit{n}.log"))
                   for n in range(2 if is_postgres(cert) else 1)]  # several servers share PostgreSQL
        pages = [_open(browser, errors) for _ in range(SESSIONS)]
        try:
            for n, server in enumerate(servers):  # warm servers
                pages[n].goto(f"{server.url}/")
                pages[n].wait_for_function(IDLE_JS, timeout=PAGE_TIMEOUT_MS, polling=200)
            for worker in workers:
                worker.start()
            rounds = 0
            while rounds < MIN_ROUNDS or (any(w.is_alive() for w in workers)
                                          and time.monotonic() - started < MAX_SECONDS):
                for i, page in enumerate(pages):  # all ten scripts run on the servers at once
                    page.goto(f"{servers[i % len(servers)].url}/{PAGES[(i + rounds) % len(PAGES)]}")
                for page in pages:
                    page.wait_for_function(IDLE_JS, timeout=PAGE_TIMEOUT_MS, polling=200)
                    errors.extend(_failures(page))
                loads += len(pages)
                rounds += 1
            for worker in workers:
                worker.join(timeout=60)
            pages[0].goto(f"{servers[-1].url}/data")  # after the swap: does a session see the new layer?
            pages[0].wait_for_function(IDLE_JS, timeout=PAGE_TIMEOUT_MS, polling=200)
            errors.extend(_failures(pages[0]))
            with duckdb.connect(str(db), read_only=True) as con:  # the swapped-in database
                built = con.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0]
            seen_new = _shows(pages[0], f"Database built {built}")
        finally:
            for page in pages:
                page.context.close()
    seconds = time.monotonic() - started

    assert not errors, "\n".join(errors[:20])
    assert not outcome.errors, outcome.errors
    assert seen_new, "a page opened after the swap still shows the old database"
    assert outcome.swap is not None and db.exists()
    assert len(outcome.conflicts) == 1, (outcome.conflicts, outcome.accepted)
    assert outcome.conflicts[0] == ("Someone else changed this project since you opened it; reload and "
                                    "try again.")
    assert len(outcome.accepted) == 1 + 2 * WRITES_EACH
    with raw(cert) as con:
        stored = {str(r[0]) for r in con.execute("SELECT status_id FROM requirement_status").fetchall()}
        audit = con.execute("SELECT action, table_name, record_id FROM audit_log WHERE audit_id > ?",
                            [audit_before]).fetchall()
    assert {record for _, _, record in outcome.accepted} <= stored, "a write was lost"
    assert sorted((t, r) for a, t, r in audit if a == "record requirement status") == sorted(
        (t, r) for _, t, r in outcome.accepted), "the audit log misses a write"
    assert [a for a, _, _ in audit if a == "load data"] == ["load data"]
    assert len(audit) == len(outcome.accepted) + 1
    assert chain.verify(cert).ok, "the audit chain is intact"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM layers WHERE title = 'ACS again (concurrency test)'"
                           ).fetchone() == (1,)
    with capsys.disabled():
        print(f"\n  {backend.kind}: {len(servers)} server(s), {SESSIONS} sessions, {loads} page loads in "
              f"{rounds} rounds, {len(outcome.accepted)} "
              f"writes accepted + 1 refused, load {outcome.swap.seconds:.1f} s (swap "
              f"{outcome.swap.swap_seconds * 1e3:.2f} ms), {seconds:.0f} s in all; the Data page "
              "shows the new database after the swap")


def test_a_process_that_has_read_the_database_sees_the_swapped_one(tmp_path: Path, monkeypatch) -> None:
    region = toy.write_region(tmp_path / "region")
    db, cert = tmp_path / "data" / "indicators.duckdb", tmp_path / "data" / "certification.duckdb"
    build(region, db)
    seed_if_absent(region, cert)
    monkeypatch.setenv("JC_DB", str(db))
    assert ui_data.cursor().execute("SELECT count(*) FROM layers").fetchone() == (4,)
    editor_load.load_file(toy.acs_csv().encode(), "acs2.csv", role="census", profile="acs",
                          editor=editor("a@example.org"), db=db, records_db=cert)
    assert ui_data.cursor().execute("SELECT count(*) FROM layers").fetchone() == (5,)
