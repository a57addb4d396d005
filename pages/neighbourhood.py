"""My neighbourhood (residents): find your district, read how it is doing in plain sentences
next to the whole region and how it changed since the previous period, see any indicator (or
its change) on the map, download a one-page profile."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from indicators.metrics.framework import COMMITMENTS
from indicators.metrics.registry import Indicator
from indicators.present import change, map_layers, maps, profile, queries, tables
from indicators.present.places import district_of_unit, find_district
from ui import frame
from ui.data import base_map, load
from ui.widgets import indicator_select, legend, period_select

MAP_KEY = "neighbourhood_map"


def shown_period() -> str:
    """The period the page showed last run (the URL's), for handlers that run before the
    chooser is drawn."""
    held = load(queries.periods)
    chosen = st.session_state.get("period")
    return chosen if chosen in held else held[-1]


def follow_map_click(district_ids: list[str]) -> None:
    """A click on a tract (in the previous run) selects the district holding most of it."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}
    geoid = (clicked.get("properties") or {}).get("geoid")
    if not geoid or geoid == st.session_state.get("_last_clicked"):
        return
    st.session_state["_last_clicked"] = geoid
    found = district_of_unit(geoid, load(queries.crosswalk, shown_period()))
    if found in district_ids:
        st.session_state["district"] = found


def follow_search() -> None:
    """A typed district name or tract selects its district."""
    text = st.session_state.get("find", "")
    if not text or text == st.session_state.get("_last_find"):
        return
    st.session_state["_last_find"] = text
    period = shown_period()
    found, message = find_district(text, load(queries.districts), load(queries.units, period),
                                   load(queries.crosswalk, period))
    st.session_state["_find_message"] = message
    if found:
        st.session_state["district"] = found


def draw_map(indicator: Indicator, district_id: str, show_holc: bool, period: str,
             since: str | None) -> None:
    """Choropleth of one indicator by tract in a period (or of its change ``since`` an earlier
    one), fitted to the district (outlined), HOLC on request."""
    data = load(queries.map_data, period)
    unit_values = load(queries.indicator_units, indicator.id, period)
    if since is None:
        choropleth, key = map_layers.indicator_layer(data, unit_values, indicator)
    else:
        unit_changes = load(queries.indicator_changes, indicator.id, "unit", since, period)
        choropleth, key = map_layers.change_layer(data, unit_changes, indicator, since)
    groups = [choropleth, map_layers.districts_layer(
        data.districts, district_id, fit_to=maps.view_bounds(data.district_bounds[district_id]))]
    if show_holc and data.holc:
        groups.append(map_layers.holc_layer(data.holc))
    st_folium(base_map(period), key=MAP_KEY, height=460, use_container_width=True,
              feature_group_to_add=groups, returned_objects=["last_active_drawing"])
    legend(key)
    st.caption("Click a tract to pick its district. Tracts outside the districts are not drawn.")
    names = load(queries.units, period).set_index("geoid")["name"]
    if since is None:
        table = tables.unit_table(unit_values, names, indicator, data.unit_ids)
    else:
        st.caption(change.how_compared(unit_changes))
        table = change.unit_change_table(unit_changes, names, indicator, data.unit_ids)
    with st.expander("The map's numbers as a table"):
        st.dataframe(table, hide_index=True, width="stretch")


def main() -> None:
    """Finder, map, indicator cards by commitment, downloads."""
    meta = load(queries.meta)
    region = load(queries.place)
    names = load(queries.district_names)
    ids = list(names)
    follow_map_click(ids)
    follow_search()

    st.title("My neighbourhood")
    st.write(f"Choose your district to see how it is doing, next to {region} as a whole. "
             "Every number is an estimate: the ± shows how far off it could be.")
    left, right = st.columns(2)
    with left:
        district_id = st.selectbox("Your district", ids, format_func=names.get, key="district",
                                   bind="query-params")
    with right:
        st.text_input("Or type a district name or a census tract number", key="find",
                      placeholder="e.g. Westside, 101 or 99001010100")
        if st.session_state.get("_find_message"):
            st.caption(st.session_state["_find_message"])
    district = names[district_id]
    periods = load(queries.periods)
    period = period_select(periods)
    earlier = periods[:periods.index(period)]
    since = earlier[-1] if earlier else None

    options = load(queries.available_indicators, period)
    indicator = indicator_select("Show on the map", "indicator", options, "poverty")
    show_change = since is not None and st.toggle(
        f"Show the change since {since}", key="change", bind="query-params")
    show_holc = load(queries.has_overlay, "holc") and st.toggle(
        "Show the 1938 redlining map", key="holc", bind="query-params")
    draw_map(indicator, district_id, show_holc, period, since if show_change else None)

    moved = (load(queries.geography_changes, "district", district_id, since, period)
               if since else None)
    rows = profile.profile_rows(load(queries.geography_values, "district", district_id, period),
                                load(queries.values, "region", period), load(queries.source_lines),
                                moved, since or "")
    st.subheader(f"How {district} is doing" + (f" in {period}" if len(periods) > 1 else ""))
    grouped = profile.by_commitment(rows)
    for tab, commitment in zip(st.tabs([c.resident_heading for c in COMMITMENTS]), COMMITMENTS,
                               strict=True):
        with tab:
            if not grouped[commitment.name]:
                st.info("No measures of this kind are available for this region.")
            for row in grouped[commitment.name]:
                with st.container(border=True):
                    st.markdown(f"**{row.headline(district)}**")
                    st.markdown(row.against_region(district, region))
                    if row.change:
                        st.markdown(row.change)
                    st.caption(row.caption)
    missing = profile.not_available(load(queries.missing_indicators, period))
    page = profile.profile_html(meta.get("region_name", ""), district, rows,
                                [label for label, _ in missing], meta.get("built_at", "")[:10],
                                meta.get("sample") == "true")
    one, two = st.columns(2)
    one.download_button("Download a one-page profile (prints well)", page,
                        file_name=f"{profile.file_stem(district)}-profile.html", mime="text/html")
    two.download_button("Download the numbers (CSV)", profile.profile_csv(district, rows),
                        file_name=f"{profile.file_stem(district)}-indicators.csv", mime="text/csv")
    if missing:
        with st.expander(f"What we cannot show for {region} yet"):
            st.markdown("\n".join(f"- **{label}**: {why}" for label, why in missing))


frame.frame_guard()
with frame.page_boundary("the neighbourhood page"):
    main()
