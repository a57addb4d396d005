"""The certification rules on hand-built records, with expectations worked out by hand.

Every project here follows Just Communities 1.0 (see indicators/certification/standard.toml), whose mandatory
requirements are: Registration 2, Commitment 3, Formation 6, Roadmap 5, Certified 0 (automatic),
Performance 3.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from indicators.certification.rules import (
    ProjectRecords,
    annual_reports,
    checklist,
    evaluate,
    report_schedule,
    requirements_frame,
    stage_table,
)
from indicators.certification.standard import STANDARD_FILE, get_standard, load_standards
from indicators.certification.tracker import (
    credential_status,
    expected_value,
    practitioner_status,
    share_on_track,
    target_status,
    target_tracker,
)
from indicators.dates import add_months

JC = get_standard("Just Communities 1.0")
REQUIREMENTS = requirements_frame(JC)
MANDATORY = {s.id: [r.id for r in s.mandatory] for s in JC.stages}

REGISTERED = date(2020, 3, 15)
COMMITMENT_ENDORSED = date(2020, 11, 20)
FORMATION_ENDORSED = date(2022, 5, 10)
ROADMAP_ENDORSED = date(2022, 9, 1)


def statuses(*items: tuple[str, str], on: datetime = datetime(2020, 1, 1)) -> pd.DataFrame:
    return pd.DataFrame([{"requirement_id": r, "status": s, "recorded_at": on} for r, s in items],
                        columns=["requirement_id", "status", "recorded_at"])


def all_met(*stages: str) -> list[tuple[str, str]]:
    return [(r, "met") for stage in stages for r in MANDATORY[stage]]


def records(status: pd.DataFrame, submissions: list[tuple[int, str, date]],
            reviews: list[tuple[int, str, date]]) -> ProjectRecords:
    return ProjectRecords(
        REGISTERED, REQUIREMENTS, status,
        pd.DataFrame(submissions, columns=["submission_id", "stage", "submitted_on"]),
        pd.DataFrame(reviews, columns=["submission_id", "outcome", "reviewed_on"]))


def certified_project(reports: list[date] = ()) -> ProjectRecords:
    """Registered 2020-03-15, Commitment endorsed 2020-11-20, Formation 2022-05-10, Roadmap
    2022-09-01 (so certified on 2022-09-01), plus annual reports submitted on ``reports``."""
    subs = [(1, "registration", date(2020, 3, 20)), (2, "commitment", date(2020, 10, 1)),
            (3, "formation", date(2022, 4, 1)), (4, "roadmap", date(2022, 8, 1))]
    revs = [(1, "endorsed", date(2020, 4, 1)), (2, "endorsed", COMMITMENT_ENDORSED),
            (3, "endorsed", FORMATION_ENDORSED), (4, "endorsed", ROADMAP_ENDORSED)]
    subs += [(10 + i, "performance", d) for i, d in enumerate(reports)]
    return records(statuses(*all_met("registration", "commitment", "formation", "roadmap")), subs, revs)


# --------------------------------------------------------------------------------------------
# Calendar and due dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, months, expected", [
    (date(2020, 3, 15), 12, date(2021, 3, 15)),
    (date(2020, 11, 20), 24, date(2022, 11, 20)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),   # leap year: the 31st falls back to the 29th
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # an anniversary of 29 February
    (date(2020, 12, 15), 1, date(2021, 1, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_commitment_is_due_twelve_months_after_registration():
    table = stage_table(JC, records(statuses(), [], []), date(2020, 6, 1)).set_index("stage")
    assert table.loc["commitment", "due_on"] == date(2021, 3, 15)
    assert table.loc["commitment", "days_left"] == (date(2021, 3, 15) - date(2020, 6, 1)).days
    assert table.loc["formation", "due_on"] is None  # no Commitment endorsed yet: no anchor


def test_formation_and_roadmap_are_due_24_months_after_the_commitment_endorsement():
    project = records(statuses(*all_met("registration", "commitment")),
                      [(1, "registration", date(2020, 3, 20)), (2, "commitment", date(2020, 10, 1))],
                      [(1, "endorsed", date(2020, 4, 1)), (2, "endorsed", COMMITMENT_ENDORSED)])
    table = stage_table(JC, project, date(2021, 1, 1)).set_index("stage")
    assert table.loc["formation", "due_on"] == date(2022, 11, 20)
    assert table.loc["roadmap", "due_on"] == date(2022, 11, 20)
    assert table.loc["commitment", "complete"] and not table.loc["commitment", "late"]


@pytest.mark.parametrize("as_of, overdue, days_left", [
    (date(2021, 3, 14), False, 1),
    (date(2021, 3, 15), False, 0),   # the due day itself is not overdue
    (date(2021, 3, 16), True, -1),   # the day after is
])
def test_overdue_flag_at_the_boundary(as_of, overdue, days_left):
    project = records(statuses(*all_met("registration")), [(1, "registration", date(2020, 3, 20))],
                      [(1, "endorsed", date(2020, 4, 1))])
    status = evaluate(JC, project, as_of)
    assert status.overdue is overdue
    assert status.overdue_stages == (("commitment",) if overdue else ())
    assert status.next_deadline == date(2021, 3, 15) and status.days_left == days_left
    assert status.label == ("overdue" if overdue else "on schedule")


@pytest.mark.parametrize("endorsed, late", [(date(2022, 11, 20), False), (date(2022, 11, 21), True)])
def test_a_stage_endorsed_after_its_due_date_is_late_not_overdue(endorsed, late):
    project = certified_project()
    reviews = project.reviews.copy()
    reviews.loc[reviews["submission_id"] == 3, "reviewed_on"] = endorsed
    project = ProjectRecords(REGISTERED, REQUIREMENTS, project.statuses, project.submissions, reviews)
    table = stage_table(JC, project, date(2023, 1, 1)).set_index("stage")
    assert bool(table.loc["formation", "late"]) is late
    assert not table.loc["formation", "overdue"]


# --------------------------------------------------------------------------------------------
# Stages and progress
# --------------------------------------------------------------------------------------------


def test_certified_when_formation_and_roadmap_are_both_endorsed():
    status = evaluate(JC, certified_project(), date(2022, 10, 1))
    assert status.current_stage == "certified"
    assert status.certified_on == ROADMAP_ENDORSED  # the later of the two endorsements
    assert status.working_stages == ("performance",)
    assert status.label == "certified"


def test_a_stage_cannot_be_skipped():
    # Roadmap endorsed with its requirements met, Formation not: the project is still at Commitment.
    project = records(statuses(*all_met("registration", "commitment", "roadmap")),
                      [(1, "registration", date(2020, 3, 20)), (2, "commitment", date(2020, 10, 1)),
                       (4, "roadmap", date(2021, 8, 1))],
                      [(1, "endorsed", date(2020, 4, 1)), (2, "endorsed", COMMITMENT_ENDORSED),
                       (4, "endorsed", date(2021, 9, 1))])
    table = stage_table(JC, project, date(2021, 10, 1)).set_index("stage")
    assert table.loc["roadmap", "complete"] and not table.loc["roadmap", "reached"]
    status = evaluate(JC, project, date(2021, 10, 1))
    assert status.current_stage == "commitment"
    assert status.working_stages == ("formation", "roadmap")


def test_an_endorsement_without_every_mandatory_requirement_met_does_not_complete_a_stage():
    project = records(statuses(("reg-agreement", "met"), ("reg-profile", "in progress")),
                      [(1, "registration", date(2020, 3, 20))], [(1, "endorsed", date(2020, 4, 1))])
    assert evaluate(JC, project, date(2020, 5, 1)).current_stage is None


def test_progress_worked_example():
    # Registration 2/2 and Commitment 3/3 met (both endorsed); Formation 4 of 6; Roadmap 2 of 5
    # with one mandatory item not applicable (so 2 of 4); optional and Performance items do not
    # count. Working on Formation and Roadmap together, so the scope is Registration to Roadmap:
    # (2 + 3 + 4 + 2) / (2 + 3 + 6 + 4) = 11 / 15.
    items = all_met("registration", "commitment") + [(r, "met") for r in MANDATORY["formation"][:4]]
    items += [(MANDATORY["roadmap"][0], "met"), (MANDATORY["roadmap"][1], "met"),
              (MANDATORY["roadmap"][2], "not applicable"), (MANDATORY["roadmap"][3], "in progress"),
              ("form-partner-mous", "met"), ("perf-report", "met")]
    project = records(statuses(*items),
                      [(1, "registration", date(2020, 3, 20)), (2, "commitment", date(2020, 10, 1))],
                      [(1, "endorsed", date(2020, 4, 1)), (2, "endorsed", COMMITMENT_ENDORSED)])
    status = evaluate(JC, project, date(2021, 6, 1))
    assert status.progress == pytest.approx(11 / 15)


def test_progress_includes_the_stage_being_worked_on():
    # Registered and endorsed, one of three Commitment items met: (2 + 1) / (2 + 3).
    project = records(statuses(*all_met("registration"), (MANDATORY["commitment"][0], "met")),
                      [(1, "registration", date(2020, 3, 20))], [(1, "endorsed", date(2020, 4, 1))])
    assert evaluate(JC, project, date(2020, 6, 1)).progress == pytest.approx(3 / 5)


def test_status_history_latest_row_wins_and_later_rows_are_ignored():
    history = pd.DataFrame([
        {"requirement_id": "reg-agreement", "status": "in progress", "recorded_at": datetime(2020, 3, 1)},
        {"requirement_id": "reg-agreement", "status": "met", "recorded_at": datetime(2020, 3, 10)},
        {"requirement_id": "reg-profile", "status": "met", "recorded_at": datetime(2020, 6, 2, 9)},
    ])
    on = checklist(REQUIREMENTS, history, date(2020, 6, 1)).set_index("requirement_id")["status"]
    assert on["reg-agreement"] == "met"
    assert on["reg-profile"] == "not started"  # recorded the day after as_of
    assert checklist(REQUIREMENTS, history, date(2020, 6, 2)).set_index("requirement_id").loc[
        "reg-profile", "status"] == "met"


# --------------------------------------------------------------------------------------------
# Annual reports
# --------------------------------------------------------------------------------------------


def test_annual_reports_fall_due_on_each_certification_anniversary():
    schedule = report_schedule(date(2022, 9, 1), pd.DataFrame(
        {"submitted_on": [date(2023, 8, 20), date(2024, 10, 15)]}), date(2025, 1, 1))
    assert list(schedule["due_on"]) == [date(2023, 9, 1), date(2024, 9, 1), date(2025, 9, 1)]
    assert list(schedule["status"]) == ["on time", "late", "due"]


def test_two_reports_in_one_year_count_once():
    schedule = report_schedule(date(2022, 9, 1), pd.DataFrame(
        {"submitted_on": [date(2023, 3, 1), date(2023, 8, 1)]}), date(2024, 9, 2))
    assert list(schedule["status"]) == ["on time", "overdue", "due"]


@pytest.mark.parametrize("as_of, lapsed", [(date(2024, 9, 1), False), (date(2024, 9, 2), True)])
def test_a_missed_annual_report_makes_the_project_lapsed(as_of, lapsed):
    status = evaluate(JC, certified_project([date(2023, 8, 25)]), as_of)
    assert status.lapsed is lapsed
    assert status.next_deadline == date(2024, 9, 1)
    assert status.label == ("lapsed" if lapsed else "certified")
    assert ("performance" in status.overdue_stages) is lapsed


def test_a_late_report_ends_the_lapse():
    project = certified_project([date(2023, 8, 25), date(2024, 10, 15)])
    assert evaluate(JC, project, date(2024, 10, 14)).lapsed
    status = evaluate(JC, project, date(2024, 10, 15))
    assert not status.lapsed and status.next_deadline == date(2025, 9, 1)
    assert list(annual_reports(JC, project, date(2024, 10, 15))["status"]) == ["on time", "late", "due"]


# --------------------------------------------------------------------------------------------
# Target tracker
# --------------------------------------------------------------------------------------------

CANOPY = (20.0, 2020, 30.0, 2030, "increase")  # tree canopy %, higher is better
PM25 = (10.0, 2020, 8.0, 2030, "decrease")     # PM2.5 µg/m³, higher is worse


@pytest.mark.parametrize("target, value, when, expected", [
    (CANOPY, 25.0, date(2025, 1, 1), "on track"),          # exactly on the line
    (CANOPY, 24.99, date(2025, 1, 1), "needs attention"),
    (CANOPY, 26.0, date(2025, 1, 1), "on track"),
    (CANOPY, 30.0, date(2025, 1, 1), "achieved"),          # reached the target early
    (CANOPY, 29.9, date(2031, 1, 1), "needs attention"),   # past the target year the line is the target
    (CANOPY, 20.0, date(2019, 6, 1), "on track"),          # before the baseline the line is the baseline
    (PM25, 9.0, date(2025, 1, 1), "on track"),             # exactly on the line, going down
    (PM25, 9.01, date(2025, 1, 1), "needs attention"),
    (PM25, 8.5, date(2025, 1, 1), "on track"),
    (PM25, 8.0, date(2025, 1, 1), "achieved"),
    (PM25, 7.5, date(2028, 1, 1), "achieved"),
    (PM25, 10.5, date(2021, 1, 1), "needs attention"),     # got worse
    (PM25, None, None, "no data yet"),
])
def test_target_status(target, value, when, expected):
    assert target_status(*target[:4], target[4], value, when) == expected


def test_the_line_at_a_mid_year_date():
    # 2 July 2025 is day 183 of 365: 2025 + 182/365; canopy 20 + 10 * (5 + 182/365) / 10.
    assert expected_value(20.0, 2020, 30.0, 2030, date(2025, 7, 2)) == pytest.approx(25 + 182 / 365)


def test_target_status_rejects_a_target_on_the_wrong_side_of_the_baseline():
    with pytest.raises(ValueError, match="decrease"):
        target_status(10.0, 2020, 12.0, 2030, "decrease", 11.0, date(2025, 1, 1))
    with pytest.raises(ValueError, match="target year"):
        expected_value(10.0, 2020, 12.0, 2020, date(2025, 1, 1))


def targets_and_observations() -> tuple[pd.DataFrame, pd.DataFrame]:
    targets = pd.DataFrame([
        (1, "p1", "Environment", *CANOPY), (2, "p1", "Environment", *PM25),
        (3, "p1", "Environment", 3.0, 2020, 1.0, 2030, "decrease"),   # heat: achieved
        (4, "p1", "Belonging", 50.0, 2020, 40.0, 2030, "decrease"),   # rent burden: no data
        (5, "p2", "Opportunity", 10.0, 2020, 6.0, 2030, "decrease"),  # unemployment: achieved
    ], columns=["target_id", "project_id", "commitment", "baseline", "baseline_year", "target",
                "target_year", "direction"])
    observations = pd.DataFrame([
        (1, 1, date(2023, 1, 1), 21.0), (2, 1, date(2025, 1, 1), 25.0),  # latest: on the line
        (3, 1, date(2026, 1, 1), 10.0),                                   # after as_of: ignored
        (4, 2, date(2025, 1, 1), 9.5), (5, 3, date(2024, 1, 1), 0.9), (6, 5, date(2024, 1, 1), 5.0),
    ], columns=["observation_id", "target_id", "observed_on", "value"])
    return targets, observations


def test_target_tracker_uses_the_latest_observation_up_to_as_of():
    tracker = target_tracker(*targets_and_observations(), date(2025, 6, 1)).set_index("target_id")
    assert tracker.loc[1, "latest_value"] == 25.0 and tracker.loc[1, "latest_on"] == date(2025, 1, 1)
    assert tracker.loc[1, "observations"] == 2
    assert tracker.loc[1, "expected"] == pytest.approx(25.0)
    assert list(tracker["status"]) == ["on track", "needs attention", "achieved", "no data yet", "achieved"]


def test_share_on_track_per_commitment_and_per_project():
    tracker = target_tracker(*targets_and_observations(), date(2025, 6, 1))
    by_commitment = share_on_track(tracker).set_index("commitment")
    # Environment: canopy on track, PM2.5 needs attention, heat achieved -> 2 of 3.
    assert by_commitment.loc["Environment", "share_on_track"] == pytest.approx(2 / 3)
    environment = by_commitment.loc["Environment", ["targets", "with_data", "on_track", "achieved"]]
    assert environment.tolist() == [3, 3, 2, 1]
    # Belonging has a target but no data: no share rather than a misleading 0 %.
    assert math.isnan(by_commitment.loc["Belonging", "share_on_track"])
    assert by_commitment.loc["Belonging", "no_data"] == 1
    assert by_commitment.loc["Opportunity", "share_on_track"] == 1.0
    by_project = share_on_track(tracker, by="project_id").set_index("project_id")
    assert by_project.loc["p1", "share_on_track"] == pytest.approx(2 / 3)  # 2 of the 3 with data
    overall = share_on_track(tracker, by=None)
    assert overall.loc[0, "share_on_track"] == pytest.approx(3 / 4)


# --------------------------------------------------------------------------------------------
# Accredited Practitioners
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of, expected", [
    (date(2025, 12, 30), "active"),     # 91 days left
    (date(2025, 12, 31), "expiring"),   # 90 days left
    (date(2026, 3, 31), "expiring"),    # the expiry date itself
    (date(2026, 4, 1), "expired"),
])
def test_credential_status(as_of, expected):
    assert credential_status(date(2026, 3, 31), as_of) == expected


def test_practitioner_status_two_year_credential_and_ce_hours():
    people = pd.DataFrame({"name": ["A", "B", "C"],
                           "credentialed_on": [date(2024, 3, 31), date(2025, 1, 1), date(2023, 1, 1)],
                           "ce_hours": [12.0, 30.0, 35.0]})
    out = practitioner_status(people, date(2026, 1, 15)).set_index("name")
    assert out.loc["A", "expires_on"] == date(2026, 3, 31)  # two years after the credential
    assert out.loc["A", "status"] == "expiring" and out.loc["A", "days_left"] == 75
    assert out.loc["B", "status"] == "active" and out.loc["C", "status"] == "expired"
    assert out["ce_hours_needed"].tolist() == [18.0, 0.0, 0.0]
    assert out["renewable"].tolist() == [False, True, True]


# --------------------------------------------------------------------------------------------
# The standard file
# --------------------------------------------------------------------------------------------


def test_both_standards_load_with_stages_in_order():
    standards = load_standards()
    assert list(standards) == ["Just Communities 1.0", "EcoDistricts Protocol v1.3"]
    for standard in standards.values():
        assert standard.stage_ids == ("registration", "commitment", "formation", "roadmap",
                                      "certified", "performance")
        assert standard.stage("commitment").due.months == 12
        assert standard.stage("formation").due.after == "commitment"
        assert standard.stage("roadmap").due.months == 24 and standard.stage("roadmap").concurrent
        assert standard.stage("performance").due.repeats
    assert [len(s.mandatory) for s in JC.stages] == [2, 3, 6, 5, 0, 3]


@pytest.mark.parametrize("old, new, message", [
    ('due = { after = "registration", months = 12 }', 'due = { after = "roadmap", months = 12 }',
     "due.after must name an earlier stage"),
    ('id = "reg-profile"', 'id = "reg-agreement"', "repeated: reg-agreement"),
    ("mandatory = true", 'mandatory = "yes"', "mandatory must be true or false"),
    ('id = "formation"', 'id = "Formation!"', "ids are lower-case"),
    ("months = 24", "months = -24", "positive whole number"),
    ('default = "Just Communities 1.0"', 'default = "Just Communities 9"', "default"),
])
def test_a_broken_standard_file_is_refused_with_a_clear_message(tmp_path: Path, old, new, message):
    text = STANDARD_FILE.read_text()
    assert old in text
    path = tmp_path / "standard.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ValueError, match=message):
        load_standards(path)
