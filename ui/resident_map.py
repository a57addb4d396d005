"""The map of My neighbourhood: one indicator (or its change) by tract around a district or
your own area, its legend, a sentence saying what it shows, and its numbers as a table linked
from that sentence (the map's text alternative).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from indicators.metrics.registry import Indicator
from indicators.present import change, map_layers, map_text, maps, queries, tables
from indicators.present.formatting import escape_markdown
from ui import own_area
from ui.data import base_map, drawing_tools, load
from ui.language import current_lang, tr
from ui.widgets import legend

MAP_KEY = "neighbourhood_map"


def draw_map(indicator: Indicator, period: str, since: str | None, show_holc: bool,
             district_id: str | None = None, area: own_area.OwnArea | None = None,
             drawing: bool = False) -> None:
    """Choropleth of one indicator by tract in a period (or of its change ``since`` an earlier
    one), fitted to the district or to your own area (outlined), HOLC on request; with the
    drawing tools when the area is drawn. A national database sends only the tracts around
    the district or area (the district last chosen while an area is being made)."""
    lang = current_lang()
    around = area.extent if area is not None else district_id or st.session_state.get("district")
    data = load(queries.map_data, period, around)
    unit_values = load(queries.indicator_units, indicator.id, period)
    if since is None:
        choropleth, key = map_layers.indicator_layer(data, unit_values, indicator, lang)
    else:
        unit_changes = load(queries.indicator_changes, indicator.id, "unit", since, period)
        choropleth, key = map_layers.change_layer(data, unit_changes, indicator, since, lang)
    if area is not None:
        outline = map_layers.area_layer(area.frame, area.name)
        groups = [choropleth, map_layers.districts_layer(data.districts, None), outline]
    else:
        fit = maps.view_bounds(data.district_bounds[district_id]) if district_id else data.bounds
        groups = [choropleth, map_layers.districts_layer(data.districts, district_id, fit_to=fit)]
    if show_holc and data.holc:
        groups.append(map_layers.holc_layer(data.holc))
    base = base_map()
    if drawing and drawing_tools():
        maps.draw_plugin().add_to(base)
    elif drawing:
        st.warning(tr("Drawing needs the map's drawing tools, which this server does not have "
                      "(run sh setup.sh); upload a boundary or combine tracts instead."))
    st_folium(base, key=MAP_KEY, height=460, use_container_width=True, feature_group_to_add=groups,
              returned_objects=["last_active_drawing", "all_drawings"] if drawing
              else ["last_active_drawing"])
    legend(key)
    if show_holc and data.holc:
        legend(map_layers.holc_legend(lang))
    st.caption(tr("Click a tract to pick its district. Tracts outside the districts are not drawn.")
               if district_id else tr("Your area is outlined in dark green; tracts outside the "
                                      "districts are not drawn."))
    names = load(queries.units, period).set_index("geoid")["name"]
    if data.whole:  # the map draws every tract of the region
        place = load(queries.place)
    else:
        place = area.name if area is not None else load(queries.district_names).get(district_id, "")
    if since is None:
        summary = map_text.map_summary(indicator, unit_values, data.unit_ids, names, place, lang,
                                       around=not data.whole)
        table = tables.unit_table(unit_values, names, indicator, data.unit_ids, lang)
    else:
        summary = map_text.change_summary(indicator, unit_changes, data.unit_ids, names, place,
                                          since, lang, around=not data.whole)
        table = change.unit_change_table(unit_changes, names, indicator, data.unit_ids, lang)
    st.markdown(f"{escape_markdown(summary)} {map_text.table_link(lang)}")
    st.subheader(tr("The map's numbers as a table"), anchor=map_text.MAP_TABLE_ANCHOR)
    if since is not None:
        st.caption(change.how_compared(unit_changes))
    st.dataframe(table, hide_index=True, width="stretch", height=280)
