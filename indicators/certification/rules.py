"""Certification rules: where a project stands, what is due, and how its targets are doing.

Pure functions: DataFrames and dataclasses in, values out. Nothing here reads a file or the
clock; every rule takes the date it is evaluated at (``as_of``), and records dated after it
(statuses recorded, submissions made, reviews given) are ignored, so the same records give the
same answer for the same date. The records themselves are read and written by
:mod:`indicators.certification.records`; the stages, checklists and due rules come from
:mod:`indicators.certification.standard`. The target tracker and the practitioner rules are in
:mod:`indicators.certification.tracker`.

Definitions
-----------
complete
    A stage with a submission is complete when every mandatory requirement is *met* (mandatory
    requirements marked *not applicable* are left out) and one of its submissions has an
    *endorsed* review, on the date of that endorsement. An automatic stage (Certified) is
    complete when every stage before it is reached.
reached
    A stage is reached when it and every stage before it are complete: a stage cannot be
    skipped. It is reached on the latest of those completion dates.
current stage
    The last stage reached (None while Registration is not yet complete).
working stages
    The first stage not yet reached, together with the stages not yet reached that are worked
    on alongside it (Formation and Roadmap are concurrent: a project working on one is working
    on both, until it is reached).
progress
    Met mandatory requirements / all mandatory requirements (less those *not applicable*) of
    every stage up to and including the working stages and their concurrent partners (so from
    Commitment endorsed until certification the scope is Registration to Roadmap); every stage
    once all are reached.
    This is "how much of the checklist so far, including the stage in hand, is done".
due dates
    ``months`` calendar months after the stage named by the due rule was reached (for the first
    stage: the project's registration date; for a stage with a submission: its endorsement
    date). A stage is overdue when it is not complete and ``as_of`` is after its due date: on
    the due date itself it is not overdue; the day after it is.
annual reports
    See :func:`report_schedule`. A certified project is *lapsed* while a report whose due date
    has passed has not been submitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from indicators.certification.standard import Standard
from indicators.dates import add_months, as_date

STATUSES = ("not started", "in progress", "met", "not applicable")
ROUNDS = ("preliminary", "final")
OUTCOMES = ("endorsed", "revisions requested", "not endorsed")
REPORT_STATUSES = ("on time", "late", "overdue", "due")


@dataclass(frozen=True)
class ProjectRecords:
    """What the rules need to know about one project.

    Parameters
    ----------
    registered_on : date
        The registration date (the participation agreement), which Commitment counts from.
    requirements : DataFrame
        The project's checklist: ``requirement_id``, ``stage``, ``mandatory``.
    statuses : DataFrame
        Status history: ``requirement_id``, ``status``, ``recorded_at`` (the latest row up to
        ``as_of`` is the current status; a requirement with none is *not started*).
    submissions : DataFrame
        ``submission_id``, ``stage``, ``submitted_on``.
    reviews : DataFrame
        ``submission_id``, ``outcome``, ``reviewed_on``.
    """

    registered_on: date
    requirements: pd.DataFrame
    statuses: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["requirement_id", "status", "recorded_at"]))
    submissions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["submission_id", "stage", "submitted_on"]))
    reviews: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["submission_id", "outcome", "reviewed_on"]))


@dataclass(frozen=True)
class ProjectStatus:
    """Where a project stands on ``as_of`` (see the module notes for each definition)."""

    current_stage: str | None
    working_stages: tuple[str, ...]
    progress: float
    next_deadline: date | None
    next_deadline_stage: str | None
    days_left: int | None
    overdue_stages: tuple[str, ...]
    lapsed: bool
    certified_on: date | None

    @property
    def overdue(self) -> bool:
        """True when any stage (or annual report) is past its due date."""
        return bool(self.overdue_stages)

    @property
    def label(self) -> str:
        """One word for a portfolio table: lapsed, overdue, certified or on schedule."""
        if self.lapsed:
            return "lapsed"
        if self.overdue:
            return "overdue"
        return "certified" if self.certified_on is not None else "on schedule"


def requirements_frame(standard: Standard) -> pd.DataFrame:
    """The standard's checklist as a frame: requirement_id, stage, title, description,
    mandatory, position (the checklist a project is registered with)."""
    return pd.DataFrame([
        {"requirement_id": r.id, "stage": r.stage, "title": r.title,
         "description": r.description, "mandatory": r.mandatory, "position": i}
        for i, r in enumerate(standard.requirements)
    ], columns=["requirement_id", "stage", "title", "description", "mandatory", "position"])


def checklist(requirements: pd.DataFrame, statuses: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each requirement with its latest status recorded on or before ``as_of``.

    Returns
    -------
    DataFrame
        ``requirements`` plus ``status`` (*not started* when none was recorded) and, where the
        history has them, ``evidence_url``, ``note``, ``recorded_by``, ``recorded_at``.
    """
    history = _on_or_before(statuses, "recorded_at", as_of)
    order = [c for c in ("recorded_at", "status_id") if c in history.columns]
    latest = history.sort_values(order, kind="stable").groupby("requirement_id").tail(1)
    keep = [c for c in ("requirement_id", "status", "evidence_url", "note", "recorded_by",
                        "recorded_at") if c in latest.columns]
    out = requirements.drop(columns=[c for c in keep if c != "requirement_id"], errors="ignore")
    out = out.merge(latest[keep], on="requirement_id", how="left")
    out["status"] = out["status"].astype(object).where(out["status"].notna(), "not started")
    return out


