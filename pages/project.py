"""Project (funders, PSE staff): one project's stage timeline, checklist, submissions and reviews,
target tracker and team, beside its district's indicators and how they changed since the
project registered; editing for authorised editors."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from indicators.certification import records
from indicators.present import areas, change, map_layers, map_text, progress_charts, project, queries
from indicators.present.formatting import escape_markdown
from ui import frame, own_area
from ui.data import base_map, load, records_db
from ui.editor import current_editor, sign_in_box
from ui.project_forms import change_history, editor_tools, seen_version_key
from ui.widgets import status_date


def header(detail: records.ProjectDetail, district: str) -> None:
    """Name, district, standard, and the four figures a funder asks first."""
    info = detail.project
    md = escape_markdown
    st.title(md(info["name"]))
    st.markdown(f"{md(district)} · {md(info['city'])} · follows **{md(info['standard_version'])}**"
                + (f" · led by {md(info['lead_organisation'])}" if info.get("lead_organisation") else ""))
    if info.get("description"):
        st.write(md(info["description"]))
    top = project.headline(detail)
    a, b, c, d = st.columns(4)
    a.metric("Stage reached", top.stage)
    b.metric("Progress", top.progress)
    c.metric("Next deadline", top.deadline, top.days_left)  # days past due: red, falling
    d.metric("Status", top.status)
    if top.alert_level == "error":
        st.error(top.alert)
    elif top.alert_level == "warning":
        st.warning(top.alert)


def targets(detail: records.ProjectDetail, here: pd.DataFrame) -> None:
    """The target tracker: each target's observations against its path, and the current
    indicator value of the project's area (its boundary, else its district) beside it."""
    st.subheader("Targets")
    if detail.targets.empty:
        st.info("No targets set yet: they come with the Roadmap.")
        return
    region = load(queries.values, "region").set_index("indicator_id")
    cols = st.columns(2)
    for n, (target, observations) in enumerate(project.targets_with_observations(detail)):
        with cols[n % 2]:
            st.plotly_chart(progress_charts.target_tracker(target, observations), width="stretch",
                            key=f"target_{target['target_id']}")
            st.caption(project.target_caption(target, here, region))
    st.dataframe(project.commitments_table(detail), hide_index=True, width="stretch", column_config={
        "Share on track": st.column_config.ProgressColumn(format="percent", min_value=0,
                                                          max_value=1)})


def area_values(detail: records.ProjectDetail, area: own_area.OwnArea | None) -> pd.DataFrame:
    """The latest indicator values of the project's own boundary, else of its district,
    indexed by indicator."""
    if area is not None:
        found = own_area.profile(area, load(queries.periods)[-1], None)
        if found is not None:
            return found[0].values.set_index("indicator_id")
    return load(queries.geography_values, "district", detail.project["district_id"]).set_index(
        "indicator_id")


def own_boundary(detail: records.ProjectDetail, area: own_area.OwnArea, district: str) -> None:
    """The project's own boundary on a map, with the districts around it, said in a sentence
    and, as its table, the tracts it is made of."""
    st.subheader("The project's own boundary")
    data = load(queries.map_data, None, area.extent)
    st_folium(base_map(), key="project_boundary_map", height=340, use_container_width=True,
              feature_group_to_add=[map_layers.districts_layer(data.districts,
                                                               detail.project["district_id"]),
                                    map_layers.area_layer(area.frame, area.name)],
              returned_objects=[])
    period = load(queries.periods)[-1]
    found = own_area.profile(area, period, None)
    made = (areas.share_table(found[0].shares, load(queries.units, period).set_index("geoid")["name"],
                              load(queries.unit_population, period)) if found else None)
    st.caption(escape_markdown(map_text.boundary_summary(area.name, district,
                                                         0 if made is None else len(made)))
               + f" {escape_markdown(area.name)}: the project's interim boundary, declared in its "
               "records. Its indicators below are computed for this outline (tracts counted by the "
               "share of their area inside it), not for the whole district (dashed, the project's "
               "district bold)." + (" " + map_text.table_link() if made is not None else ""))
    if made is not None:
        st.subheader("The tracts the boundary covers", anchor=map_text.MAP_TABLE_ANCHOR)
        st.dataframe(made, hide_index=True, width="stretch", height=min(38 * len(made) + 40, 320))


