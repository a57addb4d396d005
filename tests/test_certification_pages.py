"""The Certification portfolio and Project pages, headless: what a funder sees, that a visitor
cannot edit, that an editor's change shows everywhere and in the audit log, and that a
conflicting edit is refused. Each runs with the records in a DuckDB file (``JC_CERT_DB``) and in
PostgreSQL (``records.url`` in the app's secrets, which wins over ``JC_CERT_DB``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.certification import accounts, records
from indicators.certification.backends import is_postgres
from indicators.sample.records import REFERENCE_DATE
from tests.conftest import PROJECT
from tests.editors import editor
from tests.records_backends import Backend
from tests.test_pages import assert_clean, text_of

EDITOR = "records.manager@example.org"
EDITOR_ACCOUNT = editor(EDITOR)  #: as the app signs that editor in


@pytest.fixture
def app(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steady_navigation,
        backend: Backend):
    """A fresh records database per test (seeded from the sample on first use), on each back end."""
    cert = tmp_path / "certification.duckdb" if backend.kind == "duckdb" else backend.new()
    monkeypatch.setenv("JC_DB", str(sample_db))
    monkeypatch.setenv("JC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JC_CERT_DB", str(tmp_path / "certification.duckdb"))
    monkeypatch.setenv("JC_ACCOUNTS", str(tmp_path / "no-accounts.toml"))

    def open_page(page: str, query: dict | None = None, editor: bool = False) -> AppTest:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
        if is_postgres(cert):
            at.secrets["records"] = {"url": str(cert)}
        if editor:
            at.secrets["editors"] = {"emails": [EDITOR]}
            at.user = {"is_logged_in": True, "email": EDITOR, "name": "Records Manager"}
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"pages/{page}.py")
        at.run()
        return at

    open_page.cert_db = cert  # type: ignore[attr-defined]
    open_page.cert_file = tmp_path / "certification.duckdb"  # type: ignore[attr-defined]
    return open_page


def test_portfolio_answers_who_is_behind_and_on_what(app):
    at = app("portfolio")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Projects"] == "12"
    # On the sample records' reference date (the default status date for fictional records).
    assert metrics["Behind schedule"] == "4"
    text = text_of(at)
    assert "Which projects are behind, and on what?" in text
    assert "**Lakeshore Neighbors Alliance** (Lakeshore): Commitment to the Pillars was due" in text
    assert "certification lapsed" in text
    table = at.dataframe[0].value
    assert len(table) == 12 and {"Progress", "Next deadline", "Targets on track"} <= set(table.columns)
    assert at.get("plotly_chart"), "the stage funnel"
    assert app.cert_file.exists() is not is_postgres(app.cert_db)  # records.url wins over JC_CERT_DB


def test_sample_records_are_shown_on_their_reference_date(app):
    at = app("portfolio")
    assert at.date_input(key="as_of").value == REFERENCE_DATE
    assert ("Shown as of 1 November 2026, the fictional sample records' reference date"
            in text_of(at))
    at = app("project", {"project": "Lakeshore Neighbors Alliance"})
    assert at.date_input(key="as_of").value == REFERENCE_DATE
    metrics = {m.label: m for m in at.metric}
    assert metrics["Next deadline"].value == "01 Feb 2025"
    # 638 days before the reference date, whatever the calendar says today.
    assert metrics["Next deadline"].delta == "-638 days"


def test_a_link_with_a_date_opens_the_project_on_that_date(app):
    at = app("project", {"project": "Lakeshore Neighbors Alliance", "as_of": "2025-01-01"})
    assert at.date_input(key="as_of").value == date(2025, 1, 1)
    assert {m.label: m.delta for m in at.metric}["Next deadline"] == "31 days"
    assert_clean(at)


def test_portfolio_filters_change_the_table(app):
    at = app("portfolio", {"stage": ["Performance"]})
    table = at.dataframe[0].value
    assert set(table["Stage"]) == {"Performance"} and len(table) == 4
    at.multiselect(key="stage").set_value([]).run()
    at.multiselect(key="commitment").set_value(["Wellbeing"]).run()
    assert len(at.dataframe[0].value) == 2


def test_project_page_shows_timeline_checklist_reviews_targets_team(app):
    at = app("project", {"project": "Downtown Renewal Alliance"})
    assert_clean(at)
    text = text_of(at)
    for heading in ("Timeline", "Checklist", "Submissions and reviews", "Targets",
                    "Accredited Practitioners on the team"):
        assert heading in text
    assert any("revisions requested" in set(df.value.get("Outcome", [])) for df in at.dataframe)
    assert "Dashboard now:" in text  # the district's indicator beside its target


def test_visitor_sees_no_edit_controls(app):
    at = app("project", {"project": "Westside United"})
    assert_clean(at)
    assert "Update this project" not in text_of(at)
    assert not at.get("form_submit_button") and not [b for b in at.button if b.label.startswith("Record")]


def _observation_form(at: AppTest):
    value = next(w for w in at.number_input if w.label.startswith("Observed value"))
    submit = next(b for b in at.button if b.label == "Record observation")
    return value, submit


def test_editor_records_an_observation_seen_by_everyone_and_audited(app):
    at = app("project", {"project": "Downtown Renewal Alliance"}, editor=True)
    assert_clean(at)
    assert "Update this project" in text_of(at)
    before = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    value, submit = _observation_form(at)
    value.set_value(44.4)
    submit.click().run()
    assert_clean(at)
    assert "Saved to observations" in "\n".join(s.value for s in at.success)
    after = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    assert len(after.observations) == len(before.observations) + 1
    assert 44.4 in set(after.observations["value"])
    log = records.audit_log("downtown-renewal", db=app.cert_db)
    assert log.iloc[0]["actor"] == EDITOR_ACCOUNT.audit_name and "44.4" in str(log.iloc[0]["after"])
    # Another session (a visitor) sees the change at once.
    visitor = app("project", {"project": "Downtown Renewal Alliance"})
    history = [df.value for df in visitor.dataframe if "Who" in df.value.columns][0]
    assert EDITOR in set(history["Who"])


def test_conflicting_edit_is_refused_and_nothing_is_lost(app):
    at = app("project", {"project": "Downtown Renewal Alliance"}, editor=True)
    seen = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    target = int(seen.targets["target_id"].iloc[0])
    # Someone else saves first, from another session.
    records.add_observation("downtown-renewal", target, 45.0, editor=editor("other.editor@example.org"),
                            version=seen.version, observed_on=date.today(), db=app.cert_db)
    value, submit = _observation_form(at)
    value.set_value(43.0)
    submit.click().run()
    assert "Someone else changed this project" in "\n".join(w.value for w in at.warning)
    after = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    assert 45.0 in set(after.observations["value"]) and 43.0 not in set(after.observations["value"])
    # Having now seen the other change, the editor can save.
    value, submit = _observation_form(at)
    value.set_value(43.0)
    submit.click().run()
    final = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    assert {45.0, 43.0} <= set(final.observations["value"])


def test_bad_entry_is_explained_and_not_written(app):
    at = app("project", {"project": "Downtown Renewal Alliance"}, editor=True)
    before = records.dump(app.cert_db)
    submit = next(b for b in at.button if b.label == "Record observation")
    submit.click().run()  # no value entered
    assert any("Not saved" in e.value for e in at.error)
    after = records.dump(app.cert_db)
    assert all(before[t].equals(after[t]) for t in before)


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    next(w for w in at.text_input if w.label == "Name").input(name)
    next(w for w in at.text_input if w.label == "Password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def test_local_sign_in_is_locked_after_repeated_failures_and_a_viewer_cannot_edit(
        app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "accounts.toml"
    accounts.add_account("alice", "correct horse battery", "Alice Moreno", path=path)
    accounts.add_account("val", "a long viewer password", "Val Viewer", "viewer", path)
    monkeypatch.setenv("JC_ACCOUNTS", str(path))
    accounts._THROTTLE.clear()
    try:
        at = app("project", {"project": "Westside United"})
        for _ in range(accounts.MAX_FAILURES):
            _sign_in(at, "alice", "not the password")
        assert_clean(at)
        said = " ".join(e.value for e in at.error)
        assert "now locked for 15 minutes" in said and "not the password" not in text_of(at)
        _sign_in(at, "alice", "correct horse battery")
        assert "locked for 15 more minute" in " ".join(e.value for e in at.error)
        assert "Update this project" not in text_of(at)

        viewer = _sign_in(app("project", {"project": "Westside United"}), "val", "a long viewer password")
        assert "you can view, not edit" in " ".join(c.value for c in viewer.caption)
        assert "Update this project" not in text_of(viewer)
    finally:
        accounts._THROTTLE.clear()
