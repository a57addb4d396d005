"""Certification portfolio (funders): where every project stands, which are behind and on what,
targets on track, on a map, as a funnel and in a filterable table with a CSV export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from indicators import charts, maps, records
from indicators.framework import COMMITMENT_NAMES
from pages import common

STAGE_ORDER = ["Registration", "Commitment to the Pillars", "Formation", "Roadmap", "Certified",
               "Performance"]


def behind_list(frame: pd.DataFrame, as_of: date) -> None:
    """The answer to "which projects are behind, and on what?", in sentences."""
    behind = frame[frame["overdue"] | frame["lapsed"]].sort_values("days_left")
    if behind.empty:
        st.success("Every project is on schedule.")
        return
    lines = []
    for row in behind.itertuples():
        what = "its annual progress report" if row.lapsed else row.overdue_stages
        late = f"{-int(row.days_left)} days late" if pd.notna(row.days_left) and row.days_left < 0 else "late"
        lines.append(f"- **{row.name}** ({row.district}): {what} was due "
                     f"{pd.Timestamp(row.next_deadline):%d %b %Y}, {late}"
                     + (" (certification lapsed)" if row.lapsed else ""))
    st.markdown("\n".join(lines))


def main() -> None:
    """Headline figures, who is behind, the map, the funnel and the table."""
    meta = common.meta()
    names = common.district_names()
    st.title("Certification portfolio")
    as_of = st.date_input("Status as of", value=date.today(), key="as_of", bind="query-params",
                          format="YYYY-MM-DD")
    frame = records.portfolio(as_of, common.records_db())
    if frame.empty:
        st.info(f"No Just Communities projects are recorded for {meta.get('region_name')} yet.")
        return
    frame["district"] = frame["district_id"].map(names).fillna(frame["district_id"])
    frame["stage_title"] = frame["stage_title"].replace("", "Registering")
    headline(frame)
    st.subheader("Which projects are behind, and on what?")
    behind_list(frame, as_of)
    left, right = st.columns([3, 2])
    with left:
        project_map(frame)
    with right:
        reached = [int((frame["stage_title"].map(lambda s: _rank(s)) >= i).sum())
                   for i in range(len(STAGE_ORDER))]
        st.plotly_chart(charts.stage_funnel(STAGE_ORDER, reached), width="stretch")
        st.caption("How many projects have reached each stage.")
    table(frame, as_of)


def _rank(stage_title: str) -> int:
    return STAGE_ORDER.index(stage_title) if stage_title in STAGE_ORDER else -1


def headline(frame: pd.DataFrame) -> None:
    """Projects, certified, behind schedule, targets on track."""
    a, b, c, d = st.columns(4)
    a.metric("Projects", len(frame))
    b.metric("Certified", int(frame["certified_on"].notna().sum()))
    c.metric("Behind schedule", int((frame["overdue"] | frame["lapsed"]).sum()))
    with_data = int(frame["targets_with_data"].sum())
    on_track = int(frame["targets_on_track"].sum())
    d.metric("Targets on track", f"{on_track} of {with_data}" if with_data else "no data yet")


def project_map(frame: pd.DataFrame) -> None:
    """Projects at their districts, coloured by stage, ringed red when behind."""
    layers = common.map_layers()
    centres = layers["district_centres"]
    placed = frame[frame["district_id"].isin(centres)].copy()
    placed["lat"] = [centres[d][1] for d in placed["district_id"]]
    placed["lon"] = [centres[d][0] for d in placed["district_id"]]
    placed["lon"] += placed.groupby("district_id").cumcount() * 0.012  # side by side
    placed["behind"] = placed["overdue"] | placed["lapsed"]
    groups = [maps.districts_layer(layers["districts"], None),
              maps.project_markers(placed, charts.STAGE_COLOURS)]
    st_folium(common.base_map(), key="portfolio_map", height=380,
              use_container_width=True, feature_group_to_add=groups, returned_objects=[])
    common.legend(tuple((s, charts.STAGE_COLOURS[s]) for s in ["Registering", *STAGE_ORDER]),
                  "Stage (a red ring: behind schedule)")


def table(frame: pd.DataFrame, as_of: date) -> None:
    """The filterable portfolio table with progress bars, and its CSV."""
    st.subheader("Every project")
    a, b, c = st.columns(3)
    stages = a.multiselect("Stage", ["Registering", *STAGE_ORDER], key="stage", bind="query-params")
    cities = b.multiselect("City", sorted(frame["city"].unique()), key="city", bind="query-params")
    commitments = c.multiselect("Has targets for", list(COMMITMENT_NAMES), key="commitment",
                                bind="query-params")
    shown = frame
    if stages:
        shown = shown[shown["stage_title"].isin(stages)]
    if cities:
        shown = shown[shown["city"].isin(cities)]
    if commitments:
        having = records.project_commitments(common.records_db())
        shown = shown[shown["project_id"].isin(having.loc[having["commitment"].isin(commitments),
                                                          "project_id"])]
    view = pd.DataFrame({
        "Project": shown["name"], "District": shown["district"], "Stage": shown["stage_title"],
        "Progress": shown["progress_pct"] / 100.0, "Status": shown["status"],
        "Next deadline": pd.to_datetime(shown["next_deadline"]), "For": shown["next_deadline_for"],
        "Days left": shown["days_left"], "Targets on track": shown["share_on_track"],
        "Open": "/project?project=" + shown["name"].str.replace(" ", "+"),
    })
    st.dataframe(view, hide_index=True, width="stretch", column_config={
        "Progress": st.column_config.ProgressColumn("Progress", format="percent", min_value=0,
                                                    max_value=1),
        "Targets on track": st.column_config.ProgressColumn("Targets on track", format="percent",
                                                            min_value=0, max_value=1),
        "Next deadline": st.column_config.DateColumn("Next deadline", format="D MMM YYYY"),
        "Open": st.column_config.LinkColumn("Open", display_text="Project page"),
    })
    st.caption(f"Status as of {as_of:%d %B %Y}. Progress: mandatory requirements met, of those due "
               "up to the stage being worked on. Targets on track: achieved or at least on the "
               "straight line from baseline to target, of targets with data.")
    st.download_button("Download this table (CSV)", shown.to_csv(index=False),
                       file_name=f"portfolio-{as_of}.csv", mime="text/csv")


common.frame_guard()
with common.page_boundary("the portfolio page"):
    main()
