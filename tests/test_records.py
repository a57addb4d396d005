"""The records database: seeded once, every bad write refused with a plain sentence and nothing
written, every good write appended with its audit entry, concurrent edits detected.

Each test works on its own database, seeded from a small hand-written certification document
(two projects) or from the committed Sample City file, once on a DuckDB file and once on a
PostgreSQL database (the ``backend`` fixture, ``tests/records_backends.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from indicators.certification import accounts, records, writes
from indicators.certification.backends import exists
from indicators.certification.records import ConflictError, RecordError
from indicators.certification.seed import SEED_ACTOR
from indicators.sample.records import REFERENCE_DATE
from tests.conftest import PROJECT
from tests.editors import ED, editor, local
from tests.records_backends import Backend

AS_OF = date(2024, 6, 1)
SQL = "'); DROP TABLE projects; --"


def document() -> dict:
    """Two projects: "test-commons" (Commitment endorsed, Formation under review with revisions
    requested, two targets) and "test-new" (registered, registration not yet reviewed)."""
    met = lambda *ids, on: [  # noqa: E731
        {"requirement_id": r, "status": "met", "recorded_at": f"{on}T09:00:00"} for r in ids]
    return {
        "format": "just-communities/certification-records", "format_version": 1,
        "region": "Test Town", "fictional": True,
        "practitioners": [{"practitioner_id": "ap-test", "name": "Test Practitioner",
                           "credentialed_on": "2023-01-01", "ce_hours": 10}],
        "projects": [
            {"project_id": "test-commons", "name": "Test Commons", "district_id": "downtown",
             "standard_version": "Just Communities 1.0", "registered_on": "2021-01-10",
             "requirement_status": met("reg-agreement", "reg-profile", on="2021-01-15")
             + met("com-racial-equity", "com-climate-resilience", "com-leadership-letter", on="2021-09-01")
             + met("form-backbone", on="2022-05-01"),
             "submissions": [
                 {"stage": "registration", "submitted_on": "2021-01-20",
                  "reviews": [{"round": "preliminary", "outcome": "endorsed", "reviewed_on": "2021-02-01"}]},
                 {"stage": "commitment", "submitted_on": "2021-10-01",
                  "reviews": [{"round": "preliminary", "outcome": "endorsed", "reviewed_on": "2021-11-01"}]},
                 {"stage": "formation", "submitted_on": "2022-06-01",
                  "reviews": [{"round": "preliminary", "outcome": "revisions requested",
                               "reviewed_on": "2022-07-01"}]}],
             "stage_events": [{"stage": "registration", "occurred_on": "2021-02-01"},
                              {"stage": "commitment", "occurred_on": "2021-11-01"}],
             "targets": [
                 {"commitment": "Environment", "indicator_id": "tree_canopy", "unit": "%",
                  "baseline": 20, "baseline_year": 2020, "target": 30, "target_year": 2030,
                  "direction": "increase",
                  "observations": [{"observed_on": "2022-01-01", "value": 21.0}]},  # line: 22
                 {"commitment": "Environment", "indicator_id": "pm25", "baseline": 10.0,
                  "baseline_year": 2020, "target": 8.0, "target_year": 2030, "direction": "decrease"}],
             "team": [{"practitioner_id": "ap-test", "role": "Lead practitioner"}]},
            {"project_id": "test-new", "name": "Test New", "registered_on": "2022-03-01",
             "submissions": [{"stage": "registration", "submitted_on": "2022-03-05"}]},
        ],
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(frame: pd.DataFrame) -> list[list[object]]:
    """Rows as plain values, missing as None, so that frames read at different times compare
    equal whatever dtype pandas inferred."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Path | str:
    """The two-project records, on each back end."""
    source = tmp_path / "certification.json"
    source.write_text(json.dumps(document()))
    path = backend.new()
    assert records.seed_if_absent(source, path) is True
    return path


def version(db: Path, project: str = "test-commons") -> int:
    return records.project_version(project, db)


# --------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------


def test_seed_only_when_absent(backend: Backend, tmp_path: Path, db: Path):
    digest = backend.fingerprint(db)
    changed = document()
    changed["projects"] = changed["projects"][:1]
    (tmp_path / "certification.json").write_text(json.dumps(changed))
    assert records.seed_if_absent(tmp_path / "certification.json", db) is False
    assert backend.fingerprint(db) == digest
    assert sorted(records.portfolio(AS_OF, db)["project_id"]) == ["test-commons", "test-new"]
    if backend.kind == "duckdb":
        assert sorted(p.name for p in db.parent.iterdir()) == ["certification.duckdb"]  # no temp file


