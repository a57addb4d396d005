"""Compare districts (city staff): any number of districts side by side with margins of error,
a ranking of all districts, a scatter of two indicators, and exports of exactly what is shown."""

from __future__ import annotations

import streamlit as st

from indicators.present import charts, queries, tables
from ui import frame
from ui.data import load
from ui.widgets import indicator_select


def main() -> None:
    """Districts side by side, one indicator in detail, the ranking and a scatter."""
    region = load(queries.place)
    names = load(queries.district_names)
    ids = list(names)
    st.title("Compare districts")
    st.write("Put districts side by side. Values are estimates with 90% margins of error (±); "
             "the reliability says how far to trust each one.")
    chosen = st.multiselect("Districts", ids, default=ids[: min(3, len(ids))], format_func=names.get,
                            key="districts", bind="query-params")
    if not chosen:
        st.info("Pick at least one district.")
        return
    options = load(queries.available_indicators)
    district_values = load(queries.values, "district")
    region_values = load(queries.values, "region")
    long = tables.comparison_long(district_values, region_values, names, chosen, options)
    wide = tables.comparison_wide(long, region, [names[i] for i in chosen])
    st.dataframe(wide, hide_index=True, width="stretch", height=min(38 * len(wide) + 40, 640))
    left, right = st.columns(2)
    left.download_button("Download this table (CSV)", long.to_csv(index=False),
                         file_name="districts-compared.csv", mime="text/csv")
    right.download_button("Download these districts with their values (GeoJSON)",
                          tables.districts_geojson(load(queries.districts_geo), long),
                          file_name="districts-compared.geojson", mime="application/geo+json")

    st.subheader("One indicator in detail")
    indicator = indicator_select("Indicator", "indicator", options, "rent_burden")
    part, region_value = tables.indicator_bars(long, region_values, indicator)
    st.plotly_chart(charts.bars_with_moe(part, indicator, region_value, region), width="stretch")
    st.caption(f"{indicator.question} Bars show each district; whiskers the 90% margin of error; "
               f"the dashed line {region}. Source: {indicator.source}.")

    st.subheader(f"All districts ranked on {indicator.label.lower()}")
    ranked = tables.ranking(district_values, names, indicator)
    st.plotly_chart(charts.bars_with_moe(ranked, indicator, region_value, region,
                                         highlight=[names[i] for i in chosen]), width="stretch")
    with st.expander("The ranking as a table"):
        st.dataframe(ranked[["rank", "name", "shown", "± MOE", "reliability"]], hide_index=True,
                     width="stretch")
        st.download_button("Download the ranking (CSV)", ranked.drop(columns="shown").to_csv(index=False),
                           file_name=f"ranking-{indicator.id}.csv", mime="text/csv")

    st.subheader("Two indicators together")
    a, b = st.columns(2)
    with a:
        x = indicator_select("Across", "x", options, "poverty")
    with b:
        y = indicator_select("Up", "y", options, "asthma")
    points = tables.scatter_points(district_values, names, x, y)
    if len(points):
        st.plotly_chart(charts.scatter(points, x, y, [names[i] for i in chosen]), width="stretch")
        st.caption(f"Each dot is a district; the ones you picked are labelled. {x.label} against "
                   f"{y.label}.")


frame.frame_guard()
with frame.page_boundary("the comparison page"):
    main()
