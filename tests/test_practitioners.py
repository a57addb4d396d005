"""Accredited Practitioners: the credential rules at their boundary days (hand-computed), the CE
activity and renewal writes (audited, version-checked, refused with a sentence and nothing
written), the directory's privacy, the Sample City's mix on its reference date, and a backup's
round trip of the new tables. Tests that take ``backend`` run on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from indicators.certification import audit, backup, records
from indicators.certification import credentials as cr
from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.directory import ce_activities, practitioner_directory, projects_without_ap
from indicators.certification.practitioner_writes import (
    practitioner_version,
    record_ce_activity,
    record_renewal,
)
from indicators.sample.records import REFERENCE_DATE
from tests.conftest import PROJECT
from tests.editors import ED
from tests.records_backends import Backend

TODAY = date(2025, 12, 1)
COURSE = cr.CE_CATEGORIES[1]

# --------------------------------------------------------------------------------------------
# Rules (no database)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "expected"), [
    (date(2025, 12, 30), "active"),        # 91 days before 31 March 2026 (1 + 31 + 28 + 31)
    (date(2025, 12, 31), "renewal due"),   # the 90th day before: 31 + 28 + 31
    (date(2026, 3, 31), "renewal due"),    # the expiry day itself: still valid
    (date(2026, 4, 1), "lapsed"),          # the day after
])
def test_status_at_the_boundary_days(as_of: date, expected: str):
    assert cr.status_on(date(2026, 3, 31), as_of) == expected


def test_revocation_counts_from_its_day_whatever_the_expiry():
    expiry = date(2027, 6, 1)
    assert cr.status_on(expiry, date(2026, 5, 14), revoked_on=date(2026, 5, 15)) == "active"
    assert cr.status_on(expiry, date(2026, 5, 15), revoked_on=date(2026, 5, 15)) == "revoked"
    assert cr.status_on(date(2026, 1, 1), date(2026, 5, 15), revoked_on=date(2026, 5, 15)) == "revoked"


def test_two_years_from_a_leap_day_end_on_28_february():
    assert cr.first_cycle(date(2028, 2, 29)) == cr.Cycle(date(2028, 2, 29), date(2030, 2, 28))
    assert cr.renewed_cycle(date(2028, 2, 29)) == cr.Cycle(date(2028, 3, 1), date(2030, 2, 28))
    assert cr.renewed_cycle(date(2026, 3, 31)) == cr.Cycle(date(2026, 4, 1), date(2028, 3, 31))


def test_a_renewal_cuts_the_cycle_and_its_day_counts_towards_it():
    cycles = cr.cycles(date(2024, 1, 10), [date(2025, 11, 1)])
    assert cycles == [cr.Cycle(date(2024, 1, 10), date(2025, 11, 1)),
                      cr.Cycle(date(2025, 11, 2), date(2027, 11, 1))]
    done = [(date(2024, 1, 9), 50.0), (date(2024, 1, 10), 10.0), (date(2025, 11, 1), 20.0),
            (date(2025, 11, 2), 3.0)]
    assert cr.hours_in(cycles[0], done) == 30.0   # not the day before the credential
    assert cr.hours_in(cycles[1], done) == 3.0
    assert cr.hours_in(cycles[0], done, up_to=date(2025, 10, 31)) == 10.0
    assert cr.cycle_of(date(2024, 1, 9), cycles) is None
    assert cr.cycle_of(date(2027, 11, 2), cycles) is None  # after the lapse
    assert cr.cycle_of(date(2025, 11, 1), cycles) == cycles[0]


def test_renewal_needs_30_hours_in_the_cycle_on_or_before_the_expiry():
    one = cr.cycles(date(2024, 1, 1), [])  # expires 2026-01-01
    assert cr.renewal_refusal(one, date(2026, 1, 1), 30.0) is None  # on the expiry day
    assert "29.5 are recorded, so 0.5 more" in cr.renewal_refusal(one, date(2026, 1, 1), 29.5)
    assert "lapsed after 2026-01-01" in cr.renewal_refusal(one, date(2026, 1, 2), 40.0)
    assert "before the current cycle" in cr.renewal_refusal(one, date(2023, 12, 31), 40.0)
    assert "revoked on 2025-06-01" in cr.renewal_refusal(one, date(2025, 7, 1), 40.0, date(2025, 6, 1))
    assert len(cr.CE_CATEGORIES) == 6 and cr.STATUSES == ("active", "renewal due", "lapsed", "revoked")


# --------------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------------


def document() -> dict:
    """Two practitioners: "ap-open" (listed, one course done) and "ap-quiet" (not listed, an
    older record with only a ``ce_hours`` figure); one project each way (with and without)."""
    return {
        "format": "just-communities/certification-records", "format_version": 1, "region": "Test Town",
        "practitioners": [
            {"practitioner_id": "ap-open", "name": "Open Person", "organisation": "Open Org",
             "credentialed_on": "2024-01-10", "ce_hours": 0, "email": "open@example.org",
             "city": "Test Town", "listed": True,
             "ce_activities": [{"title": "Course", "provider": "LISC", "category": COURSE, "hours": 12,
                                "done_on": "2024-05-01", "evidence_url": "https://example.org/e/1"}]},
            {"practitioner_id": "ap-quiet", "name": "Quiet Person", "organisation": "Quiet Org",
             "credentialed_on": "2024-02-01", "ce_hours": 31, "email": "quiet@example.org",
             "city": "Elsewhere", "listed": False}],
        "projects": [
            {"project_id": "with-ap", "name": "With AP", "registered_on": "2024-03-01",
             "team": [{"practitioner_id": "ap-quiet", "role": "Lead practitioner"}]},
            {"project_id": "without-ap", "name": "Without AP", "registered_on": "2024-04-01"}],
    }


@pytest.fixture
def db(tmp_path: Path, backend: Backend):
    source = tmp_path / "certification.json"
    source.write_text(json.dumps(document()))
    path = backend.new()
    assert records.seed_if_absent(source, path)
    return path


def course(db, version: int, **changes) -> object:
    values = {"title": "Equitable development", "provider": "PolicyLink", "category": COURSE,
              "hours": 6, "done_on": "2025-01-15", "evidence_url": "https://example.org/cert.pdf",
              "editor": ED, "version": version, "db": db, "today": TODAY, **changes}
    return record_ce_activity("ap-open", **values)


def row(db, pid: str = "ap-open") -> dict:
    found = practitioner_directory(TODAY, db, show_private=True)
    return found.set_index("practitioner_id").loc[pid].to_dict()


def test_a_ce_activity_is_recorded_audited_and_counted(db):
    assert row(db)["ce_hours_in_cycle"] == 12.0 and practitioner_version("ap-open", db) == 1
    result = course(db, 1)
    assert (result.table, result.version) == ("ce_activities", 2)
    assert practitioner_version("ap-open", db) == 2
    assert row(db)["ce_hours_in_cycle"] == 18.0 and row(db)["ce_hours_needed"] == 12.0
    last = records.audit_log(limit=1, db=db).iloc[0]
    assert (last["action"], last["table_name"], last["record_id"]) == ("record CE activity", "ce_activities",
                                                                       result.record_id)
    assert json.loads(last["after"])["title"] == "Equitable development" and audit.verify(db).ok


@pytest.mark.parametrize(("changes", "message"), [
    ({"hours": 0}, "must be more than 0"),
    ({"hours": -2}, "must be more than 0"),
    ({"done_on": "2025-12-02"}, "in the future"),
    ({"done_on": "2024-01-09"}, "outside every credential cycle"),
    ({"category": "Golf"}, "choose one of"),
    ({"evidence_url": "javascript:alert(1)"}, "http"),
    ({"title": " "}, "activity title"),
])
def test_refused_activities_say_why_and_write_nothing(db, backend: Backend, changes: dict, message: str):
    digest = backend.fingerprint(db)
    with pytest.raises(RecordError, match=message):
        course(db, 1, **changes)
    assert backend.fingerprint(db) == digest
    with pytest.raises(RecordError, match="There is no practitioner 'ap-nobody'"):
        record_renewal("ap-nobody", "2025-11-30", editor=ED, version=1, db=db, today=TODAY)
    assert backend.fingerprint(db) == digest


def test_a_stale_version_is_a_conflict_and_writes_nothing(db, backend: Backend):
    course(db, 1)
    digest = backend.fingerprint(db)
    with pytest.raises(ConflictError):
        course(db, 1)
    with pytest.raises(ConflictError):
        record_renewal("ap-open", "2025-11-30", editor=ED, version=1, db=db, today=TODAY)
    assert backend.fingerprint(db) == digest


def test_a_renewal_needs_30_hours_then_starts_a_new_cycle(db, backend: Backend):
    digest = backend.fingerprint(db)
    with pytest.raises(RecordError, match="12 are recorded, so 18 more are needed. Nothing was saved."):
        record_renewal("ap-open", "2025-11-30", editor=ED, version=1, db=db, today=TODAY)
    assert backend.fingerprint(db) == digest
    v = course(db, 1, hours=18, done_on="2025-11-30").version  # on the renewal day: counts
    result = record_renewal("ap-open", "2025-11-30", editor=ED, version=v, db=db, today=TODAY)
    assert (result.table, result.version) == ("renewals", 3)
    after = row(db)
    assert after["expires_on"] == date(2027, 11, 30) and after["status"] == "active"
    assert after["ce_hours_in_cycle"] == 0.0 and after["ce_hours_needed"] == 30.0  # a new cycle
    stored = records.dump(db)["renewals"].iloc[0]
    assert (stored["cycle_start"], stored["cycle_end"], stored["hours_counted"]) == (
        date(2025, 12, 1), date(2027, 11, 30), 30.0)
    last = records.audit_log(limit=1, db=db).iloc[0]
    assert last["action"] == "record renewal" and json.loads(last["after"])["expires_on"] == "2027-11-30"
    assert records.practitioners(TODAY, db).set_index("practitioner_id").loc["ap-open", "expires_on"] == \
        date(2027, 11, 30)  # the older view moves on too
    with pytest.raises(RecordError, match="before the current cycle"):
        record_renewal("ap-open", "2025-11-29", editor=ED, version=3, db=db, today=TODAY)


def test_an_older_record_renews_on_its_ce_hours_figure_and_not_after_a_lapse(db, backend: Backend):
    assert row(db, "ap-quiet")["ce_hours_in_cycle"] == 31.0  # no activities recorded: ce_hours
    digest = backend.fingerprint(db)
    with pytest.raises(RecordError, match="lapsed after 2026-02-01"):
        record_renewal("ap-quiet", "2026-02-02", editor=ED, version=1, db=db, today=date(2026, 3, 1))
    assert backend.fingerprint(db) == digest
    record_renewal("ap-quiet", "2026-02-01", editor=ED, version=1, db=db, today=date(2026, 3, 1))
    assert row(db, "ap-quiet")["expires_on"] == date(2028, 2, 1)


def test_a_visitor_counts_unlisted_practitioners_without_seeing_who(db):
    public = practitioner_directory(TODAY, db, show_private=False)
    assert len(public) == 2 and list(public["listed"]) == [True, False]
    quiet = public.iloc[1]
    assert quiet[["practitioner_id", "name", "organisation", "city", "email"]].isna().all()
    assert quiet["n_projects"] == 1 and quiet["projects"] == "With AP (Registering)"
    assert public["email"].isna().all() and public.iloc[0]["name"] == "Open Person"
    text = public.to_csv()
    assert "Quiet" not in text and "ap-quiet" not in text and "@" not in text
    private = practitioner_directory(TODAY, db, show_private=True)
    assert set(private["email"]) == {"open@example.org", "quiet@example.org"}
    assert ce_activities("ap-open", db, show_private=False)["evidence_url"].isna().all()
    assert list(ce_activities("ap-open", db, show_private=True)["evidence_url"]) == ["https://example.org/e/1"]
    assert ce_activities("ap-quiet", db, show_private=False).empty
    assert projects_without_ap(TODAY, db).to_dict("records") == [
        {"project_id": "without-ap", "name": "Without AP", "stage": "Registering"}]


def test_the_backup_round_trip_keeps_the_new_tables(db, tmp_path: Path, backend: Backend):
    v = course(db, 1, hours=18).version
    record_renewal("ap-open", "2025-11-30", editor=ED, version=v, db=db, today=TODAY)
    backup.export_records(tmp_path / "backup", db)
    restored = backend.new("restored")
    backup.import_records(tmp_path / "backup", restored)
    before, after = records.dump(db), records.dump(restored)
    for table in ("practitioners", "ce_activities", "renewals"):
        assert after[table].astype(object).equals(before[table].astype(object)), table
    assert len(after["ce_activities"]) == 2 and len(after["renewals"]) == 1


# --------------------------------------------------------------------------------------------
# The Sample City
# --------------------------------------------------------------------------------------------


def test_the_sample_tells_every_credential_story_on_its_reference_date(backend: Backend):
    db = backend.new()
    assert records.seed_if_absent(PROJECT / "data" / "sample", db)
    people = practitioner_directory(REFERENCE_DATE, db, show_private=True)
    assert len(people) == 14  # indicators/sample/practitioners.py
    assert set(people["status"]) == set(cr.STATUSES)
    due = people[people["status"] == "renewal due"]
    assert (due["ce_hours_needed"] > 0).any() and (due["ce_hours_needed"] == 0).any()
    assert (~people["listed"]).sum() >= 1 and (people["n_projects"] == 0).any()
    assert (people["n_projects"] > 0).any()
    assert len(records.dump(db)["renewals"]) >= 1 and len(records.dump(db)["ce_activities"]) > 20
    public = practitioner_directory(REFERENCE_DATE, db, show_private=False)
    assert public["name"].isna().sum() == (~public["listed"]).sum() >= 1
    alone = projects_without_ap(REFERENCE_DATE, db)
    assert 1 <= len(alone) < len(records.portfolio(REFERENCE_DATE, db))