def test_seed_refuses_a_broken_document_and_creates_nothing(tmp_path: Path, backend: Backend):
    broken = document()
    broken["projects"][0]["targets"][0]["target_year"] = 2019
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(broken))
    target = backend.new()
    with pytest.raises(RecordError, match=r"Project 1 \(test-commons\): The target year 2019 is not after"):
        records.seed_if_absent(source, target)
    assert not exists(target)
    if backend.kind == "duckdb":
        assert not any(target.parent.iterdir())  # no temp file left
    else:
        with backend.connect(target) as con:  # not even an empty table
            assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                               "current_schema()").fetchone() == (0,)


def test_fictional_records_open_on_their_reference_date(backend: Backend, db: Path):
    sample = backend.new("sample")
    assert records.seed_if_absent(PROJECT / "data" / "sample", sample)
    assert records.status_date(date(2027, 5, 1), sample) == records.StatusDate(
        REFERENCE_DATE, "the fictional sample records' reference date")
    # Real records (no "fictional" in their document) open on today's date.
    assert records.status_date(date(2027, 5, 1), db) == records.StatusDate(date(2027, 5, 1), "today")


def test_seed_from_the_sample_region_tells_its_story(backend: Backend):
    db = backend.new()
    assert records.seed_if_absent(PROJECT / "data" / "sample", db)
    assert records.database_info(db)["reference_date"] == REFERENCE_DATE.isoformat()
    folio = records.portfolio(REFERENCE_DATE, db)
    assert len(folio) == 12
    assert {"", "registration", "commitment", "formation", "certified", "performance"} <= set(folio["stage"])
    assert folio["working_on"].str.contains("Roadmap").any()
    assert folio["lapsed"].sum() == 1 and folio["overdue"].sum() == 4
    assert set(folio["status"]) == {"lapsed", "overdue", "certified", "on schedule"}
    people = records.practitioners(REFERENCE_DATE, db)
    assert {"active", "expiring", "expired"} == set(people["status"])
    statuses = set()
    for pid in folio["project_id"]:
        detail = records.project_detail(pid, REFERENCE_DATE, db)
        statuses |= set(detail.targets["status"])
        if detail.project["district_id"] is not None:
            assert detail.project["district_id"] in {
                "cedar-park", "downtown", "eastport", "lakeshore", "mill-creek", "northgate",
                "oak-hill", "riverside", "southview", "westside"}
    assert statuses == {"achieved", "on track", "needs attention", "no data yet"}
    audit = records.audit_log(db=db)
    assert list(audit["action"]) == ["seed the records database"]


def test_reads_do_not_change_the_file(backend: Backend, db: Path):
    digest = backend.fingerprint(db)
    records.portfolio(AS_OF, db)
    records.project_detail("test-commons", AS_OF, db)
    records.commitment_summary(AS_OF, db)
    records.audit_log(db=db)
    assert backend.fingerprint(db) == digest


def test_project_detail(db: Path):
    detail = records.project_detail("test-commons", AS_OF, db)
    assert detail.status.current_stage == "commitment"
    assert detail.status.working_stages == ("formation", "roadmap")
    # Commitment endorsed 2021-11-01: Formation and Roadmap due 2023-11-01, overdue on 2024-06-01.
    assert detail.status.overdue_stages == ("formation", "roadmap")
    assert detail.status.next_deadline == date(2023, 11, 1)
    # (2 + 3 + 1) met of (2 + 3 + 6 + 5) mandatory.
    assert detail.status.progress == pytest.approx(6 / 16)
    assert detail.checklist.set_index("requirement_id").loc["form-backbone", "status"] == "met"
    assert list(detail.targets["status"]) == ["needs attention", "no data yet"]
    assert detail.targets.iloc[0]["unit"] == "%" and detail.targets.iloc[1]["indicator"]
    assert list(detail.team["name"]) == ["Test Practitioner"]
    assert len(detail.submissions) == 3
    assert (detail.timeline["on"].tolist() == sorted(detail.timeline["on"]))
    assert "Formation due" in set(detail.timeline["what"])
    assert detail.version == 1


# --------------------------------------------------------------------------------------------
# Bad input: one plain sentence, nothing written
# --------------------------------------------------------------------------------------------

