"""Changes to the certification records by an authorised editor.

Every write follows the same steps:

1. the editor is checked (:func:`~indicators.certification.accounts.authorise`: a signed-in
   account whose role may write, whatever the page checked), then the values (types,
   choices, dates), before the database is opened;
2. one transaction on a brief connection: the project is looked up, the ``version`` the editor
   saw is compared with the stored one (a different one raises
   :class:`~indicators.certification.checks.ConflictError`: someone else changed the project
   meanwhile), the input is checked against the records (unknown requirement, stage skipped,
   dates out of order...), then the new row, its ``audit_log`` entry (who, when, what, before,
   after) and the project's new version are written together;
3. any error rolls the transaction back, so a refused write leaves the database unchanged.

Nothing is deleted or overwritten: a status, review or observation is a new row. Text is
always passed as a SQL parameter and stored verbatim. Each function returns a
:class:`WriteResult` whose ``version`` the editor passes with their next write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from indicators.certification import audit
from indicators.certification import checks as check
from indicators.certification.accounts import Account, authorise
from indicators.certification.backends import Connection, Location, resolve
from indicators.certification.boundaries import check_geometry, ensure_table
from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.database import (
    insert,
    insert_many,
    next_id,
    now,
    project_records,
    retrying,
    rows,
    to_json,
    transaction,
)
from indicators.certification.rules import OUTCOMES, ROUNDS, STATUSES, requirements_frame, stage_table
from indicators.certification.standard import Standard, default_version, get_standard


@dataclass(frozen=True)
class WriteResult:
    """What a write stored: the table, the new row's id and the project's new version."""

    table: str
    record_id: str
    version: int


@dataclass(frozen=True)
class _Change:
    table: str
    row: dict[str, Any]
    record_id: str
    before: dict[str, Any] | None


def _today() -> date:
    """Today's date, used only to refuse dates in the future (the rules never read the clock)."""
    return date.today()


def record_requirement_status(project_id: str, requirement_id: str, status: str, *, editor: Account,
                              version: int, evidence_url: str | None = None, note: str | None = None,
                              db: Location | None = None) -> WriteResult:
    """Append a status (not started, in progress, met, not applicable) to a requirement's
    history, with an optional evidence link (http/https) and note."""
    status = check.choice(status, STATUSES, "status")
    requirement_id = check.text(requirement_id, "requirement", required=True)
    evidence_url = check.url(evidence_url, "evidence link")
    note = check.text(note, "note")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        known = rows(con, "SELECT requirement_id FROM requirements WHERE project_id = ? "
                          "AND requirement_id = ?", [project_id, requirement_id])
        if not known:
            raise RecordError(f"There is no requirement {requirement_id!r} in this project's checklist; "
                              "choose one of its requirements.")
        before = rows(con, "SELECT * FROM requirement_status WHERE project_id = ? AND requirement_id = ? "
                           "ORDER BY recorded_at DESC, status_id DESC LIMIT 1", [project_id, requirement_id])
        sid = next_id(con, "requirement_status")
        row = {"status_id": sid, "project_id": project_id, "requirement_id": requirement_id,
               "status": status, "evidence_url": evidence_url, "note": note}
        return _Change("requirement_status", row, str(sid), before[0] if before else None)

    return _write(db, project_id, version, editor, "record requirement status", build)


def record_submission(project_id: str, stage: str, submitted_on: date | str, *, editor: Account,
                      version: int, kind: str | None = None, title: str | None = None,
                      document_url: str | None = None, note: str | None = None,
                      db: Location | None = None) -> WriteResult:
    """Record a document submitted for review at a stage (``kind`` defaults to the standard's
    name for it, e.g. "Declaration of Collaboration"). Refused when an earlier stage is not
    complete yet: a stage cannot be skipped."""
    submitted_on = check.day(submitted_on, "submission date", today=_today())
    kind, title, note = (check.text(kind, "kind"), check.text(title, "title"), check.text(note, "note"))
    document_url = check.url(document_url, "document link")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        standard = _standard(project)
        chosen = standard.stage(check.choice(stage, standard.stage_ids, "stage"))
        if chosen.automatic:
            raise RecordError(f"{chosen.title} is awarded by the rules, not submitted; record the "
                              "submissions of the stages before it instead.")
        _after_registration(project, submitted_on, "submission date")
        _require_reached(con, project, standard, standard.before_group(chosen.id),
                         f"{chosen.title} cannot be submitted yet")
        sid = next_id(con, "submissions")
        row = {"submission_id": sid, "project_id": project_id, "stage": chosen.id,
               "kind": kind or chosen.submission, "submitted_on": submitted_on, "title": title,
               "document_url": document_url, "note": note}
        return _Change("submissions", row, str(sid), None)

    return _write(db, project_id, version, editor, "record submission", build)


