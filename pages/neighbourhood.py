"""My neighbourhood (residents): find your district, read how it is doing in plain sentences
next to the whole region, see any indicator on the map, download a one-page profile."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from indicators.metrics.framework import COMMITMENTS
from indicators.metrics.registry import Indicator
from indicators.present import map_layers, maps, profile, queries, tables
from indicators.present.places import district_of_unit, find_district
from ui import frame
from ui.data import base_map, load
from ui.widgets import indicator_select, legend

MAP_KEY = "neighbourhood_map"


def follow_map_click(district_ids: list[str]) -> None:
    """A click on a tract (in the previous run) selects the district holding most of it."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}
    geoid = (clicked.get("properties") or {}).get("geoid")
    if not geoid or geoid == st.session_state.get("_last_clicked"):
        return
    st.session_state["_last_clicked"] = geoid
    found = district_of_unit(geoid, load(queries.crosswalk))
    if found in district_ids:
        st.session_state["district"] = found


def follow_search() -> None:
    """A typed district name or tract selects its district."""
    text = st.session_state.get("find", "")
    if not text or text == st.session_state.get("_last_find"):
        return
    st.session_state["_last_find"] = text
    found, message = find_district(text, load(queries.districts), load(queries.units),
                                   load(queries.crosswalk))
    st.session_state["_find_message"] = message
    if found:
        st.session_state["district"] = found


def draw_map(indicator: Indicator, district_id: str, show_holc: bool) -> None:
    """Choropleth of one indicator by tract, fitted to the district (outlined), HOLC on request."""
    data = load(queries.map_data)
    unit_values = load(queries.indicator_units, indicator.id)
    choropleth, key = map_layers.indicator_layer(data, unit_values, indicator)
    groups = [choropleth, map_layers.districts_layer(
        data.districts, district_id, fit_to=maps.view_bounds(data.district_bounds[district_id]))]
    if show_holc and data.holc:
        groups.append(map_layers.holc_layer(data.holc))
    st_folium(base_map(), key=MAP_KEY, height=460, use_container_width=True,
              feature_group_to_add=groups, returned_objects=["last_active_drawing"])
    legend(key)
    st.caption("Click a tract to pick its district. Tracts outside the districts are not drawn.")
    with st.expander("The map's numbers as a table"):
        names = load(queries.units).set_index("geoid")["name"]
        st.dataframe(tables.unit_table(unit_values, names, indicator, data.unit_ids),
                     hide_index=True, width="stretch")


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

    options = load(queries.available_indicators)
    indicator = indicator_select("Show on the map", "indicator", options, "poverty")
    show_holc = load(queries.has_overlay, "holc") and st.toggle(
        "Show the 1938 redlining map", key="holc", bind="query-params")
    draw_map(indicator, district_id, show_holc)

    rows = profile.profile_rows(load(queries.geography_values, "district", district_id),
                                load(queries.values, "region"), load(queries.source_lines))
    st.subheader(f"How {district} is doing")
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
                    st.caption(row.caption)
    missing = profile.not_available(load(queries.missing_indicators))
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