R = records  # short, for the table below; every project of a freshly seeded database is at version 1
BAD_WRITES = {
    "unknown project": (lambda db: R.record_requirement_status(
        "no-such-project", "reg-agreement", "met", editor=ED, version=1, db=db), "There is no project"),
    "unknown requirement": (lambda db: R.record_requirement_status(
        "test-commons", "made-up", "met", editor=ED, version=1, db=db), "no requirement 'made-up'"),
    "unknown status": (lambda db: R.record_requirement_status(
        "test-commons", "form-governance", "done", editor=ED, version=1, db=db), "choose one of"),
    "javascript link": (lambda db: R.record_requirement_status(
        "test-commons", "form-governance", "met", evidence_url="javascript:alert(1)", editor=ED,
        version=1, db=db), "not a web link"),
    "review before its submission": (lambda db: R.record_review(
        "test-commons", 3, "final", "endorsed", "2022-05-01", editor=ED, version=1, db=db),
        "before the submission date"),
    "final review without a preliminary one": (lambda db: R.record_review(
        "test-new", 4, "final", "endorsed", "2022-04-01", editor=ED, version=1, db=db),
        "record the preliminary review first"),
    "final review after an endorsement": (lambda db: R.record_review(
        "test-commons", 2, "final", "endorsed", "2022-01-01", editor=ED, version=1, db=db),
        "no final review follows"),
    "unknown submission": (lambda db: R.record_review(
        "test-commons", 99, "preliminary", "endorsed", "2022-01-01", editor=ED, version=1, db=db),
        "There is no submission 99"),
    "another project's submission": (lambda db: R.record_review(
        "test-new", 1, "preliminary", "endorsed", "2022-04-01", editor=ED, version=1, db=db),
        "There is no submission 1"),
    "target year before baseline year": (lambda db: R.add_target(
        "test-commons", commitment="Belonging", indicator_id="rent_burden", baseline=50,
        baseline_year=2022, target=40, target_year=2020, direction="decrease", editor=ED, version=1,
        db=db), "not after the baseline year"),
    "target against its direction": (lambda db: R.add_target(
        "test-commons", commitment="Belonging", indicator="Rent burden", baseline=50,
        baseline_year=2022, target=60, target_year=2030, direction="decrease", editor=ED, version=1,
        db=db), "cannot go from 50 to 60"),
    "unknown commitment": (lambda db: R.add_target(
        "test-commons", commitment="Happiness", indicator="Smiles", baseline=1, baseline_year=2022,
        target=2, target_year=2030, direction="increase", editor=ED, version=1, db=db), "Happiness"),
    "unknown indicator id": (lambda db: R.add_target(
        "test-commons", commitment="Belonging", indicator_id="smiles", baseline=1, baseline_year=2022,
        target=2, target_year=2030, direction="increase", editor=ED, version=1, db=db),
        "not a dashboard indicator"),
    "baseline not a number": (lambda db: R.add_target(
        "test-commons", commitment="Belonging", indicator="Rent burden", baseline="lots",
        baseline_year=2022, target=40, target_year=2030, direction="decrease", editor=ED, version=1,
        db=db), "must be a number"),
    "year not a year": (lambda db: R.add_target(
        "test-commons", commitment="Belonging", indicator="Rent burden", baseline=50,
        baseline_year="last year", target=40, target_year=2030, direction="decrease", editor=ED,
        version=1, db=db), "must be a year"),
    "observation for a missing target": (lambda db: R.add_observation(
        "test-commons", 99, 21.0, year=2023, editor=ED, version=1, db=db), "There is no target 99"),
    "observation of another project's target": (lambda db: R.add_observation(
        "test-new", 1, 21.0, year=2023, editor=ED, version=1, db=db), "There is no target 1"),
    "observation value not a number": (lambda db: R.add_observation(
        "test-commons", 1, "abc", year=2023, editor=ED, version=1, db=db), "must be a number"),
    "observation value not finite": (lambda db: R.add_observation(
        "test-commons", 1, float("nan"), year=2023, editor=ED, version=1, db=db), "finite"),
    "observation with no date": (lambda db: R.add_observation(
        "test-commons", 1, 21.0, editor=ED, version=1, db=db), "neither a date nor a year"),
    "observation date and year disagree": (lambda db: R.add_observation(
        "test-commons", 1, 21.0, observed_on="2023-05-01", year=2022, editor=ED, version=1, db=db),
        "is not in the year 2022"),
    "date in a foreign format": (lambda db: R.add_observation(
        "test-commons", 1, 21.0, observed_on="31/12/2023", editor=ED, version=1, db=db), "YYYY-MM-DD"),
    "date far in the future": (lambda db: R.record_submission(
        "test-commons", "roadmap", "2999-01-01", editor=ED, version=1, db=db), "out of range"),
    "date in the future": (lambda db: R.record_submission(
        "test-commons", "roadmap", date.today().replace(year=date.today().year + 1, day=1), editor=ED,
        version=1, db=db), "in the future"),
    "submission before registration": (lambda db: R.record_submission(
        "test-commons", "roadmap", "2020-01-01", editor=ED, version=1, db=db),
        "before the project's registration"),
    "stage skipped (submission)": (lambda db: R.record_submission(
        "test-new", "formation", "2023-01-01", editor=ED, version=1, db=db), "Registration is not complete"),
    "automatic stage submitted": (lambda db: R.record_submission(
        "test-commons", "certified", "2023-01-01", editor=ED, version=1, db=db), "awarded by the rules"),
    "unknown stage": (lambda db: R.record_submission(
        "test-commons", "celebration", "2023-01-01", editor=ED, version=1, db=db), "choose one of"),
    "stage skipped (stage change)": (lambda db: R.record_stage_change(
        "test-commons", "certified", "2023-01-01", editor=ED, version=1, db=db), "cannot be skipped"),
    "stage not complete": (lambda db: R.record_stage_change(
        "test-commons", "formation", "2023-01-01", editor=ED, version=1, db=db),
        "cannot be recorded as reached yet"),
    "stage date before the previous stage": (lambda db: R.record_stage_change(
        "test-commons", "formation", "2021-06-01", editor=ED, version=1, db=db),
        "before Commitment to the Pillars"),
    "stage already recorded": (lambda db: R.record_stage_change(
        "test-commons", "commitment", "2021-11-01", editor=ED, version=1, db=db), "already recorded"),
    "version of the wrong type": (lambda db: R.record_requirement_status(
        "test-commons", "form-governance", "met", editor=ED, version="1", db=db), "positive whole number"),
    "no editor name": (lambda db: R.record_requirement_status(
        "test-commons", "form-governance", "met", editor="  ", version=1, db=db), "Only a signed-in editor"),
    "note of the wrong type": (lambda db: R.record_requirement_status(
        "test-commons", "form-governance", "met", note=42, editor=ED, version=1, db=db), "must be text"),
}