def record_review(project_id: str, submission_id: int, review_round: str, outcome: str,
                  reviewed_on: date | str, *, editor: Account, version: int, reviewer: str | None = None,
                  notes: str | None = None, db: Location | None = None) -> WriteResult:
    """Record a review of a submission: a *preliminary* review, then (only after revisions were
    requested or it was not endorsed) one *final* review; outcome endorsed, revisions
    requested or not endorsed."""
    submission_id = check.whole(submission_id, "submission number")
    review_round = check.choice(review_round, ROUNDS, "review round")
    outcome = check.choice(outcome, OUTCOMES, "outcome")
    reviewed_on = check.day(reviewed_on, "review date", today=_today())
    reviewer, notes = check.text(reviewer, "reviewer"), check.text(notes, "review notes")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        found = rows(con, "SELECT * FROM submissions WHERE submission_id = ? AND project_id = ?",
                     [submission_id, project_id])
        if not found:
            raise RecordError(f"There is no submission {submission_id} for this project; choose one of "
                              "its submissions.")
        if reviewed_on < found[0]["submitted_on"]:
            raise RecordError(f"The review date {reviewed_on} is before the submission date "
                              f"{found[0]['submitted_on']}; a review comes after the submission.")
        earlier = rows(con, "SELECT * FROM reviews WHERE submission_id = ? ORDER BY reviewed_on, "
                            "review_id", [submission_id])
        check.review_order(review_round, reviewed_on, earlier)
        rid = next_id(con, "reviews")
        row = {"review_id": rid, "submission_id": submission_id, "round": review_round,
               "outcome": outcome, "reviewed_on": reviewed_on, "reviewer": reviewer, "notes": notes}
        return _Change("reviews", row, str(rid), earlier[-1] if earlier else None)

    return _write(db, project_id, version, editor, "record review", build)


def add_target(project_id: str, *, commitment: str, baseline: float, baseline_year: int,
               target: float, target_year: int, direction: str, editor: Account, version: int,
               indicator: str | None = None, indicator_id: str | None = None, unit: str | None = None,
               definition: str | None = None, data_source: str | None = None,
               frequency: str | None = None, db: Location | None = None) -> WriteResult:
    """Add a target from the Targets Template (``indicator_id`` optionally links it to a
    dashboard indicator; values are in the target's own ``unit``, e.g. 41 for 41 %)."""
    row = check.target_fields(project_id, {
        "commitment": commitment, "indicator": indicator, "indicator_id": indicator_id,
        "unit": unit, "definition": definition, "data_source": data_source,
        "frequency": frequency, "baseline": baseline, "baseline_year": baseline_year,
        "target": target, "target_year": target_year, "direction": direction})

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        tid = next_id(con, "targets")
        return _Change("targets", {"target_id": tid, **row}, str(tid), None)

    return _write(db, project_id, version, editor, "add target", build)


def add_observation(project_id: str, target_id: int, value: float, *, editor: Account, version: int,
                    observed_on: date | str | None = None, year: int | None = None,
                    source: str | None = None, note: str | None = None,
                    db: Location | None = None) -> WriteResult:
    """Add an observed value of a target, dated ``observed_on`` or, for an annual figure,
    ``year`` (stored as 1 January of that year)."""
    target_id = check.whole(target_id, "target number")
    value = check.number(value, "observed value")
    when = check.observation_date(observed_on, year, _today())
    source, note = check.text(source, "source"), check.text(note, "note")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        if not rows(con, "SELECT target_id FROM targets WHERE target_id = ? AND project_id = ?",
                    [target_id, project_id]):
            raise RecordError(f"There is no target {target_id} in this project; add the target first or "
                              "choose one of its targets.")
        before = rows(con, "SELECT * FROM observations WHERE target_id = ? ORDER BY observed_on DESC, "
                           "observation_id DESC LIMIT 1", [target_id])
        oid = next_id(con, "observations")
        row = {"observation_id": oid, "target_id": target_id, "observed_on": when, "year": when.year,
               "value": value, "source": source, "note": note}
        return _Change("observations", row, str(oid), before[0] if before else None)

    return _write(db, project_id, version, editor, "add observation", build)


