"""One certification project as its page shows it (no Streamlit): the headline figures, the
checklist, submissions and reviews, annual reports, targets beside the district's indicators,
and the team. Everything is read off a :class:`~indicators.certification.records.ProjectDetail`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from indicators.certification.records import NOT_YET_REGISTERED, ProjectDetail
from indicators.certification.tracker import CE_HOURS_REQUIRED, CREDENTIAL_MONTHS
from indicators.metrics.registry import BY_ID
from indicators.periods import baseline_period
from indicators.present.change import change_sentence, verdict
from indicators.present.formatting import (
    escape_markdown,
    format_change,
    format_moe,
    format_value,
    plain_number,
)

STATUS_ICONS = {"met": "✅ met", "in progress": "⏳ in progress", "not started": "○ not started",
                "not applicable": "– not applicable"}


@dataclass(frozen=True)
class Headline:
    """The four figures a funder asks first, and the warning to show (if any)."""

    stage: str
    progress: str
    deadline: str
    days_left: str | None  #: "-638 days" once past due
    status: str
    alert: str
    alert_level: str  #: "error", "warning" or "" (none)


def district_name(detail: ProjectDetail, names: dict[str, str]) -> str:
    """The project's district as people know it (its id where it is not one of the region's)."""
    district_id = detail.project["district_id"]
    return names.get(district_id, district_id or "no district")


def headline(detail: ProjectDetail) -> Headline:
    """Stage reached, progress, next deadline (with the days left) and status."""
    status = detail.status
    titles = detail.stages.set_index("stage")["title"]
    if status.lapsed:
        alert, level = "Certification has lapsed: an annual progress report is overdue.", "error"
    elif status.overdue_stages:
        alert = "Behind schedule: " + ", ".join(titles[s] for s in status.overdue_stages) + " overdue."
        level = "warning"
    else:
        alert, level = "", ""
    return Headline(
        stage=titles.get(status.current_stage, NOT_YET_REGISTERED),
        progress=f"{status.progress:.0%}" if pd.notna(status.progress) else "nothing due yet",
        deadline=f"{status.next_deadline:%d %b %Y}" if status.next_deadline else "none",
        days_left=f"{status.days_left} days" if status.days_left is not None else None,
        status=status.label, alert=alert, alert_level=level)


def web_link(url: object) -> str | None:
    """A link a table may offer (``LinkColumn``): an ``http``/``https`` address with a host, as
    written; anything else (``javascript:``, ``data:``, a bare word, a missing value) is no link.

    Examples
    --------
    >>> web_link("https://example.org/a.pdf"), web_link("javascript:alert(1)"), web_link(None)
    ('https://example.org/a.pdf', None, None)
    """
    text = str(url).strip() if isinstance(url, str) else ""
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def checklist_tables(detail: ProjectDetail) -> list[tuple[str, pd.DataFrame]]:
    """Each stage's requirements with their latest status and evidence, titled
    ``"Formation: 4 of 7 met"``, in the standard's order."""
    out = []
    for stage_title, part in detail.checklist.groupby("stage_title", sort=False):
        met = int((part["status"] == "met").sum())
        out.append((f"{stage_title}: {met} of {len(part)} met", pd.DataFrame({
            "Requirement": part["title"], "Mandatory": part["mandatory"],
            "Status": part["status"].map(STATUS_ICONS).fillna(part["status"]),
            "Evidence": part["evidence_url"].map(web_link), "Note": part["note"],
            "Recorded": pd.to_datetime(part["recorded_at"]).dt.date,
        })))
    return out


def submissions_table(detail: ProjectDetail) -> pd.DataFrame:
    """Every submission and its reviews (blank cells where there is no review yet)."""
    subs = detail.submissions
    return pd.DataFrame({
        "Stage": subs["stage"].str.title(), "Submitted": subs["kind"], "On": subs["submitted_on"],
        "Review": subs["round"], "Outcome": subs["outcome"], "Reviewed": subs["reviewed_on"],
        "Notes": subs["notes"], "Document": subs["document_url"].map(web_link),
    }).astype(object).where(lambda f: f.notna(), "")


def reports_table(detail: ProjectDetail) -> pd.DataFrame:
    """The annual progress reports: due, submitted, status."""
    reports = detail.reports
    return pd.DataFrame({"Report": reports["report"], "Due": reports["due_on"],
                         "Submitted": reports["submitted_on"], "Status": reports["status"]})


