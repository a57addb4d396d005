"""The certification portfolio as funders read it (no Streamlit): the stages projects are
counted along, who is behind and on what, where projects sit on the map, and the table.

Every rule comes from the standard (:mod:`indicators.certification.standard`): projects are
placed on the pathway by their current stage's *id*, which every published version shares
(Registration, Commitment, Formation, Roadmap, Certified, Performance), so a legacy EcoDistricts
project is counted at the same step as a Just Communities one, whatever its stage is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from indicators.certification.records import NOT_YET_REGISTERED
from indicators.certification.standard import Standard, default_version, get_standard
from indicators.metrics.registry import BY_ID
from indicators.periods import baseline_period
from indicators.present.formatting import escape_markdown
from indicators.present.language import long_date

#: Colours along the certification path, light to dark (viridis steps, colour-blind safe);
#: the first is for projects that have not completed Registration yet.
PATHWAY_COLOURS = ("#d9d9d9", "#c2df23", "#52c569", "#1f9e89", "#26828e", "#3e4989", "#440154")
#: Projects placed at the same district's centre are spread this far apart (degrees of longitude).
MARKER_SPREAD = 0.012


@dataclass(frozen=True)
class Step:
    """One step of the pathway: a stage id ("" for not yet registered), title and colour."""

    stage: str
    title: str
    colour: str


def pathway(standard: Standard | None = None) -> list[Step]:
    """The steps a portfolio is counted along: projects still registering, then every stage of
    ``standard`` (default: the version new projects register under).

    Examples
    --------
    >>> [s.title for s in pathway()][:3]
    ['Registering', 'Registration', 'Commitment to the Pillars']
    """
    standard = standard or get_standard(default_version())
    ids = ("", *standard.stage_ids)
    titles = (NOT_YET_REGISTERED, *(s.title for s in standard.stages))
    colours = PATHWAY_COLOURS + PATHWAY_COLOURS[-1:] * max(0, len(ids) - len(PATHWAY_COLOURS))
    return [Step(i, t, c) for i, t, c in zip(ids, titles, colours, strict=False)]


def with_districts(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The portfolio with each project's ``district`` name (its id where the district is not
    one of the region's)."""
    return frame.assign(district=frame["district_id"].map(names).fillna(frame["district_id"]))


def step_of(frame: pd.DataFrame, steps: list[Step]) -> pd.Series:
    """Each project's position on the pathway (0: registering; -1: a stage the pathway does not
    know), from its ``stage`` id."""
    position = {s.stage: n for n, s in enumerate(steps)}
    return frame["stage"].map(lambda s: position.get(s, -1)).astype(int)


def funnel(frame: pd.DataFrame, steps: list[Step]) -> list[int]:
    """How many projects have reached each step of the pathway (or gone beyond it), the first
    step (registering) counting every project.

    Examples
    --------
    >>> frame = pd.DataFrame({"stage": ["", "registration", "formation"]})
    >>> funnel(frame, pathway())
    [3, 2, 1, 1, 0, 0, 0]
    """
    reached = step_of(frame, steps)
    return [int((reached >= n).sum()) for n in range(len(steps))]


def colours(frame: pd.DataFrame, steps: list[Step]) -> pd.Series:
    """Each project's colour on the map: its step's."""
    return step_of(frame, steps).map(lambda n: steps[n].colour if n >= 0 else "#777777")


def behind(frame: pd.DataFrame) -> list[str]:
    """The answer to "which projects are behind, and on what?", one Markdown line a project,
    the latest first, names escaped (:func:`~indicators.present.formatting.escape_markdown`).
    ``frame`` is :func:`indicators.certification.records.portfolio` with the ``district`` name
    added."""
    late = frame[frame["overdue"] | frame["lapsed"]].sort_values("days_left")
    lines = []
    for row in late.itertuples():
        what = "its annual progress report" if row.lapsed else escape_markdown(row.overdue_stages)
        days = f"{-int(row.days_left)} days late" if pd.notna(row.days_left) and row.days_left < 0 \
            else "late"
        due = f"{pd.Timestamp(row.next_deadline):%d %b %Y}" if pd.notna(row.next_deadline) else "earlier"
        lines.append(f"- **{escape_markdown(row.name)}** ({escape_markdown(row.district)}): {what} "
                     f"was due {due}, {days}"
                     + (" (certification lapsed)" if row.lapsed else ""))
    return lines


def project_points(frame: pd.DataFrame, centres: dict[str, tuple[float, float]],
                   steps: list[Step]) -> pd.DataFrame:
    """The projects that have a district on the map, at its centre (several in one district
    side by side), with their ``colour`` and whether they are ``behind``."""
    placed = frame[frame["district_id"].isin(centres)].copy()
    placed["lat"] = [centres[d][1] for d in placed["district_id"]]
    placed["lon"] = [centres[d][0] for d in placed["district_id"]]
    placed["lon"] += placed.groupby("district_id").cumcount() * MARKER_SPREAD
    placed["behind"] = placed["overdue"] | placed["lapsed"]
    placed["colour"] = colours(placed, steps)
    return placed


