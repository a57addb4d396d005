"""Certification portfolio (funders): where every project stands, which are behind and on what,
targets on track, on a map, as a funnel and in a filterable table with a CSV export."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from indicators.certification import records
from indicators.metrics.framework import COMMITMENT_NAMES
from indicators.present import map_layers, map_text, portfolio, progress_charts, project, queries, tables
from indicators.present.formatting import escape_markdown
from indicators.present.map_layers import Legend
from ui import frame
from ui.data import base_map, load, records_db
from ui.widgets import legend, status_date


def main() -> None:
    """Headline figures, who is behind, the map, the funnel and the table."""
    names = load(queries.district_names)
    st.title("Certification portfolio")
    db = records_db()
    as_of = status_date(db)
    projects = records.portfolio(as_of, db)
    if projects.empty:
        st.info(f"No Just Communities projects are recorded for {escape_markdown(load(queries.place))} "
                "yet.")
        return
    projects = portfolio.with_districts(projects, names)
    periods = load(queries.periods)
    if len(periods) > 1:
        projects["area_since"] = portfolio.area_since_registered(
            projects, load(queries.all_changes, "district"), periods)
    steps = portfolio.pathway()
    for column, (label, value) in zip(st.columns(4), portfolio.headline(projects).items(), strict=True):
        column.metric(label, value)
    st.subheader("Which projects are behind, and on what?")
    late = portfolio.behind(projects)
    if late:
        st.markdown("\n".join(late))
    else:
        st.success("Every project is on schedule.")
    left, right = st.columns([3, 2])
    with left:
        data = load(queries.map_data)
        points = portfolio.project_points(projects, data.district_centres, steps)
        outlines = project.boundaries_frame(records.project_boundaries(db),
                                            dict(zip(projects["project_id"], projects["name"],
                                                     strict=True)))
        st_folium(base_map(), key="portfolio_map", height=380, use_container_width=True,
                  feature_group_to_add=[map_layers.districts_layer(data.districts, None,
                                                                   fit_to=data.bounds),
                                        map_layers.boundaries_layer(outlines),
                                        map_layers.project_markers(points)],
                  returned_objects=[])
        legend(Legend(map_layers.titled("Stage (a red ring: behind schedule)", "stages"),
                      (*((s.title, s.colour) for s in steps),
                       *((("a project's own boundary", "#c2a5cf"),) if len(outlines) else ()))))
        st.caption(escape_markdown(map_text.projects_summary(points, [s.title for s in steps],
                                                             load(queries.place)))
                   + " " + map_text.table_link())
    with right:
        st.plotly_chart(progress_charts.stage_funnel([s.title for s in steps[1:]],
                                                     portfolio.funnel(projects, steps)[1:],
                                                     [s.colour for s in steps[1:]]), width="stretch")
        st.caption(escape_markdown(progress_charts.funnel_summary(
            [s.title for s in steps[1:]], portfolio.funnel(projects, steps)[1:])))

    st.subheader("Every project", anchor=map_text.MAP_TABLE_ANCHOR)
    a, b, c = st.columns(3)
    titles = {s.stage: s.title for s in steps}
    stages = a.multiselect("Stage", list(titles), format_func=titles.get, key="stage",
                           bind="query-params")
    cities = b.multiselect("City", sorted(projects["city"].unique()), key="city", bind="query-params")
    commitments = c.multiselect("Has targets for", list(COMMITMENT_NAMES), key="commitment",
                                bind="query-params")
    shown = portfolio.select(projects, stages, cities, commitments, records.project_commitments(db))
    st.dataframe(portfolio.table(shown, as_of), hide_index=True, width="stretch", column_config={
        "Progress": st.column_config.ProgressColumn("Progress", format="percent", min_value=0,
                                                    max_value=1),
        "Targets on track": st.column_config.ProgressColumn("Targets on track", format="percent",
                                                            min_value=0, max_value=1),
        "Next deadline": st.column_config.DateColumn("Next deadline", format="D MMM YYYY"),
        "Open": st.column_config.LinkColumn("Open", display_text="Project page"),
    })
    st.caption(portfolio.caption(as_of, len(periods) > 1))
    st.download_button("Download this table (CSV)", tables.csv_text(shown),
                       file_name=f"portfolio-{as_of}.csv", mime="text/csv")


frame.frame_guard()
with frame.page_boundary("the portfolio page"):
    main()