def targets_with_observations(detail: ProjectDetail) -> list[tuple[pd.Series, pd.DataFrame]]:
    """Each target of the tracker with its own observations, in target order."""
    return [(target, detail.observations[detail.observations["target_id"] == target["target_id"]])
            for _, target in detail.targets.iterrows()]


def target_caption(target: pd.Series, district_values: pd.DataFrame,
                   region_values: pd.DataFrame) -> str:
    """One target's path in words (Markdown, the recorded direction escaped), with the
    dashboard's current value for the district and the region where the target is linked to an
    indicator.

    Parameters
    ----------
    target : pandas.Series
        A row of the target tracker.
    district_values, region_values : pandas.DataFrame
        ``indicator_values`` of the project's district and of the region, indexed by indicator.
    """
    line = (f"Baseline {plain_number(target['baseline'])} ({target['baseline_year']}) → target "
            f"{plain_number(target['target'])} ({target['target_year']}), "
            f"{escape_markdown(target['direction'])}.")
    indicator_id = target.get("indicator_id")
    if indicator_id in BY_ID and indicator_id in district_values.index:
        indicator = BY_ID[indicator_id]
        here = format_value(indicator, district_values.loc[indicator_id, "value"])
        there = format_value(indicator, region_values.loc[indicator_id, "value"])
        line += f" Dashboard now: {here} in the district, {there} region-wide."
    return line


def commitments_table(detail: ProjectDetail) -> pd.DataFrame:
    """Targets on track per Commitment."""
    return detail.commitments.rename(columns={
        "commitment": "Commitment", "targets": "Targets", "with_data": "With data",
        "achieved": "Achieved", "on_track": "On track", "needs_attention": "Needs attention",
        "no_data": "No data yet", "share_on_track": "Share on track"})


def team_note() -> str:
    """What an Accredited Practitioner's credential means, from the programme's rules."""
    years = CREDENTIAL_MONTHS // 12
    return (f"An Accredited Practitioner's credential lasts {years} years and renews with "
            f"{CE_HOURS_REQUIRED:g} hours of continuing education.")


def team_table(detail: ProjectDetail) -> pd.DataFrame:
    """The Accredited Practitioners on the team with their credential status."""
    team = detail.team
    return pd.DataFrame({
        "Practitioner": team["name"], "Role": team["role"], "Organisation": team["organisation"],
        "Credential expires": team["expires_on"], "Credential": team["status"],
        "CE hours": team["ce_hours"], "Hours still needed": team["ce_hours_needed"],
    })


# --------------------------------------------------------------------------------------------
# Since the project registered
# --------------------------------------------------------------------------------------------


def registered_year(detail: ProjectDetail) -> int:
    """The year the project registered (its baseline year for change over time)."""
    return pd.Timestamp(detail.project["registered_on"]).year


@dataclass(frozen=True)
class SinceRegistered:
    """The two periods the project's area is compared between, and the words around them."""

    year: int  #: the year the project registered
    start: str  #: the last survey period before it registered (or the first there is)
    latest: str  #: the latest survey period

    @property
    def comparable(self) -> bool:
        """Whether there is a later period than the starting one."""
        return self.start != self.latest

    def no_later_period(self) -> str:
        """What to say when the starting period is the latest."""
        return (f"The project registered in {self.year}; the latest survey period, {self.latest}, "
                "is its starting point, so there is no later period to compare with yet.")

    def nothing_in_both(self, place: str) -> str:
        """What to say when ``place`` (Markdown, escaped) has no indicator in both periods."""
        return f"{place} has no indicator in both {self.start} and {self.latest}."

    def intro(self, place: str) -> str:
        """The sentence above the table (``place`` is Markdown, escaped)."""
        return (f"{place} from {self.start} (the last survey period before the project registered "
                f"in {self.year}) to {self.latest}. Indicators the project has targets for come first.")


#: Said under every "since the project registered" table.
NOT_PROOF = ("A change in the district is not proof of the project's effect: many things change a "
             "neighbourhood.")