def select(frame: pd.DataFrame, stages: list[str], cities: list[str],
           with_targets_for: list[str], commitments: pd.DataFrame) -> pd.DataFrame:
    """The projects at any of ``stages`` (ids; "" registering), in any of ``cities``, with
    targets for any of ``with_targets_for`` (Commitments; ``commitments`` is
    :func:`indicators.certification.records.project_commitments`); an empty list keeps all."""
    shown = frame
    if stages:
        shown = shown[shown["stage"].isin(stages)]
    if cities:
        shown = shown[shown["city"].isin(cities)]
    if with_targets_for:
        having = commitments.loc[commitments["commitment"].isin(with_targets_for), "project_id"]
        shown = shown[shown["project_id"].isin(having)]
    return shown


def table(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The portfolio table as funders read it; each project links to its page on ``as_of``
    (the project chooser is bound to the URL by the project's name)."""
    return pd.DataFrame({
        "Project": frame["name"], "District": frame["district"], "Stage": frame["stage_title"],
        "Progress": frame["progress_pct"] / 100.0, "Status": frame["status"],
        "Next deadline": pd.to_datetime(frame["next_deadline"]), "For": frame["next_deadline_for"],
        "Days left": frame["days_left"], "Targets on track": frame["share_on_track"],
        **({"Area since registering": frame["area_since"]} if "area_since" in frame else {}),
        "Open": [f"/project?{urlencode({'project': n, 'as_of': as_of.isoformat()})}"
                 for n in frame["name"]],
    })


def area_since_registered(frame: pd.DataFrame, changes: pd.DataFrame,
                          periods: tuple[str, ...]) -> pd.Series:
    """For each project, how its district changed from the last period before it registered
    to the latest: the real (significant) changes that are improvements, those that are not
    (dollar values after inflation), and the real shifts in who lives there (the race and
    ethnicity shares, which have no better or worse: gentrification shows as "better" poverty
    and income while residents are displaced); e.g. ``"3 better, 1 worse; 2 shifts in who lives
    there (2014-2018 to 2019-2023)"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The portfolio (``district_id``, ``registered_on``).
    changes : pandas.DataFrame
        Every district change (:func:`indicators.present.queries.all_changes`).
    """
    latest = periods[-1]
    out = []
    for row in frame.itertuples():
        start = baseline_period(periods, pd.Timestamp(row.registered_on).year)
        if len(periods) < 2 or start == latest:
            out.append("no later survey yet")
            continue
        mine = changes[(changes["geo_id"] == row.district_id) & (changes["period_from"] == start)
                       & (changes["period_to"] == latest)]
        better = worse = shifts = 0
        for c in mine.itertuples():
            direction = BY_ID[c.indicator_id].direction
            dollars = pd.notna(c.factor)
            real = c.significant_real if dollars else c.significant
            if pd.isna(real) or not bool(real):
                continue
            rise = (c.change_real if dollars else c.change) > 0
            if direction == "neutral":
                shifts += 1
            elif rise == (direction == "higher_better"):
                better += 1
            else:
                worse += 1
        who = f"; {shifts} shift{'s' if shifts != 1 else ''} in who lives there" if shifts else ""
        out.append(f"{better} better, {worse} worse{who} ({start} to {latest})")
    return pd.Series(out, index=frame.index)


def caption(as_of: date, several_periods: bool) -> str:
    """How the table's figures are worked out, under the table (the area column only where the
    region has more than one survey period)."""
    text = (f"Status as of {long_date(as_of, 'en')}. Progress: mandatory requirements met, of those "
            "due up to the stage being worked on. Targets on track: achieved or at least on the "
            "straight line from baseline to target, of targets with data.")
    if several_periods:
        text += (" Area since registering: the district's indicators that changed beyond their "
                 "margin of error (dollars after inflation) from the last survey period before the "
                 "project registered to the latest, better or worse on each indicator's own terms, "
                 "and shifts in who lives there (race and ethnicity shares): better numbers with "
                 "such shifts can mean residents were displaced, not helped. Not proof of the "
                 "project's effect.")
    return text


def headline(frame: pd.DataFrame) -> dict[str, str]:
    """The four figures a funder asks first: projects, certified, behind schedule, targets on
    track (of targets with data)."""
    with_data = int(frame["targets_with_data"].sum())
    on_track = int(frame["targets_on_track"].sum())
    return {
        "Projects": str(len(frame)),
        "Certified": str(int(frame["certified_on"].notna().sum())),
        "Behind schedule": str(int((frame["overdue"] | frame["lapsed"]).sum())),
        "Targets on track": f"{on_track} of {with_data}" if with_data else "no data yet",
    }