@pytest.mark.parametrize("case", list(BAD_WRITES))
def test_bad_input_is_refused_with_one_sentence_and_nothing_written(backend: Backend, db: Path, case: str):
    write, fragment = BAD_WRITES[case]
    digest, before = backend.fingerprint(db), records.dump(db)
    with pytest.raises(RecordError) as caught:
        write(db)
    message = str(caught.value)
    assert fragment in message, message
    assert message[0].isupper() and message.endswith(".") and "\n" not in message, message
    assert backend.fingerprint(db) == digest, "the database file changed"
    after = records.dump(db)
    assert all(before[t].equals(after[t]) for t in before)


def test_a_failure_inside_the_transaction_leaves_the_database_unchanged(backend: Backend, db: Path,
                                                                       monkeypatch):
    digest = backend.fingerprint(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writes, "_audit", broken)  # fails after the row was inserted
    with pytest.raises(RuntimeError):
        records.add_observation("test-commons", 1, 23.0, year=2023, editor=ED, version=1, db=db)
    assert backend.fingerprint(db) == digest


# --------------------------------------------------------------------------------------------
# Good writes
# --------------------------------------------------------------------------------------------


def test_sql_looking_text_is_stored_verbatim(db: Path):
    result = records.record_requirement_status("test-commons", "form-governance", "in progress",
                                               note=SQL, editor=local(SQL), version=1, db=db)
    records.add_target("test-commons", commitment="Belonging", indicator=SQL, baseline=50,
                       baseline_year=2022, target=40, target_year=2030, direction="decrease",
                       definition=SQL, editor=ED, version=result.version, db=db)
    history = records.requirement_history("test-commons", "form-governance", db)
    assert history.iloc[-1]["note"] == SQL and history.iloc[-1]["recorded_by"] == f"{SQL} (local-editor)"
    detail = records.project_detail("test-commons", date.today(), db)
    assert detail.targets.iloc[-1]["indicator"] == SQL
    assert len(records.portfolio(AS_OF, db)) == 2  # the projects table is still there