def endorsements(submissions: pd.DataFrame, reviews: pd.DataFrame, as_of: date) -> dict[str, date]:
    """For each stage, the date one of its submissions was first endorsed (on or before
    ``as_of``)."""
    subs = _on_or_before(submissions, "submitted_on", as_of)
    revs = _on_or_before(reviews, "reviewed_on", as_of)
    revs = revs[revs["outcome"] == "endorsed"]
    both = subs[["submission_id", "stage"]].merge(revs[["submission_id", "reviewed_on"]],
                                                 on="submission_id")
    return {stage: min(as_date(d) for d in group["reviewed_on"])
            for stage, group in both.groupby("stage")}


def report_schedule(certified_on: date | None, submissions: pd.DataFrame, as_of: date,
                    months: int = 12) -> pd.DataFrame:
    """The annual progress reports due on each certification anniversary, up to the next one.

    Report *k* is due on the *k*-th anniversary (``certified_on`` + *k* x ``months``). It is the
    first report submitted after anniversary *k* - 1 (after certification for *k* = 1) not
    already counted for an earlier anniversary, so two reports in one year count once and a
    late report covers the year it was late for. Status: *on time* (submitted on or before the
    due date), *late* (after it), *overdue* (none yet and ``as_of`` is after the due date) or
    *due* (none yet, not yet overdue: the next report). The list stops at the first *due* one.

    Parameters
    ----------
    certified_on : date or None
        The certification date (no reports are due before certification).
    submissions : DataFrame
        The annual report submissions: ``submitted_on`` (and ``submission_id``).
    as_of : date
    months : int, default 12

    Returns
    -------
    DataFrame
        ``report`` (k), ``due_on``, ``submitted_on``, ``submission_id``, ``status``.
    """
    columns = ["report", "due_on", "submitted_on", "submission_id", "status"]
    if certified_on is None:
        return pd.DataFrame(columns=columns)
    made = _on_or_before(submissions, "submitted_on", as_of)
    reports = sorted((as_date(r["submitted_on"]), r.get("submission_id")) for _, r in made.iterrows())
    rows, used, previous = [], 0, certified_on
    for k in range(1, 1000):
        due = add_months(certified_on, months * k)
        while used < len(reports) and reports[used][0] <= previous:
            used += 1  # a second report in the same year counts once
        if used < len(reports):
            on, sid = reports[used]
            used += 1
            rows.append([k, due, on, sid, "on time" if on <= due else "late"])
        else:
            rows.append([k, due, None, None, "overdue" if as_of > due else "due"])
            if as_of <= due:
                break
        previous = due
    out = pd.DataFrame(rows, columns=columns)
    out["submission_id"] = out["submission_id"].astype(object)
    return out


def stage_table(standard: Standard, records: ProjectRecords, as_of: date) -> pd.DataFrame:
    """One row per stage of the standard, in order, evaluated on ``as_of``.

    Returns
    -------
    DataFrame
        ``stage``, ``title``, ``position``, ``mandatory`` (mandatory requirements, less those not
        applicable), ``met``, ``requirements_met``, ``endorsed_on``, ``complete``,
        ``reached``, ``reached_on``, ``due_on``, ``days_left`` (from ``as_of`` to ``due_on``,
        negative when past, None once complete), ``overdue``, ``late`` (completed after its due
        date, or an annual report was late).
    """
    return _evaluate(standard, records, as_of)[0]


def annual_reports(standard: Standard, records: ProjectRecords, as_of: date) -> pd.DataFrame:
    """The project's annual report schedule on ``as_of`` (see :func:`report_schedule`); empty
    before certification."""
    return _evaluate(standard, records, as_of)[1]


