"""The certification records database (``certification.duckdb`` or PostgreSQL): what pages call.

- :func:`seed_if_absent` creates it once from a region's certification document;
- read functions return DataFrames (or a :class:`ProjectDetail`) evaluated on an ``as_of`` date
  by the pure rules of :mod:`indicators.certification`: :func:`portfolio`,
  :func:`project_detail`, :func:`commitment_summary`, :func:`practitioners`,
  :func:`audit_log`, :func:`requirement_history`, :func:`project_version`,
  :func:`database_info`, :func:`dump`;
- write functions for an authorised editor (see :mod:`indicators.certification.writes`):
  :func:`record_requirement_status`, :func:`record_submission`, :func:`record_review`,
  :func:`add_target`, :func:`add_observation`, :func:`record_stage_change`,
  :func:`add_project`. Bad input raises :class:`RecordError`; a stale ``version`` raises
  :class:`ConflictError`; either way nothing is written.

Every call opens the file briefly (connect, read or write, close), so several app sessions can
share it and an editor's change is visible to the next read. ``db`` (a DuckDB file or a
PostgreSQL URL, :mod:`.backends`) defaults to :func:`indicators.config.records_location`.

Schema (a public interface; nothing is deleted, the current value is the latest row)::

    projects(project_id, name, district_id, city, standard_version, registered_on, description,
             lead_organisation, website, version, created_by, created_at)
    stage_events(event_id, project_id, stage, occurred_on, note, recorded_by, recorded_at)
    requirements(project_id, requirement_id, stage, title, description, mandatory, position)
    requirement_status(status_id, project_id, requirement_id, status, evidence_url, note,
                       recorded_by, recorded_at)
    submissions(submission_id, project_id, stage, kind, submitted_on, title, document_url, note,
                recorded_by, recorded_at)
    reviews(review_id, submission_id, round, outcome, reviewed_on, reviewer, notes, ...)
    targets(target_id, project_id, commitment, indicator, indicator_id, unit, definition,
            data_source, frequency, baseline, baseline_year, target, target_year, direction, ...)
    observations(observation_id, target_id, observed_on, year, value, source, note, ...)
    practitioners(practitioner_id, name, organisation, credentialed_on, expires_on, ce_hours,
                  email, city, listed, revoked_on, version)
    ce_activities(activity_id, practitioner_id, title, provider, category, hours, done_on, ...)
    renewals(renewal_id, practitioner_id, renewed_on, cycle_start, cycle_end, hours_counted, ...)
    assignments(assignment_id, project_id, practitioner_id, role, since)
    audit_log(audit_id, at, actor, action, table_name, record_id, project_id, before, after)
    meta(key, value)
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from indicators.certification.backends import Location, exists, resolve
from indicators.certification.boundaries import current as project_boundaries
from indicators.certification.boundaries import history as boundary_history
from indicators.certification.boundaries import of_project as project_boundary
from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.database import ID_COLUMNS, TABLES, connect, frame, project_records, rows
from indicators.certification.rules import (
    ProjectRecords,
    ProjectStatus,
    annual_reports,
    checklist,
    evaluate,
    stage_table,
)
from indicators.certification.seed import seed_if_absent
from indicators.certification.standard import Standard, get_standard
from indicators.certification.tracker import practitioner_status, share_on_track, target_tracker
from indicators.certification.writes import (
    WriteResult,
    add_observation,
    add_project,
    add_target,
    record_requirement_status,
    record_review,
    record_stage_change,
    record_submission,
    set_project_boundary,
)
from indicators.dates import as_date
from indicators.metrics.framework import COMMITMENT_NAMES

__all__ = [
    "ConflictError", "ProjectDetail", "RecordError", "WriteResult", "add_observation",
    "add_project", "add_target", "audit_log", "commitment_summary", "database_info", "dump",
    "portfolio", "practitioners", "project_commitments", "project_detail", "project_version",
    "status_date", "StatusDate", "NOT_YET_REGISTERED",
    "record_requirement_status",
    "record_review", "record_stage_change", "record_submission", "requirement_history",
    "seed_if_absent", "set_project_boundary", "project_boundary", "project_boundaries",
    "boundary_history",
]

#: What a project whose Registration is not yet complete is called in place of a stage.
NOT_YET_REGISTERED = "Registering"


@dataclass(frozen=True)
class ProjectDetail:
    """Everything a project page shows, evaluated on one date.

    Attributes
    ----------
    project : dict
        The ``projects`` row (``version`` included: pass it with the editor's next write).
    standard : Standard
    status : ProjectStatus
        Current stage, progress, next deadline, overdue stages, lapse.
    stages : DataFrame
        :func:`~indicators.certification.rules.stage_table`.
    timeline : DataFrame
        ``on``, ``kind`` (registered, submitted, review, reached, deadline), ``stage``, ``what``,
        ``detail``; sorted by date.
    checklist : DataFrame
        Each requirement with ``stage_title`` and its latest status, evidence, note, recorder.
    submissions : DataFrame
        One row per review (a submission without review: one row with empty review columns).
    reports : DataFrame
        The annual report schedule (empty before certification).
    targets : DataFrame
        The target tracker: Targets Template fields, latest value and date, expected value,
        status.
    observations : DataFrame
        Every observation of the project's targets, in date order.
    commitments : DataFrame
        Targets on track per Commitment (:func:`~indicators.certification.tracker.share_on_track`).
    team : DataFrame
        Practitioners assigned, with their role and credential status.
    """

    project: dict[str, Any]
    standard: Standard
    status: ProjectStatus
    stages: pd.DataFrame
    timeline: pd.DataFrame
    checklist: pd.DataFrame
    submissions: pd.DataFrame
    reports: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    commitments: pd.DataFrame
    team: pd.DataFrame

    @property
    def version(self) -> int:
        """The project's version when it was read."""
        return int(self.project["version"])


def portfolio(as_of: date, db: Location | None = None) -> pd.DataFrame:
    """One row per project with its derived stage, progress, deadlines and targets on track.

    Returns
    -------
    DataFrame
        ``project_id``, ``name``, ``district_id``, ``city``, ``standard_version``,
        ``registered_on``, ``stage`` (current stage id, "" before Registration is complete),
        ``stage_title``, ``working_on`` (titles of the working stages), ``progress_pct``
        (0-100), ``status`` (lapsed, overdue, certified, on schedule), ``next_deadline``,
        ``next_deadline_for``, ``days_left`` (negative when past), ``overdue``,
        ``overdue_stages``, ``lapsed``, ``certified_on``, ``targets``, ``targets_with_data``,
        ``targets_on_track``, ``share_on_track`` (of targets with data; NaN when none), ``version``.
    """
    with closing(connect(resolve(db))) as con:
        projects = frame(con, "SELECT * FROM projects ORDER BY name, project_id", [])
        tables = {name: frame(con, sql, []) for name, sql in {
            "requirements": "SELECT * FROM requirements ORDER BY project_id, position",
            "statuses": "SELECT * FROM requirement_status",
            "submissions": "SELECT * FROM submissions",
            "reviews": "SELECT r.*, s.project_id FROM reviews r JOIN submissions s USING (submission_id)",
            "targets": "SELECT * FROM targets", "observations": "SELECT * FROM observations"}.items()}
    tracker = target_tracker(tables["targets"], tables["observations"], as_of)
    on_track = share_on_track(tracker, by="project_id").set_index("project_id")
    out = []
    for project in projects.to_dict("records"):
        pid = project["project_id"]
        records = ProjectRecords(project["registered_on"], *(
            tables[name][tables[name]["project_id"] == pid]
            for name in ("requirements", "statuses", "submissions", "reviews")))
        standard = get_standard(project["standard_version"])
        status = evaluate(standard, records, as_of)
        counts = on_track.loc[pid] if pid in on_track.index else None
        out.append(_portfolio_row(project, standard, status, counts))
    return pd.DataFrame(out, columns=PORTFOLIO_COLUMNS)


PORTFOLIO_COLUMNS = [
    "project_id", "name", "district_id", "city", "standard_version", "registered_on", "stage",
    "stage_title", "working_on", "progress_pct", "status", "next_deadline", "next_deadline_for",
    "days_left", "overdue", "overdue_stages", "lapsed", "certified_on", "targets",
    "targets_with_data", "targets_on_track", "share_on_track", "version",
]


def _portfolio_row(project: dict[str, Any], standard: Standard, status: ProjectStatus,
                   counts: pd.Series | None) -> dict[str, Any]:
    title = {s.id: s.title for s in standard.stages}
    deadline_for = status.next_deadline_stage
    if deadline_for and standard.stage(deadline_for).due and standard.stage(deadline_for).due.repeats:
        deadline_for_title = standard.stage(deadline_for).submission
    else:
        deadline_for_title = title.get(deadline_for or "", "")
    return {
        **{k: project[k] for k in ("project_id", "name", "district_id", "city", "standard_version",
                                   "registered_on")},
        "stage": status.current_stage or "",
        "stage_title": title[status.current_stage] if status.current_stage else NOT_YET_REGISTERED,
        "working_on": " and ".join(title[s] for s in status.working_stages),
        "progress_pct": round(100 * status.progress, 1),
        "status": status.label, "next_deadline": status.next_deadline,
        "next_deadline_for": deadline_for_title, "days_left": status.days_left,
        "overdue": status.overdue, "overdue_stages": ", ".join(title[s] for s in status.overdue_stages),
        "lapsed": status.lapsed, "certified_on": status.certified_on,
        "targets": int(counts["targets"]) if counts is not None else 0,
        "targets_with_data": int(counts["with_data"]) if counts is not None else 0,
        "targets_on_track": int(counts["on_track"]) if counts is not None else 0,
        "share_on_track": float(counts["share_on_track"]) if counts is not None else float("nan"),
        "version": int(project["version"]),
    }


def project_detail(project_id: str, as_of: date, db: Location | None = None) -> ProjectDetail:
    """Timeline, checklist, submissions and reviews, target tracker and team of one project.

    Raises
    ------
    RecordError
        If there is no such project.
    """
    with closing(connect(resolve(db))) as con:
        found = rows(con, "SELECT * FROM projects WHERE project_id = ?", [project_id])
        if not found:
            raise RecordError(f"There is no project {project_id!r}; choose a project from the portfolio.")
        project = found[0]
        records = project_records(con, project)
        params = [project_id]
        targets = frame(con, "SELECT * FROM targets WHERE project_id = ? ORDER BY target_id", params)
        observations = frame(con, "SELECT o.* FROM observations o JOIN targets t USING (target_id) "
                                  "WHERE t.project_id = ? ORDER BY o.target_id, o.observed_on, "
                                  "o.observation_id", params)
        events = frame(con, "SELECT * FROM stage_events WHERE project_id = ? ORDER BY occurred_on", params)
        team = frame(con, "SELECT a.assignment_id, a.role, a.since, p.* FROM assignments a JOIN "
                          "practitioners p USING (practitioner_id) WHERE a.project_id = ? "
                          "ORDER BY a.assignment_id", params)
    standard = get_standard(project["standard_version"])
    stages = stage_table(standard, records, as_of)
    reports = annual_reports(standard, records, as_of)
    tracker = target_tracker(targets, observations, as_of)
    titles = {s.id: s.title for s in standard.stages}
    check = checklist(records.requirements, records.statuses, as_of)
    check.insert(2, "stage_title", check["stage"].map(titles))
    submissions = records.submissions.merge(
        records.reviews.drop(columns=["recorded_by", "recorded_at"], errors="ignore"),
        on="submission_id", how="left").sort_values(["submitted_on", "submission_id", "reviewed_on"],
                                                    kind="stable", na_position="last")
    return ProjectDetail(
        project=project, standard=standard, status=evaluate(standard, records, as_of),
        stages=stages, timeline=_timeline(project, standard, stages, reports, submissions, events),
        checklist=check, submissions=submissions.reset_index(drop=True), reports=reports,
        targets=tracker, observations=observations, commitments=share_on_track(tracker),
        team=practitioner_status(team, as_of),
    )


def _timeline(project: dict[str, Any], standard: Standard, stages: pd.DataFrame,
              reports: pd.DataFrame, submissions: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    titles = {s.id: s.title for s in standard.stages}
    items = [(project["registered_on"], "registered", standard.stage_ids[0],
              f"Registered under {standard.version}", "")]
    for sub in submissions.drop_duplicates("submission_id").itertuples():
        items.append((sub.submitted_on, "submitted", sub.stage, f"{sub.kind} submitted", sub.title or ""))
    for rev in submissions.dropna(subset=["review_id"]).itertuples():
        items.append((rev.reviewed_on, "review", rev.stage,
                      f"{str(rev.round).capitalize()} review: {rev.outcome}", rev.notes or ""))
    recorded = set(events["stage"])
    for event in events.itertuples():
        items.append((event.occurred_on, "reached", event.stage, f"{titles[event.stage]} reached",
                      event.note or ""))
    for row in stages[stages["reached"]].itertuples():
        if row.stage not in recorded and row.reached_on is not None:
            items.append((row.reached_on, "reached", row.stage, f"{row.title} reached",
                          "date of the endorsement that completed it"))
    for row in stages[stages["due_on"].notna() & ~stages["complete"] & ~stages["repeats"]].itertuples():
        items.append((row.due_on, "deadline", row.stage, f"{row.title} due",
                      "overdue" if row.overdue else ""))
    for report in reports[reports["status"].isin(["overdue", "due"])].itertuples():
        items.append((report.due_on, "deadline", "performance", f"Annual progress report {report.report} due",
                      report.status if report.status == "overdue" else ""))
    timeline = pd.DataFrame(items, columns=["on", "kind", "stage", "what", "detail"])
    return timeline.sort_values("on", kind="stable").reset_index(drop=True)


def commitment_summary(as_of: date, db: Location | None = None) -> pd.DataFrame:
    """Targets on track per Commitment across every project (all five Commitments listed, in
    framework order)."""
    with closing(connect(resolve(db))) as con:
        targets = frame(con, "SELECT * FROM targets", [])
        observations = frame(con, "SELECT * FROM observations", [])
    summary = share_on_track(target_tracker(targets, observations, as_of)).set_index("commitment")
    summary = summary.reindex(list(COMMITMENT_NAMES))
    counts = [c for c in summary.columns if c != "share_on_track"]
    summary[counts] = summary[counts].fillna(0).astype(int)
    return summary.reset_index()


def project_commitments(db: Location | None = None) -> pd.DataFrame:
    """Which Commitments each project has targets for (``project_id``, ``commitment``)."""
    with closing(connect(resolve(db))) as con:
        return frame(con, "SELECT DISTINCT project_id, commitment FROM targets ORDER BY 1, 2", [])


def practitioners(as_of: date, db: Location | None = None) -> pd.DataFrame:
    """Every Accredited Practitioner with credential status, hours towards renewal and the
    number of projects they are assigned to."""
    with closing(connect(resolve(db))) as con:
        people = frame(con, "SELECT p.*, coalesce(a.projects, 0) AS projects FROM practitioners p "
                            "LEFT JOIN (SELECT practitioner_id, count(*) AS projects FROM assignments "
                            "GROUP BY practitioner_id) a USING (practitioner_id) ORDER BY p.name", [])
    return practitioner_status(people, as_of)


def audit_log(project_id: str | None = None, limit: int | None = None,
              db: Location | None = None) -> pd.DataFrame:
    """The audit log, newest first (optionally one project's, optionally the latest ``limit``)."""
    params: list[object] = [] if project_id is None else [project_id]
    sql = f"SELECT * FROM audit_log {'WHERE project_id = ? ' if params else ''}ORDER BY audit_id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    with closing(connect(resolve(db))) as con:
        return frame(con, sql, params)


def requirement_history(project_id: str, requirement_id: str, db: Location | None = None) -> pd.DataFrame:
    """Every status recorded for one requirement, oldest first."""
    with closing(connect(resolve(db))) as con:
        return frame(con, "SELECT * FROM requirement_status WHERE project_id = ? AND requirement_id = ? "
                          "ORDER BY recorded_at, status_id", [project_id, requirement_id])


def project_version(project_id: str, db: Location | None = None) -> int:
    """The project's current version (what an editor's next write must carry)."""
    with closing(connect(resolve(db))) as con:
        found = rows(con, "SELECT version FROM projects WHERE project_id = ?", [project_id])
    if not found:
        raise RecordError(f"There is no project {project_id!r}; choose a project from the portfolio.")
    return int(found[0]["version"])


@dataclass(frozen=True)
class StatusDate:
    """The date a certification page shows the records on, and why that one."""

    day: date
    reason: str


def status_date(today: date, db: Location | None = None) -> StatusDate:
    """The date certification pages open on: *today*, except for fictional records (the
    sample's), whose story is told relative to their reference date and would decay with the
    calendar (projects "729 days late", credentials lapsing) if shown on today's date.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> status_date(date(2027, 3, 1), folder / "none.duckdb")
    StatusDate(day=datetime.date(2027, 3, 1), reason='today')
    """
    path = resolve(db)
    info = database_info(path) if exists(path) else {}
    reference = as_date(info.get("reference_date") or None)
    if info.get("fictional") == "true" and reference is not None:
        return StatusDate(reference, "the fictional sample records' reference date")
    return StatusDate(today, "today")


def database_info(db: Location | None = None) -> dict[str, str]:
    """The ``meta`` table: source document, when seeded, region, whether it is fictional and the
    sample's reference date."""
    with closing(connect(resolve(db))) as con:
        return {r["key"]: r["value"] for r in rows(con, "SELECT key, value FROM meta", [])}


def dump(db: Location | None = None) -> dict[str, pd.DataFrame]:
    """Every table, ordered by its key (for export and for checking nothing was lost)."""
    with closing(connect(resolve(db))) as con:
        out = {}
        present = {r["table_name"] for r in rows(con, "SELECT table_name FROM information_schema.tables "
                                                      "WHERE table_schema = current_schema()", [])}
        for table in (t for t in TABLES if t in present):
            order = ID_COLUMNS.get(table) or {"meta": "key", "projects": "project_id",
                                              "requirements": "project_id, requirement_id",
                                              "practitioners": "practitioner_id"}[table]
            out[table] = frame(con, f"SELECT * FROM {table} ORDER BY {order}", [])
        return out

