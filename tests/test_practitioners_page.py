"""The Accredited Practitioners page, headless: its figures are the directory's, its filters
change the table and live in the URL, unlisted practitioners are counted but named only to a
signed-in editor (e-mails too), the CSV names nobody unlisted, and an editor's CE entry is
written and audited, or refused with its sentence and nothing written."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.certification import records
from indicators.certification.directory import practitioner_directory, projects_without_ap
from indicators.present import practitioners
from indicators.sample.records import REFERENCE_DATE
from tests.conftest import PROJECT
from tests.test_pages import assert_clean, text_of

EDITOR = "records.manager@example.org"
SAMPLE = json.loads((PROJECT / "data" / "sample" / "certification.json").read_text())
UNLISTED = [p["name"] for p in SAMPLE["practitioners"] if not p.get("listed")]
UNLISTED_EMAILS = [p["email"] for p in SAMPLE["practitioners"] if not p.get("listed")]


@pytest.fixture
def app(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steady_navigation):
    """A fresh records database (DuckDB, seeded from the sample on first use) per test."""
    cert = tmp_path / "certification.duckdb"
    monkeypatch.setenv("JC_DB", str(sample_db))
    monkeypatch.setenv("JC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JC_CERT_DB", str(cert))
    monkeypatch.setenv("JC_ACCOUNTS", str(tmp_path / "no-accounts.toml"))

    def open_page(query: dict | None = None, editor: bool = False) -> AppTest:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
        if editor:
            at.secrets["editors"] = {"emails": [EDITOR]}
            at.user = {"is_logged_in": True, "email": EDITOR, "name": "Records Manager"}
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page("pages/practitioners.py")
        at.run()
        assert_clean(at)
        return at

    open_page.cert_db = cert  # type: ignore[attr-defined]
    return open_page


def _table(at: AppTest):
    return at.dataframe[0].value


def test_headline_figures_are_the_directorys(app):
    at = app()
    assert [t.value for t in at.title] == ["Accredited Practitioners"]
    directory = practitioner_directory(REFERENCE_DATE, app.cert_db, show_private=False)
    without = projects_without_ap(REFERENCE_DATE, app.cert_db)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Active APs"] == str(directory["status"].isin(["active", "renewal due"]).sum())
    assert metrics["Renewals due within 90 days"] == str((directory["status"] == "renewal due").sum())
    assert metrics["Projects without an AP"] == str(len(without)) != "0"
    expires = directory["expires_on"].map(lambda d: d if isinstance(d, date) else d.date())
    quarter = expires.between(REFERENCE_DATE, date(2026, 12, 31)) & (directory["status"] != "revoked")
    assert metrics["Lapsing this quarter"] == str(quarter.sum())
    text = text_of(at)
    assert "Whose credentials lapse this quarter?" in text
    assert practitioners.lapsing_sentence(directory, REFERENCE_DATE) in text
    for name in without["name"]:
        assert name in text
    assert len(_table(at)) == len(directory)
    assert "Study guide: learn the Framework" in [p.label for p in at.main.get("page_link")]


def test_status_filter_shows_exactly_the_lapsed(app):
    at = app()
    directory = practitioner_directory(REFERENCE_DATE, app.cert_db, show_private=False)
    at.multiselect(key="status").set_value(["lapsed"]).run()
    table = _table(at)
    assert set(table["Status"]) == {"lapsed"}
    assert len(table) == (directory["status"] == "lapsed").sum() > 0
    at.multiselect(key="status").set_value([]).run()
    at.toggle(key="short").set_value(True).run()
    assert len(_table(at)) == (directory["ce_hours_needed"] > 0).sum() < len(directory)


def test_a_link_with_filters_opens_the_page_filtered(app):
    at = app({"status": ["renewal due"], "city": ["Sample City"]})
    table = _table(at)
    assert len(table) == 2 and set(table["Status"]) == {"renewal due"}
    assert set(table["City"]) == {"Sample City"}
    assert at.multiselect(key="status").value == ["renewal due"]


def test_unlisted_practitioners_are_named_and_emailed_only_to_an_editor(app):
    assert UNLISTED
    visitor = app()
    table = _table(visitor)
    assert not set(UNLISTED) & set(table["Name"])
    assert practitioners.NOT_LISTED in set(table["Name"]) and "E-mail" not in table.columns
    everything = text_of(visitor) + table.to_csv()
    assert not [n for n in UNLISTED if n in everything]
    assert "@" not in everything
    assert "Update a practitioner's record" not in text_of(visitor)
    csv = visitor.get("download_button")[0]
    assert csv.proto.label == "Download this table (CSV)"

    editor = app(editor=True)
    table = _table(editor)
    assert set(UNLISTED) <= set(table["Name"]) and practitioners.NOT_LISTED not in set(table["Name"])
    assert set(UNLISTED_EMAILS) <= set(table["E-mail"])
    assert "Update a practitioner's record" in text_of(editor)


def test_the_csv_holds_no_unlisted_name_for_a_visitor(app):
    at = app()
    directory = practitioner_directory(REFERENCE_DATE, app.cert_db, show_private=False)
    csv = practitioners.table(directory).to_csv()
    assert not [n for n in UNLISTED if n in csv] and practitioners.NOT_LISTED in csv
    assert at.get("download_button"), "the CSV download"


def _ce_form(at: AppTest, cert: Path, name: str, hours: float, done_on: date):
    ids = practitioners.practitioner_choices(practitioner_directory(REFERENCE_DATE, cert, show_private=True))
    at.selectbox(key="ap_chosen").set_value(next(k for k, v in ids.items() if v.startswith(name))).run()
    next(w for w in at.text_input if w.label == "Activity title").input("Tenant organising webinar")
    next(w for w in at.text_input if w.label == "Provider").input("PSE (fictional)")
    next(w for w in at.number_input if w.label == "Hours").set_value(hours)
    next(w for w in at.date_input if w.label == "Done on").set_value(done_on)
    return next(b for b in at.button if b.label == "Record CE activity")


def test_editor_records_a_ce_activity_hours_go_up_and_it_is_audited(app):
    at = app(editor=True)
    name = UNLISTED[0]
    before = practitioner_directory(REFERENCE_DATE, app.cert_db, show_private=True).set_index("name")
    audit = len(records.dump(app.cert_db)["audit_log"])
    _ce_form(at, app.cert_db, name, 3.5, REFERENCE_DATE - timedelta(days=10)).click().run()
    assert_clean(at)
    assert "Saved to ce_activities" in "\n".join(s.value for s in at.success)
    after = practitioner_directory(REFERENCE_DATE, app.cert_db, show_private=True).set_index("name")
    assert after.loc[name, "ce_hours_in_cycle"] == before.loc[name, "ce_hours_in_cycle"] + 3.5
    log = records.dump(app.cert_db)["audit_log"]
    assert len(log) == audit + 1 and "Tenant organising webinar" in str(log.iloc[-1].to_dict())
    assert any("Tenant organising webinar" in set(df.value.get("Activity", [])) for df in at.dataframe)


@pytest.mark.parametrize(("hours", "days", "said"), [(0.0, -10, "must be more than 0"),
                                                    (2.0, 3650, "future")])
def test_a_bad_ce_entry_is_refused_with_its_sentence_and_nothing_written(app, hours, days, said):
    at = app(editor=True)
    before = records.dump(app.cert_db)
    _ce_form(at, app.cert_db, UNLISTED[0], hours, date.today() + timedelta(days=days)
             if days > 0 else REFERENCE_DATE + timedelta(days=days)).click().run()
    assert_clean(at)
    errors = "\n".join(e.value for e in at.error)
    assert "Not saved" in errors and said in errors
    after = records.dump(app.cert_db)
    assert all(before[t].equals(after[t]) for t in before)
