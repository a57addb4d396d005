"""Compare districts (city staff): any number of districts side by side with margins of error,
a ranking of all districts, a scatter of two indicators, change over time (a trend per
indicator with error bars, the largest real rises and falls), and exports of exactly what is
shown."""

from __future__ import annotations

import streamlit as st

from indicators.metrics.registry import Indicator
from indicators.present import change, charts, queries, tables
from indicators.present.formatting import escape_markdown
from ui import frame
from ui.data import load
from ui.widgets import change_pair_select, indicator_select, period_select


def over_time(indicator: Indicator, chosen: list[str], names: dict[str, str], region: str) -> None:
    """The trend of one indicator across every period, and the ranked table of changes."""
    periods = load(queries.periods)
    st.subheader(f"{indicator.label} over time")
    trend = change.trend_frame(load(queries.trend, "district", indicator.id),
                               load(queries.trend, "region", indicator.id), names, chosen, region)
    st.plotly_chart(charts.trend_chart(trend, indicator, periods, region), width="stretch")
    st.caption(escape_markdown(charts.trend_summary(trend, indicator, periods, region))
               + " Each point is a period's estimate; whiskers its 90% margin of error. Districts "
               "keep their boundaries: each period's tracts are crosswalked to the same districts.")

    st.subheader("The largest changes")
    period_from, period_to = change_pair_select(periods)
    a, b = st.columns(2)
    only_real = a.toggle("Only real changes (beyond the margin of error)", value=True, key="real",
                         bind="query-params")
    dollars = b.toggle(f"Dollars in {period_to} dollars (CPI-U-RS)", key="dollars",
                       bind="query-params")
    changes = load(queries.changes, "district", period_from, period_to)
    ranked = change.ranked_changes(changes, names, real=only_real, constant_dollars=dollars)
    if ranked.empty:
        st.info(f"No district changed beyond its margin of error from {period_from} to "
                f"{period_to}." if only_real else "No indicator is in both periods.")
    else:
        st.dataframe(ranked, hide_index=True, width="stretch", height=min(38 * len(ranked) + 40, 520))
    st.caption("Rises first, then falls, each ordered by its size against its margin of error. "
               + change.how_compared(changes) + " " + change.dollars_note(changes, dollars))
    st.download_button("Download every change between these periods (CSV)",
                       tables.csv_text(changes), file_name=f"changes-{period_from}-{period_to}.csv",
                       mime="text/csv")


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
    period = period_select(load(queries.periods))
    options = load(queries.available_indicators, period)
    district_values = load(queries.values, "district", period)
    region_values = load(queries.values, "region", period)
    long = tables.comparison_long(district_values, region_values, names, chosen, options)
    wide = tables.comparison_wide(long, region, [names[i] for i in chosen])
    st.dataframe(wide, hide_index=True, width="stretch", height=min(38 * len(wide) + 40, 640))
    left, right = st.columns(2)
    left.download_button("Download this table (CSV)", tables.csv_text(long),
                         file_name="districts-compared.csv", mime="text/csv")
    right.download_button("Download these districts with their values (GeoJSON)",
                          tables.districts_geojson(load(queries.districts_geo), long),
                          file_name="districts-compared.geojson", mime="application/geo+json")

    st.subheader("One indicator in detail")
    indicator = indicator_select("Indicator", "indicator", options, "rent_burden")
    part, region_value = tables.indicator_bars(long, region_values, indicator)
    st.plotly_chart(charts.bars_with_moe(part, indicator, region_value, region,
                                         title=f"{indicator.label} in the districts you picked"),
                    width="stretch")
    st.caption(escape_markdown(charts.bars_summary(part, indicator, region_value, region))
               + f" {indicator.question} Bars show each district; whiskers the 90% margin of "
               f"error; the dashed line {escape_markdown(region)}. Source: {indicator.source}.")

    st.subheader(f"All districts ranked on {indicator.label.lower()}")
    ranked = tables.ranking(district_values, names, indicator)
    st.plotly_chart(charts.bars_with_moe(ranked, indicator, region_value, region,
                                         highlight=[names[i] for i in chosen],
                                         title=f"All districts ranked on {indicator.label.lower()}"),
                    width="stretch")
    st.caption(escape_markdown(charts.bars_summary(ranked, indicator, region_value, region))
               + " The districts you picked are in blue, the others grey.")
    with st.expander("The ranking as a table"):
        st.dataframe(ranked[["rank", "name", "shown", "± MOE", "reliability"]], hide_index=True,
                     width="stretch")
        st.download_button("Download the ranking (CSV)", tables.csv_text(ranked.drop(columns="shown")),
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
        st.caption(escape_markdown(charts.scatter_summary(points, x, y)) + " Each dot is a "
                   "district; the ones you picked are labelled and in blue.")
    if len(load(queries.periods)) > 1:
        over_time(indicator, chosen, names, region)


frame.frame_guard()
with frame.page_boundary("the comparison page"):
    main()