def since_registered_window(detail: ProjectDetail, periods: tuple[str, ...]) -> SinceRegistered:
    """The periods a project's area is compared between: the last survey period ending before
    the year it registered (:func:`indicators.periods.baseline_period`) and the latest.

    Examples
    --------
    >>> window = SinceRegistered(2019, "2014-2018", "2018-2022")
    >>> window.comparable, window.intro("NPU V")[:40]
    (True, 'NPU V from 2014-2018 (the last survey pe')
    """
    year = registered_year(detail)
    return SinceRegistered(year, baseline_period(periods, year), periods[-1])


def since_registered(detail: ProjectDetail, changes: pd.DataFrame, period_from: str) -> pd.DataFrame:
    """The district's change in each indicator since the period the project started from, its
    targets' indicators first: Indicator, Then, Now, Change, ±, Real change?, and the sentence.

    Parameters
    ----------
    changes : pandas.DataFrame
        The district's ``changes`` rows between ``period_from`` and the latest period, indexed
        by indicator id.
    """
    columns = ["Indicator", "Then", "Now", "Change", "±", "Real change?", "In words", "Target"]
    targeted = [i for i in detail.targets.get("indicator_id", pd.Series(dtype=str)).dropna()
                if i in changes.index]
    order = list(dict.fromkeys([*targeted, *[i for i in BY_ID if i in changes.index]]))
    rows = []
    for indicator_id in order:
        indicator, row = BY_ID[indicator_id], changes.loc[indicator_id]
        rows.append({
            "Indicator": indicator.label,
            "Then": format_value(indicator, row["value_from"]),
            "Now": format_value(indicator, row["value_to"]),
            "Change": format_change(indicator, row["change"]),
            "±": format_moe(indicator, row["moe"]),
            "Real change?": (verdict(row["significant_real"]) + ", after inflation"
                             if pd.notna(row.get("factor")) else verdict(row["significant"])),
            "In words": change_sentence(indicator, row, period_from),
            "Target": "yes" if indicator_id in targeted else "",
        })
    return pd.DataFrame(rows, columns=columns)


def in_target_unit(indicator_id: str, value: float, unit: str | None) -> float:
    """A dashboard value in a target's own unit: rates are stored 0-1 and targets written in
    percent ("%", "percent", "points") get them times 100; other units are taken as they are.

    Examples
    --------
    >>> in_target_unit("rent_burden", 0.4126, "%"), in_target_unit("pm25", 8.1, "µg/m³")
    (41.26, 8.1)
    """
    indicator = BY_ID[indicator_id]
    percent_unit = (unit or "").strip().lower() in ("%", "percent", "points", "percentage points",
                                                    "percentile")
    scale = 100.0 if indicator.fmt in ("percent", "points", "percentile") and percent_unit else 1.0
    return round(float(value) * scale, 4)


def dashboard_source(indicator_id: str, district: str, period: str, source: str) -> str:
    """How an observation or baseline taken from the dashboard names where it came from.

    >>> dashboard_source("rent_burden", "Westside", "2014-2018", "ACS 5-year")
    'Just Communities Dashboard: Rent burden for Westside, 2014-2018 (ACS 5-year)'
    """
    return f"Just Communities Dashboard: {BY_ID[indicator_id].label} for {district}, {period} ({source})"


# --------------------------------------------------------------------------------------------
# The project's own boundary
# --------------------------------------------------------------------------------------------


def boundary_frame(boundary: dict[str, object] | None, fallback_name: str) -> gpd.GeoDataFrame | None:
    """A project's boundary row (:mod:`indicators.certification.boundaries`) as a one-row area
    (``name``, geometry in longitude/latitude); None when it has none."""
    if not boundary:
        return None
    geometry = shape(json.loads(str(boundary["geojson"])))
    name = str(boundary.get("name") or "") or fallback_name
    return gpd.GeoDataFrame({"name": [name]}, geometry=[geometry], crs="EPSG:4326")


def boundaries_frame(current: pd.DataFrame, names: dict[str, str]) -> gpd.GeoDataFrame:
    """Every project's current boundary for the portfolio map: ``project_id``, ``name`` (the
    project's), geometry."""
    geometries = [shape(json.loads(g)) for g in current["geojson"]]
    return gpd.GeoDataFrame({"project_id": current["project_id"].to_numpy(),
                             "name": current["project_id"].map(names).fillna(current["project_id"])},
                            geometry=geometries, crs="EPSG:4326")