def since_registered(detail: records.ProjectDetail, district: str,
                     area: own_area.OwnArea | None) -> None:
    """The indicators of the project's area (its boundary, else its district) between the
    period the project started from and the latest."""
    window = project.since_registered_window(detail, load(queries.periods))
    start, latest = window.start, window.latest
    st.subheader("Since the project registered")
    if not window.comparable:
        st.info(window.no_later_period())
        return
    if area is not None:
        found = own_area.profile(area, latest, start)
        if found is None or found[1] is None:
            return
        moved, place = found[1], f"The project's boundary ({escape_markdown(area.name)})"
    else:
        moved = load(queries.geography_changes, "district", detail.project["district_id"], start,
                     latest)
        place = escape_markdown(district)
    table = project.since_registered(detail, moved, start)
    if table.empty:
        st.info(window.nothing_in_both(place))
        return
    st.write(window.intro(place))
    st.dataframe(table.drop(columns="In words"), hide_index=True, width="stretch",
                 height=min(38 * len(table) + 40, 460))
    real = table[table["Real change?"].str.startswith("yes")]
    if len(real):
        st.markdown("\n".join(f"- {w}" for w in real["In words"].head(5)))
    st.caption(change.how_compared(load(queries.changes, "district", start, latest)) + " "
               + project.NOT_PROOF)


def main() -> None:
    """Project chooser, header, timeline, checklist, reviews, targets, team, editing."""
    sign_in_box()
    db = records_db()
    as_of = status_date(db)
    portfolio = records.portfolio(as_of, db)
    if portfolio.empty:
        st.title("Project")
        st.info("No projects are recorded for this region yet.")
        return
    labels = dict(zip(portfolio["project_id"], portfolio["name"], strict=True))
    project_id = st.selectbox("Project", list(labels), format_func=labels.get, key="project",
                              bind="query-params")
    detail = records.project_detail(project_id, as_of, db)
    names = load(queries.district_names)
    district = project.district_name(detail, names)
    header(detail, district)
    st.subheader("Timeline")
    st.plotly_chart(progress_charts.project_timeline(detail.timeline, str(as_of)), width="stretch")
    st.caption(escape_markdown(progress_charts.timeline_summary(detail.timeline, str(as_of))))
    st.subheader("Checklist")
    for title, table in project.checklist_tables(detail):
        with st.expander(title):
            st.dataframe(table, hide_index=True, width="stretch",
                         column_config={"Evidence": st.column_config.LinkColumn(display_text="open")})
    st.subheader("Submissions and reviews")
    st.dataframe(project.submissions_table(detail), hide_index=True, width="stretch",
                 column_config={"Document": st.column_config.LinkColumn(display_text="open")})
    if not detail.reports.empty:
        st.markdown("**Annual progress reports**")
        st.dataframe(project.reports_table(detail), hide_index=True, width="stretch")
    boundary = project.boundary_frame(records.project_boundary(project_id, db), district)
    area = own_area.OwnArea(boundary, str(boundary["name"].iloc[0])) if boundary is not None else None
    if area is not None:
        own_boundary(detail, area, district)
    targets(detail, area_values(detail, area))
    if len(load(queries.periods)) > 1:
        since_registered(detail, district, area)
    st.subheader("Accredited Practitioners on the team")
    if detail.team.empty:
        st.caption("No practitioner assigned.")
    else:
        st.dataframe(project.team_table(detail), hide_index=True, width="stretch")
        st.caption(project.team_note())
    if district in names.values():
        st.page_link("pages/neighbourhood.py", label=f"See {escape_markdown(district)}'s indicators",
                     query_params={"district": district}, icon=":material/home_pin:")
    editor = current_editor(writing=True)
    key = seen_version_key(project_id)
    if editor:
        st.session_state.setdefault(key, detail.version)
        editor_tools(detail, editor)  # a save uses the version shown in the previous run
    st.session_state[key] = detail.version  # what this run shows
    change_history(project_id)


frame.frame_guard()
with frame.page_boundary("the project page"):
    main()
