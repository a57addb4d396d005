"""Project (funders, PSE staff): one project's stage timeline, checklist, submissions and reviews,
target tracker and team, beside its district's indicators; editing for authorised editors."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import charts, records
from indicators.formatting import format_value
from indicators.registry import BY_ID
from pages import common
from pages.editor import current_editor, sign_in_box
from pages.project_edit import change_history, editor_tools, seen_version_key

STATUS_ICONS = {"met": "✅ met", "in progress": "⏳ in progress", "not started": "○ not started",
                "not applicable": "– not applicable"}


def header(detail: records.ProjectDetail, district: str) -> None:
    """Name, district, standard, and the four figures a funder asks first."""
    project, status = detail.project, detail.status
    st.title(project["name"])
    st.markdown(f"{district} · {project['city']} · follows **{project['standard_version']}**"
                + (f" · led by {project['lead_organisation']}" if project.get("lead_organisation") else ""))
    if project.get("description"):
        st.write(project["description"])
    a, b, c, d = st.columns(4)
    stage = detail.stages.set_index("stage")["title"].get(status.current_stage, "Registering")
    a.metric("Stage reached", stage)
    b.metric("Progress", f"{status.progress:.0%}")
    c.metric("Next deadline", f"{status.next_deadline:%d %b %Y}" if status.next_deadline else "none",
             f"{status.days_left} days" if status.days_left is not None else None,
             delta_color="normal" if (status.days_left or 0) >= 0 else "inverse")
    d.metric("Status", status.label)
    if status.lapsed:
        st.error("Certification has lapsed: an annual progress report is overdue.")
    elif status.overdue_stages:
        st.warning("Behind schedule: " + ", ".join(detail.stages.set_index("stage")["title"][s]
                                                     for s in status.overdue_stages) + " overdue.")


def checklist(detail: records.ProjectDetail) -> None:
    """Each stage's requirements with their latest status and evidence."""
    st.subheader("Checklist")
    for stage_title, part in detail.checklist.groupby("stage_title", sort=False):
        met = int((part["status"] == "met").sum())
        with st.expander(f"{stage_title}: {met} of {len(part)} met"):
            st.dataframe(pd.DataFrame({
                "Requirement": part["title"], "Mandatory": part["mandatory"],
                "Status": part["status"].map(STATUS_ICONS).fillna(part["status"]),
                "Evidence": part["evidence_url"], "Note": part["note"],
                "Recorded": pd.to_datetime(part["recorded_at"]).dt.date,
            }), hide_index=True, width="stretch",
                column_config={"Evidence": st.column_config.LinkColumn(display_text="open")})


def targets(detail: records.ProjectDetail, district_id: str) -> None:
    """The target tracker: each target's observations against its path, and the district's
    current indicator value beside it."""
    st.subheader("Targets")
    if detail.targets.empty:
        st.info("No targets set yet: they come with the Roadmap.")
        return
    values = common.values("district").query("geo_id == @district_id").set_index("indicator_id")
    region = common.values("region").set_index("indicator_id")
    cols = st.columns(2)
    for n, target in enumerate(detail.targets.itertuples()):
        with cols[n % 2]:
            obs = detail.observations[detail.observations["target_id"] == target.target_id]
            st.plotly_chart(charts.target_tracker(pd.Series(target._asdict()), obs), width="stretch",
                            key=f"target_{target.target_id}")
            line = (f"Baseline {target.baseline:g} ({target.baseline_year}) → target {target.target:g} "
                    f"({target.target_year}), {target.direction}.")
            if target.indicator_id in BY_ID and target.indicator_id in values.index:
                indicator = BY_ID[target.indicator_id]
                here = format_value(indicator, values.loc[target.indicator_id, "value"])
                there = format_value(indicator, region.loc[target.indicator_id, "value"])
                line += f" Dashboard now: {here} in the district, {there} region-wide."
            st.caption(line)
    summary = detail.commitments.rename(columns={
        "commitment": "Commitment", "targets": "Targets", "with_data": "With data",
        "achieved": "Achieved", "on_track": "On track", "needs_attention": "Needs attention",
        "no_data": "No data yet", "share_on_track": "Share on track"})
    st.dataframe(summary, hide_index=True, width="stretch", column_config={
        "Share on track": st.column_config.ProgressColumn(format="percent", min_value=0,
                                                          max_value=1)})


def main() -> None:
    """Project chooser, header, timeline, checklist, reviews, targets, team, editing."""
    sign_in_box()
    portfolio = records.portfolio(date.today(), common.records_db())
    if portfolio.empty:
        st.title("Project")
        st.info("No projects are recorded for this region yet.")
        return
    ids = portfolio["project_id"].tolist()
    labels = dict(zip(ids, portfolio["name"], strict=True))
    project_id = st.selectbox("Project", ids, format_func=labels.get, key="project", bind="query-params")
    detail = records.project_detail(project_id, date.today(), common.records_db())
    names = common.district_names()
    district = names.get(detail.project["district_id"], detail.project["district_id"] or "no district")
    header(detail, district)
    st.subheader("Timeline")
    st.plotly_chart(charts.project_timeline(detail.timeline, str(date.today())), width="stretch")
    checklist(detail)
    st.subheader("Submissions and reviews")
    st.dataframe(pd.DataFrame({
        "Stage": detail.submissions["stage"].str.title(), "Submitted": detail.submissions["kind"],
        "On": detail.submissions["submitted_on"], "Review": detail.submissions["round"],
        "Outcome": detail.submissions["outcome"], "Reviewed": detail.submissions["reviewed_on"],
        "Notes": detail.submissions["notes"], "Document": detail.submissions["document_url"],
    }).astype(object).where(lambda f: f.notna(), ""), hide_index=True, width="stretch",
        column_config={"Document": st.column_config.LinkColumn(display_text="open")})
    if not detail.reports.empty:
        st.markdown("**Annual progress reports**")
        st.dataframe(pd.DataFrame({
            "Report": detail.reports["report"], "Due": detail.reports["due_on"],
            "Submitted": detail.reports["submitted_on"], "Status": detail.reports["status"],
        }), hide_index=True, width="stretch")
    targets(detail, detail.project["district_id"])
    st.subheader("Accredited Practitioners on the team")
    if detail.team.empty:
        st.caption("No practitioner assigned.")
    else:
        team = detail.team
        st.dataframe(pd.DataFrame({
            "Practitioner": team["name"], "Role": team["role"], "Organisation": team["organisation"],
            "Credential expires": team["expires_on"], "Credential": team["status"],
            "CE hours": team["ce_hours"], "Hours still needed": team["ce_hours_needed"],
        }), hide_index=True, width="stretch")
        st.caption("An Accredited Practitioner's credential lasts two years and renews with 30 "
                   "hours of continuing education.")
    if district in names.values():
        st.page_link("pages/neighbourhood.py", label=f"See {district}'s indicators",
                     query_params={"district": district}, icon=":material/home_pin:")
    editor = current_editor()
    key = seen_version_key(project_id)
    if editor:
        st.session_state.setdefault(key, detail.version)
        editor_tools(detail, editor)  # a save uses the version shown in the previous run
    st.session_state[key] = detail.version  # what this run shows
    change_history(project_id)


common.frame_guard()
with common.page_boundary("the project page"):
    main()