def test_an_observation_shows_in_the_project_and_in_the_audit_log(db: Path):
    result = records.add_observation("test-commons", 1, 25.0, observed_on="2025-01-01", source="survey",
                                     editor=local("Dana Editor", "dana"), version=1, db=db)
    assert result.table == "observations" and result.version == 2
    detail = records.project_detail("test-commons", date(2025, 6, 1), db)
    tracker = detail.targets.set_index("target_id")
    assert tracker.loc[1, "latest_value"] == 25.0 and tracker.loc[1, "status"] == "on track"
    assert 25.0 in detail.observations["value"].tolist()
    entry = records.audit_log("test-commons", limit=1, db=db).iloc[0]
    assert entry["actor"] == "Dana Editor (dana)" and entry["table_name"] == "observations"
    assert entry["record_id"] == result.record_id
    assert json.loads(entry["before"])["value"] == 21.0  # the observation it supersedes
    after = json.loads(entry["after"])
    assert after["value"] == 25.0 and after["observed_on"] == "2025-01-01"
    assert after["recorded_by"] == "Dana Editor (dana)"


def test_a_stale_version_raises_conflict_and_writes_nothing(backend: Backend, db: Path):
    seen = version(db)  # two editors open the project
    records.record_requirement_status("test-commons", "form-governance", "met",
                                      editor=editor("first@example.org"), version=seen, db=db)
    digest = backend.fingerprint(db)
    with pytest.raises(ConflictError, match="(?i)someone else changed this project since you opened it; "
                                            "reload and try again"):
        records.record_requirement_status("test-commons", "form-engagement", "met",
                                          editor=editor("second@example.org"), version=seen, db=db)
    assert backend.fingerprint(db) == digest
    assert "reload and try again" in str(ConflictError())
    assert version(db) == seen + 1


def test_each_write_bumps_the_version_and_is_visible_to_the_next_read(db: Path):
    v = records.record_submission("test-commons", "formation", "2022-09-01", editor=ED, version=1,
                                  db=db).version
    sub = int(records.project_detail("test-commons", AS_OF, db).submissions["submission_id"].max())
    v = records.record_review("test-commons", sub, "preliminary", "endorsed", "2022-10-01",
                              editor=ED, version=v, db=db).version
    for req in ("form-governance", "form-engagement", "form-asset-map", "form-boundary",
                "form-declaration"):
        v = records.record_requirement_status("test-commons", req, "met", editor=ED, version=v,
                                              db=db).version
    v = records.record_stage_change("test-commons", "formation", "2022-10-01", editor=ED, version=v,
                                    db=db).version
    assert v == 9 == version(db)
    # The statuses were recorded today, so the stage is complete as of today (not as of AS_OF).
    row = records.portfolio(date.today(), db).set_index("project_id").loc["test-commons"]
    assert row["stage"] == "formation" and row["working_on"] == "Roadmap"
    assert row["version"] == 9
    timeline = records.project_detail("test-commons", date.today(), db).timeline
    assert "Formation reached" in set(timeline["what"])


def test_review_rounds(db: Path):
    # The Formation submission (3) had revisions requested at its preliminary review.
    with pytest.raises(RecordError, match="already has a preliminary review"):
        records.record_review("test-commons", 3, "preliminary", "endorsed", "2022-08-01",
                              editor=ED, version=1, db=db)
    v = records.record_review("test-commons", 3, "final", "endorsed", "2022-08-01", editor=ED,
                              version=1, db=db).version
    with pytest.raises(RecordError, match="already has a final review"):
        records.record_review("test-commons", 3, "final", "endorsed", "2022-09-01", editor=ED,
                              version=v, db=db)


def test_nothing_is_ever_deleted(db: Path):
    before = records.dump(db)
    v = 1
    for status in ("in progress", "met", "not applicable", "met"):
        v = records.record_requirement_status("test-commons", "form-governance", status, editor=ED,
                                              version=v, db=db).version
        v = records.add_observation("test-commons", 1, 23.0, year=2023, editor=ED, version=v,
                                    db=db).version
    after = records.dump(db)
    for table, old in before.items():
        new = after[table]
        assert len(new) >= len(old), table
        if table != "projects":  # every earlier row is still there, unchanged
            assert plain(new.head(len(old))) == plain(old), table
    assert len(after["requirement_status"]) == len(before["requirement_status"]) + 4
    assert len(after["audit_log"]) == len(before["audit_log"]) + 8
    history = records.requirement_history("test-commons", "form-governance", db)
    assert list(history["status"]) == ["in progress", "met", "not applicable", "met"]
    projects = after["projects"].set_index("project_id")
    assert projects.loc["test-commons", "version"] == 9  # the one value updated: the lock counter
    assert plain(after["projects"].drop(columns="version")) == plain(
        before["projects"].drop(columns="version"))