def set_project_boundary(project_id: str, geometry: object, *, editor: Account, version: int,
                         name: str | None = None, source: str | None = None,
                         db: Location | None = None) -> WriteResult:
    """Give a project its own boundary (a GeoJSON geometry in longitude/latitude); the earlier
    one stays in the history (:mod:`indicators.certification.boundaries`)."""
    geojson = check_geometry(geometry)
    name, source = check.text(name, "boundary name"), check.text(source, "boundary source")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        ensure_table(con)
        before = rows(con, "SELECT * FROM boundaries WHERE project_id = ? ORDER BY recorded_at DESC, "
                           "boundary_id DESC LIMIT 1", [project_id])
        bid = next_id(con, "boundaries")
        row = {"boundary_id": bid, "project_id": project_id, "name": name, "geojson": geojson,
               "source": source}
        return _Change("boundaries", row, str(bid), before[0] if before else None)

    return _write(db, project_id, version, editor, "set boundary", build)


def record_stage_change(project_id: str, stage: str, occurred_on: date | str, *, editor: Account,
                        version: int, note: str | None = None, db: Location | None = None) -> WriteResult:
    """Record on the project's timeline that it reached ``stage`` on ``occurred_on``. Refused
    when an earlier stage was not recorded first (a stage cannot be skipped), the date is before
    an earlier stage's, or the rules do not find the stage complete."""
    occurred_on = check.day(occurred_on, "stage date", today=_today())
    note = check.text(note, "note")

    def build(con: Connection, project: dict[str, Any]) -> _Change:
        standard = _standard(project)
        chosen = standard.stage(check.choice(stage, standard.stage_ids, "stage"))
        recorded = {e["stage"]: e["occurred_on"] for e in rows(
            con, "SELECT stage, occurred_on FROM stage_events WHERE project_id = ?", [project_id])}
        if chosen.id in recorded:
            raise RecordError(f"{chosen.title} was already recorded as reached on {recorded[chosen.id]}; "
                              "there is nothing to change.")
        for prior in standard.before_group(chosen.id):
            title = standard.stage(prior).title
            if prior not in recorded:
                raise RecordError(f"{chosen.title} cannot be recorded before {title}, since a stage "
                                  f"cannot be skipped; record {title} first.")
            if occurred_on < recorded[prior]:
                raise RecordError(f"The date {occurred_on} is before {title} was reached "
                                  f"({recorded[prior]}); stages are reached in order, so check the date.")
        _after_registration(project, occurred_on, "stage date")
        _require_complete(con, project, standard, chosen.id)
        eid = next_id(con, "stage_events")
        row = {"event_id": eid, "project_id": project_id, "stage": chosen.id,
               "occurred_on": occurred_on, "note": note}
        return _Change("stage_events", row, str(eid), None)

    return _write(db, project_id, version, editor, "record stage change", build)


def add_project(project_id: str, name: str, registered_on: date | str, *, editor: Account,
                district_id: str | None = None, city: str | None = None,
                standard_version: str | None = None, description: str | None = None,
                lead_organisation: str | None = None, website: str | None = None,
                db: Location | None = None) -> WriteResult:
    """Register a new project with the standard's checklist (version 1 of the project)."""
    actor = authorise(editor, "register a project").audit_name
    version = standard_version or default_version()
    try:
        standard = get_standard(version)
    except ValueError as exc:
        raise RecordError(f"{exc}; choose one of those versions.") from None
    row = {"project_id": check.slug(project_id, "project id"),
           "name": check.text(name, "project name", required=True),
           "district_id": check.text(district_id, "district id"), "city": check.text(city, "city"),
           "standard_version": version,
           "registered_on": check.day(registered_on, "registration date", today=_today()),
           "description": check.text(description, "description"),
           "lead_organisation": check.text(lead_organisation, "lead organisation"),
           "website": check.url(website, "website"), "version": 1, "created_by": actor}

    def write() -> WriteResult:
        with transaction(resolve(db)) as con:
            if rows(con, "SELECT project_id FROM projects WHERE project_id = ?", [project_id]):
                raise RecordError(f"A project with the id {project_id!r} already exists; choose "
                                  "another id.")
            at = now()
            insert(con, "projects", {**row, "created_at": at})
            insert_many(con, "requirements", [{"project_id": project_id, **r} for r in
                                              requirements_frame(standard).to_dict("records")])
            _audit(con, at, actor, "add project", _Change("projects", row, project_id, None), project_id)
        return WriteResult("projects", project_id, 1)

    return retrying(write)