def evaluate(standard: Standard, records: ProjectRecords, as_of: date) -> ProjectStatus:
    """Current stage, progress, next deadline, overdue stages and lapse of one project."""
    stages, _ = _evaluate(standard, records, as_of)
    reached = stages[stages["reached"]]
    current = str(reached["stage"].iloc[-1]) if len(reached) else None
    pending = stages[~stages["reached"]]
    group = standard.group(str(pending["stage"].iloc[0])) if len(pending) else ()
    working = tuple(s for s in group if s in set(pending["stage"]))
    last = standard.position(group[-1]) if group else len(standard.stages) - 1
    scope = stages[stages["position"] <= last]
    total = int(scope["mandatory"].sum())
    progress = int(scope["met"].sum()) / total if total else math.nan  # nothing in scope
    open_ = stages[stages["due_on"].notna() & (~stages["complete"] | stages["repeats"])]
    next_row = open_.sort_values("due_on", kind="stable").head(1)
    next_deadline = as_date(next_row["due_on"].iloc[0]) if len(next_row) else None
    automatic = stages[stages["automatic"] & stages["reached"]]
    return ProjectStatus(
        current_stage=current,
        working_stages=tuple(working),
        progress=progress,
        next_deadline=next_deadline,
        next_deadline_stage=str(next_row["stage"].iloc[0]) if len(next_row) else None,
        days_left=(next_deadline - as_of).days if next_deadline else None,
        overdue_stages=tuple(stages.loc[stages["overdue"], "stage"]),
        lapsed=bool(stages.loc[stages["repeats"], "overdue"].any()),
        certified_on=as_date(automatic["reached_on"].iloc[0]) if len(automatic) else None,
    )


def _evaluate(standard: Standard, records: ProjectRecords,
              as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    check = checklist(records.requirements, records.statuses, as_of)
    endorsed = endorsements(records.submissions, records.reviews, as_of)
    rows: list[dict[str, object]] = []
    reached_dates: dict[str, date | None] = {}
    reports = report_schedule(None, records.submissions, as_of)
    all_reached, previous_on = True, None
    for i, stage in enumerate(standard.stages):
        items = check[(check["stage"] == stage.id) & check["mandatory"].astype(bool)
                      & (check["status"] != "not applicable")]
        met = int((items["status"] == "met").sum())
        endorsed_on = None if stage.automatic else endorsed.get(stage.id)
        if stage.automatic:
            complete, completed_on = all_reached, previous_on
        else:
            complete = met == len(items) and endorsed_on is not None
            completed_on = endorsed_on if complete else None
        reached = all_reached and complete
        reached_on = max(d for d in (completed_on, previous_on) if d) if reached else None
        all_reached, previous_on = reached, reached_on if reached else previous_on
        reached_dates[stage.id] = records.registered_on if i == 0 else (
            reached_on if stage.automatic else endorsed_on)
        row = {"stage": stage.id, "title": stage.title, "position": i, "automatic": stage.automatic,
               "repeats": bool(stage.due and stage.due.repeats), "mandatory": len(items),
               "met": met, "requirements_met": met == len(items), "endorsed_on": endorsed_on,
               "complete": complete, "reached": reached, "reached_on": reached_on}
        if stage.due and stage.due.repeats:
            mine = records.submissions[records.submissions["stage"] == stage.id]
            reports = report_schedule(reached_dates.get(stage.due.after), mine, as_of, stage.due.months)
            row.update(_report_due(reports, as_of))
        else:
            anchor = reached_dates.get(stage.due.after) if stage.due else None
            due_on = add_months(anchor, stage.due.months) if stage.due and anchor else None
            row.update(due_on=due_on, overdue=bool(due_on and not complete and as_of > due_on),
                       late=bool(due_on and complete and completed_on > due_on),
                       days_left=(due_on - as_of).days if due_on and not complete else None)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["days_left"] = frame["days_left"].astype("Int64")
    return frame, reports


def _report_due(reports: pd.DataFrame, as_of: date) -> dict[str, object]:
    pending = reports[reports["status"].isin(["overdue", "due"])]
    due_on = as_date(pending["due_on"].iloc[0]) if len(pending) else None
    return {"due_on": due_on, "overdue": bool((reports["status"] == "overdue").any()),
            "late": bool((reports["status"] == "late").any()),
            "days_left": (due_on - as_of).days if due_on else None}


def _on_or_before(frame: pd.DataFrame, column: str, as_of: date) -> pd.DataFrame:
    """Rows dated on or before ``as_of`` (rows without a date are dropped)."""
    if frame.empty:
        return frame.copy()
    dates = frame[column].map(as_date)
    keep = dates.map(lambda d: d is not None and d <= as_of).astype(bool)
    return frame[keep].copy()
