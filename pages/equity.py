"""Equity gaps (city staff): segregation, disparities between majority-people-of-colour and
majority-White areas, race-iterated gaps, where overburdened tracts are, and whether each gap
widened or narrowed since the previous period."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from indicators.present import change, charts, map_layers, map_text, queries, tables
from indicators.present.formatting import escape_markdown
from ui import frame
from ui.data import base_map, load
from ui.widgets import legend, period_select

SEGREGATION_HELP = (
    "**Dissimilarity** (0-1): the share of one group that would have to move for both groups to "
    "be spread evenly across tracts; above 0.6 is usually called high. **Isolation** (0-1): the "
    "share of the group among the neighbours of its average member. **Theil's H** (0-1): how much "
    "less diverse tracts are than the area as a whole, across all groups."
)
NEEDS_RACE = "Not available for this region: it needs counts of people by race and ethnicity."


def segregation(names: dict[str, str], region: str, period: str) -> None:
    """Segregation indices for the region and each district, explained."""
    st.subheader("Segregation")
    table = load(queries.segregation, period)
    if table.empty:
        st.info(NEEDS_RACE)
        return
    st.dataframe(tables.segregation_wide(table, names, region), width="stretch")
    st.markdown(SEGREGATION_HELP)
    st.caption("Within a district the indices describe how its own tracts differ; computed with "
               "PySAL's segregation package on the area-weighted pieces of tracts.")


def disparities(region: str, period: str) -> None:
    """Every indicator in majority-POC vs majority-White areas."""
    st.subheader("Majority people-of-colour areas compared with majority-White areas")
    table = tables.disparity_frame(load(queries.disparities, period))
    if table.empty:
        st.info(NEEDS_RACE)
        return
    drawn = table[table["direction"] != "neutral"]
    st.plotly_chart(charts.disparity_bars(drawn), width="stretch")
    first = table.iloc[0]
    st.caption(escape_markdown(charts.disparity_summary(drawn)) + " "
               f"Tracts where most residents are people of colour ({first.poc_units} tracts, "
               f"{first.poc_population:,.0f} people) against tracts where most are White "
               f"({first.white_units} tracts, {first.white_population:,.0f} people), within "
               f"{escape_markdown(region)}. "
               "A ratio above 1 means the value is higher in majority people-of-colour areas. "
               "Orange bars: people-of-colour areas are worse off; blue: White areas are.")
    st.dataframe(tables.disparity_view(table), hide_index=True, width="stretch")
    st.download_button("Download the disparities (CSV)", tables.csv_text(table),
                       file_name="disparities.csv", mime="text/csv")


def race_gaps(names: dict[str, str], region: str, period: str) -> None:
    """Black and White householders' homeownership and income by district."""
    st.subheader("Black and White households")
    gaps = load(queries.race_gaps, period)
    if gaps.empty:
        st.info("Not available for this region: it needs the race-iterated ACS tables "
                "(B25003B/H for homeownership, B19013B/H for income).")
        return
    for measure, money, part in tables.race_gap_charts(gaps, names, region):
        st.plotly_chart(charts.race_gap_bars(part, measure, money), width="stretch")
        st.caption(escape_markdown(charts.race_gap_summary(part, measure, money)))
    st.caption("From ACS tables B25003B/H and B19013B/H. District incomes are household-weighted "
               "averages of tract medians (approximate); small groups give wide margins.")


def burdened_map(region: str, period: str) -> None:
    """Map of CEJST-style overburdened tracts with the burdens that flag them."""
    st.subheader("Where pollution or poor health meets low income")
    burdens = load(queries.unit_burdens, period)
    if burdens.empty or burdens["flagged"].isna().all():
        st.info("Not available for this region: it needs low-income and burden indicators.")
        return
    data = load(queries.map_data, period)
    if not data.whole:  # a national database: the tracts around one district at a time
        names = load(queries.district_names)
        around = st.selectbox("Show the tracts around", list(names), format_func=names.get,
                              key="equity_around")
        data = load(queries.map_data, period, around)
    place = region if data.whole else names[around]
    layer, key = map_layers.burden_layer(data, burdens)
    st_folium(base_map(), key="equity_map", height=420, use_container_width=True,
              feature_group_to_add=[layer, map_layers.districts_layer(data.districts, None,
                                                                      fit_to=data.view)],
              returned_objects=[])
    legend(key)
    st.caption(escape_markdown(map_text.burden_summary(burdens, data.unit_ids, place,
                                                       around=not data.whole))
               + " The CEJST rule, with percentiles among this region's tracts. Hover a tract for "
               "the burdens that flagged it. " + map_text.table_link())
    flagged = tables.flagged_units(burdens, load(queries.units, period), data.unit_ids)
    st.subheader(f"The {len(flagged)} overburdened tracts as a table",
                 anchor=map_text.MAP_TABLE_ANCHOR)
    st.dataframe(flagged, hide_index=True, width="stretch", height=min(38 * len(flagged) + 40, 420))


def gaps_over_time(names: dict[str, str], region: str, since: str, period: str) -> None:
    """Whether each gap widened or narrowed between the previous period and this one."""
    st.subheader(f"Did the gaps narrow since {since}?")
    gaps = load(queries.gap_changes, since, period)
    if gaps.empty:
        st.info("Black and White households cannot be compared over time here: it needs the "
                "race-iterated ACS tables (B25003B/H, B19013B/H) in both periods.")
    else:
        st.dataframe(change.gap_rows(gaps, names, region), hide_index=True, width="stretch")
        st.caption("Gap = White minus Black householders, in each period; the income gap of "
                   f"{since} is in the dollars of {period} (CPI-U-RS), so rising prices alone do not "
                   "widen it. A change is real when it is larger than sqrt(MOE1^2 + MOE2^2) of the "
                   "two periods' gaps (90%). " + change.overlap_caution(gaps))
    moved = change.disparity_changes(load(queries.disparities, since),
                                     load(queries.disparities, period))
    if not moved.empty:
        st.markdown("**Majority people-of-colour areas against majority-White areas**")
        st.dataframe(moved, hide_index=True, width="stretch")
        st.caption("Gap = the value in majority people-of-colour tracts minus that in majority-"
                   "White tracts, in each period. Whole tracts are grouped, so no margin of error "
                   "is known: the direction is a guide, not a test.")


def main() -> None:
    """The equity page, section by section."""
    region = load(queries.place)
    names = load(queries.district_names)
    st.title("Equity gaps")
    st.write(f"Who bears the burdens in {escape_markdown(region)}: segregation, gaps between majority "
             "people-of-colour and majority-White areas, and gaps between Black and White households.")
    periods = load(queries.periods)
    period = period_select(periods)
    earlier = periods[:periods.index(period)]
    if earlier:
        gaps_over_time(names, region, earlier[-1], period)
    disparities(region, period)
    burdened_map(region, period)
    race_gaps(names, region, period)
    segregation(names, region, period)
    lq = load(queries.location_quotients, period)
    if not lq.empty:
        st.subheader("Who lives where (location quotients)")
        st.dataframe(tables.location_quotient_table(lq, names), width="stretch")
        st.caption("A group's share of a district divided by its share of the region: 1 is the "
                   "same as the region, 2 twice as concentrated.")


frame.frame_guard()
with frame.page_boundary("the equity page"):
    main()