# --------------------------------------------------------------------------------------------


def _write(db: Location | None, project_id: str, version: int, editor: Account, action: str,
           build: Callable[[Connection, dict[str, Any]], _Change]) -> WriteResult:
    actor = authorise(editor, action).audit_name
    expected = check.whole(version, "project version")
    project_id = check.text(project_id, "project", required=True)
    return retrying(lambda: _attempt(resolve(db), project_id, expected, actor, action, build))


def _attempt(db: Location, project_id: str, expected: int, actor: str, action: str,
             build: Callable[[Connection, dict[str, Any]], _Change]) -> WriteResult:
    with transaction(db) as con:
        found = rows(con, "SELECT * FROM projects WHERE project_id = ?", [project_id])
        if not found:
            raise RecordError(f"There is no project {project_id!r}; choose a project from the portfolio.")
        if int(found[0]["version"]) != expected:
            raise ConflictError()
        change = build(con, found[0])
        at = now()
        row = {**change.row, "recorded_by": actor, "recorded_at": at}
        insert(con, change.table, row)
        _audit(con, at, actor, action, _Change(change.table, row, change.record_id, change.before),
               project_id)
        con.execute("UPDATE projects SET version = ? WHERE project_id = ? AND version = ?",
                    [expected + 1, project_id, expected])
    return WriteResult(change.table, change.record_id, expected + 1)


def _audit(con: Connection, at: Any, actor: str, action: str, change: _Change,
           project_id: str | None) -> None:
    """The change's ``audit_log`` row, hash-chained to the one before (:func:`audit.append`)."""
    audit.append(con, {
        "at": at, "actor": actor, "action": action, "table_name": change.table,
        "record_id": change.record_id, "project_id": project_id,
        "before": to_json(change.before), "after": to_json(change.row)})


def _standard(project: dict[str, Any]) -> Standard:
    return get_standard(str(project["standard_version"]))


def _after_registration(project: dict[str, Any], when: date, label: str) -> None:
    if when < project["registered_on"]:
        raise RecordError(f"The {label} {when} is before the project's registration on "
                          f"{project['registered_on']}; check the date.")


def _require_reached(con: Connection, project: dict[str, Any], standard: Standard,
                     stages: tuple[str, ...], prefix: str) -> None:
    table = stage_table(standard, project_records(con, project), _today()).set_index("stage")
    for stage in stages:
        if not table.loc[stage, "reached"]:
            raise RecordError(f"{prefix}: {standard.stage(stage).title} is not complete (it needs an "
                              "endorsed submission and every mandatory requirement met); complete it first.")


def _require_complete(con: Connection, project: dict[str, Any], standard: Standard,
                      stage: str) -> None:
    row = stage_table(standard, project_records(con, project), _today()).set_index("stage").loc[stage]
    if row["complete"]:
        return
    title = standard.stage(stage).title
    if row["automatic"]:
        reason = "the stages before it are not all complete"
    elif pd.isna(row["endorsed_on"]):
        reason = "none of its submissions has been endorsed"
    else:
        reason = f"{int(row['mandatory'] - row['met'])} mandatory requirement(s) are not met"
    raise RecordError(f"{title} cannot be recorded as reached yet because {reason}; record those first.")


def record_data_load(editor: Account, action: str, before: dict[str, Any], after: dict[str, Any], *,
                     db: Location | None = None) -> WriteResult:
    """Audit an editor's data load or restore (:mod:`indicators.store.editor_load`): no project."""
    actor, record = authorise(editor, action).audit_name, str(after.get("sha256", ""))[:16]
    action = check.choice(action, ("load data", "fetch data", "restore data"), "action")

    def write() -> WriteResult:
        with transaction(resolve(db)) as con:
            _audit(con, now(), actor, action, _Change("indicators database", after, record, before), None)
        return WriteResult("indicators database", record, 0)
    return retrying(write)