def test_add_project_registers_the_standards_checklist(db: Path):
    result = records.add_project("test-third", "Test Third", "2023-05-01", editor=ED,
                                 standard_version="EcoDistricts Protocol v1.3", db=db)
    assert result.version == 1
    detail = records.project_detail("test-third", AS_OF, db)
    assert len(detail.checklist) == 20 and set(detail.checklist["status"]) == {"not started"}
    assert detail.stages.set_index("stage").loc["commitment", "due_on"] == date(2024, 5, 1)
    with pytest.raises(RecordError, match="already exists"):
        records.add_project("test-third", "Again", "2023-05-01", editor=ED, db=db)


def test_no_database_is_created_by_a_read_or_a_write(backend: Backend):
    missing = backend.new("none")
    with pytest.raises(RecordError, match="seed_if_absent"):
        records.portfolio(AS_OF, missing)
    with pytest.raises(RecordError, match="seed_if_absent"):
        records.add_observation("x", 1, 1.0, year=2023, editor=ED, version=1, db=missing)
    assert not exists(missing)


def test_simultaneous_editors_one_wins_per_project_and_other_projects_are_not_blocked(db: Path):
    import threading

    outcomes: list[tuple[str, str]] = []

    def edit(project: str, requirement: str, i: int) -> None:
        try:
            records.record_requirement_status(project, requirement, "met", note=str(i),
                                              editor=editor(f"editor{i}@example.org"), version=1, db=db)
            outcomes.append((project, "saved"))
        except ConflictError:
            outcomes.append((project, "conflict"))

    threads = [threading.Thread(target=edit, args=(p, r, i)) for i, (p, r) in enumerate(
        [("test-commons", "form-governance"), ("test-new", "reg-profile")] * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [("test-commons", "conflict")] * 2 + [("test-commons", "saved")] + \
        [("test-new", "conflict")] * 2 + [("test-new", "saved")]
    assert version(db, "test-commons") == version(db, "test-new") == 2
    assert len(records.audit_log(db=db)) == 3


# --------------------------------------------------------------------------------------------
# Who may write: each writing function checks the role itself, whatever the page did
# --------------------------------------------------------------------------------------------

#: Every function that changes the records, with good values (only the editor is wrong).
WRITERS = {
    "requirement status": lambda db, who: records.record_requirement_status(
        "test-commons", "form-governance", "met", editor=who, version=1, db=db),
    "submission": lambda db, who: records.record_submission(
        "test-commons", "formation", "2022-09-01", editor=who, version=1, db=db),
    "review": lambda db, who: records.record_review(
        "test-commons", 3, "final", "endorsed", "2022-08-01", editor=who, version=1, db=db),
    "target": lambda db, who: records.add_target(
        "test-commons", commitment="Belonging", indicator="Rent burden", baseline=50,
        baseline_year=2022, target=40, target_year=2030, direction="decrease", editor=who,
        version=1, db=db),
    "observation": lambda db, who: records.add_observation(
        "test-commons", 1, 23.0, year=2023, editor=who, version=1, db=db),
    "boundary": lambda db, who: records.set_project_boundary(
        "test-commons", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        editor=who, version=1, db=db),
    "stage": lambda db, who: records.record_stage_change(
        "test-commons", "formation", "2022-10-01", editor=who, version=1, db=db),
    "project": lambda db, who: records.add_project(
        "test-fourth", "Test Fourth", "2023-05-01", editor=who, db=db),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_every_write_refuses_anyone_but_a_signed_in_editor(backend: Backend, db: Path, writer: str):
    viewer = local("Val Viewer", "val", role="viewer")
    forged = accounts.Account("ed@example.org", "ed@example.org", "editor")  # not signed in
    digest = backend.fingerprint(db)
    for who in (None, "ed@example.org", forged, dataclasses.replace(viewer, role="editor"), viewer):
        with pytest.raises(accounts.NotAuthorisedError) as caught:
            WRITERS[writer](db, who)
        message = str(caught.value)
        assert message[0].isupper() and message.endswith(".") and "editor" in message, message
        assert backend.fingerprint(db) == digest, f"{writer} wrote for {who!r}"
    assert set(records.audit_log(db=db)["actor"]) == {SEED_ACTOR}  # nothing but the seeding
