"""My neighbourhood (residents): find your district, read how it is doing in plain sentences
next to the whole region, see any indicator on the map, download a one-page profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from indicators import maps, profile
from indicators.formatting import comparison, format_moe, format_value, reliability_words
from indicators.framework import COMMITMENTS
from indicators.places import find_district
from indicators.registry import BY_ID
from pages import common

MAP_KEY = "neighbourhood_map"


def follow_map_click(dists: list[str]) -> None:
    """A click on a tract (from the previous run) selects the district holding most of it."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}
    geoid = (clicked.get("properties") or {}).get("geoid")
    if not geoid or geoid == st.session_state.get("_last_clicked"):
        return
    st.session_state["_last_clicked"] = geoid
    pieces = common.q("SELECT district_id FROM crosswalk WHERE geoid = ? ORDER BY weight DESC "
                      "LIMIT 1", geoid)
    if len(pieces) and pieces["district_id"].iloc[0] in dists:
        st.session_state["district"] = pieces["district_id"].iloc[0]


def follow_search(dists, units) -> None:  # noqa: ANN001
    """A typed district name or tract selects its district."""
    text = st.session_state.get("find", "")
    if not text or text == st.session_state.get("_last_find"):
        return
    st.session_state["_last_find"] = text
    found, message = find_district(text, dists, units, common.q("SELECT * FROM crosswalk"))
    st.session_state["_find_message"] = message
    if found:
        st.session_state["district"] = found


def indicator_card(ind_id: str, row, region_row, district: str, region: str,  # noqa: ANN001
                   sources: dict[int, str]) -> None:
    """One indicator as a sentence for the district and the region, with MOE and source."""
    indicator = BY_ID[ind_id]
    text = indicator.sentence(format_value(indicator, row.value))
    compare = "" if region_row is None else comparison(row.value, row.moe, region_row.value,
                                                       region_row.moe)
    with st.container(border=True):
        st.markdown(f"**In {district}, {text}.**")
        if region_row is not None:
            st.markdown(f"Across {region} it is {format_value(indicator, region_row.value)}"
                        + (f": {district} is **{compare}** {region}." if compare else "."))
        moe = format_moe(indicator, row.moe)
        source = sources.get(int(row.layer_id), indicator.source) if pd.notna(row.layer_id) \
            else indicator.source
        st.caption(" · ".join(p for p in (moe, reliability_words(row.reliability), source) if p))


def main() -> None:
    """Finder, map, indicator cards by commitment, downloads."""
    meta = common.meta()
    region = common.place()
    dists = common.districts()
    names = common.district_names()
    ids = list(names)
    units = common.q("SELECT geoid, name FROM units")
    follow_map_click(ids)
    follow_search(dists, units)

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

    options = common.available_indicators()
    indicator = common.indicator_select("Show on the map", "indicator", options, "poverty")
    holc = bool(len(common.q("SELECT 1 FROM overlays WHERE kind = 'holc' LIMIT 1")))
    show_holc = st.toggle("Show the 1938 redlining map", key="holc", bind="query-params") if holc else False
    draw_map(indicator, district_id, show_holc)

    values = common.values("district").query("geo_id == @district_id").set_index("indicator_id")
    region_values = common.values("region").set_index("indicator_id")
    sources = common.source_lines()
    st.subheader(f"How {district} is doing")
    tabs = st.tabs([c.resident_heading for c in COMMITMENTS])
    for tab, commitment in zip(tabs, COMMITMENTS, strict=True):
        with tab:
            shown = [i.id for i in options if i.commitment == commitment.name and i.id in values.index]
            if not shown:
                st.info("No measures of this kind are available for this region.")
            for ind_id in shown:
                region_row = region_values.loc[ind_id] if ind_id in region_values.index else None
                indicator_card(ind_id, values.loc[ind_id], region_row, district, region, sources)
    downloads(district, values, region_values, sources, meta)
    missing = common.availability().query("not available")
    if len(missing):
        with st.expander(f"What we cannot show for {region} yet"):
            for ind_id, row in missing.iterrows():
                st.markdown(f"- **{BY_ID[ind_id].label}**: {row['reason'].split(': ', 1)[-1]}")


def draw_map(indicator, district_id: str, show_holc: bool) -> None:  # noqa: ANN001
    """Choropleth of one indicator by tract, the district outlined, HOLC on request."""
    layers = common.map_layers()
    unit_values = common.values("unit").query("indicator_id == @indicator.id").set_index("geo_id")
    values = unit_values["value"].reindex(layers["unit_ids"])
    colours, legend = maps.classify(values, indicator.direction,
                                    lambda v: format_value(indicator, v))
    labels = {g: f"{format_value(indicator, r.value)} {format_moe(indicator, r.moe)}".strip()
              for g, r in unit_values.iterrows()}
    groups = [maps.choropleth_layer(layers["units"], colours.to_dict(), labels, indicator.label),
              maps.districts_layer(layers["districts"], district_id)]
    if show_holc and layers["holc"]:
        groups.append(maps.holc_layer(layers["holc"]))
    minx, miny, maxx, maxy = layers["district_bounds"][district_id]
    st_folium(common.base_map(), key=MAP_KEY, height=460,
              use_container_width=True, feature_group_to_add=groups,
              center=((miny + maxy) / 2, (minx + maxx) / 2),
              zoom=maps.zoom_for_bounds(layers["district_bounds"][district_id]) - 0.75,
              returned_objects=["last_active_drawing"])
    common.legend(legend.entries, f"{indicator.label}, by census tract (darker = more burdened)"
                  if indicator.direction != "neutral" else f"{indicator.label}, by census tract")
    st.caption("Click a tract to pick its district. Tracts outside the districts are not drawn.")
    with st.expander("The map's numbers as a table"):
        names = common.q("SELECT geoid, name FROM units").set_index("geoid")["name"]
        shown = unit_values.reindex(layers["unit_ids"]).dropna(subset=["value"])
        st.dataframe(pd.DataFrame({
            "Tract": names.reindex(shown.index).to_numpy(), "GEOID": shown.index,
            indicator.label: [format_value(indicator, v) for v in shown["value"]],
            "±": [format_moe(indicator, m) for m in shown["moe"]],
            "Reliability": shown["reliability"].map(reliability_words).to_numpy(),
        }), hide_index=True, width="stretch")


def downloads(district: str, values, region_values, sources, meta) -> None:  # noqa: ANN001
    """The one-page profile (HTML) and its numbers (CSV)."""
    rows = profile.profile_rows(values.reset_index(), region_values.reset_index(), sources)
    missing = [BY_ID[i].label for i in common.availability().query("not available").index]
    page = profile.profile_html(meta.get("region_name", ""), district, rows, missing,
                                meta.get("built_at", "")[:10], meta.get("sample") == "true")
    slug = district.lower().replace(" ", "-")
    one, two = st.columns(2)
    one.download_button("Download a one-page profile (prints well)", page,
                        file_name=f"{slug}-profile.html", mime="text/html")
    two.download_button("Download the numbers (CSV)", profile.profile_csv(district, rows),
                        file_name=f"{slug}-indicators.csv", mime="text/csv")


common.frame_guard()
with common.page_boundary("the neighbourhood page"):
    main()
