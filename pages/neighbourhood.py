"""My neighbourhood (residents): find your district, or make your own area (draw it, upload
it, or combine tracts and districts), read how it is doing in plain sentences next to the whole
region and how it changed since the previous period, see any indicator (or its change) on the
map, download a one-page profile."""

from __future__ import annotations

import streamlit as st

from indicators.present import areas, profile, queries
from indicators.present.formatting import escape_markdown
from indicators.present.places import district_of_unit, find_district
from ui import frame, language, own_area
from ui.cards import downloads, draw_cards
from ui.data import load
from ui.intro import first_visit_steps
from ui.language import tr
from ui.resident_map import MAP_KEY, draw_map
from ui.widgets import map_controls


def shown_period() -> str:
    """The period the page showed last run (the URL's), for handlers that run before the
    chooser is drawn."""
    held = load(queries.periods)
    chosen = st.session_state.get("period")
    return chosen if chosen in held else held[-1]


def follow_map_click(district_ids: list[str], combine: bool = False) -> None:
    """A click on a tract (in the previous run) selects the district holding most of it, or,
    when combining tracts into your own area, adds or removes it."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}
    geoid = (clicked.get("properties") or {}).get("geoid")
    if not geoid or geoid == st.session_state.get("_last_clicked"):
        return
    st.session_state["_last_clicked"] = geoid
    if combine:
        if st.session_state.get("how") == "combine":
            own_area.toggle_unit(geoid)
        return
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
                                   load(queries.crosswalk, period), language.current_lang())
    st.session_state["_find_message"] = message
    if found:
        st.session_state["district"] = found


def doing_heading(place: str, period: str) -> str:
    """``How Westside is doing`` (``in 2019-2023`` when the region holds several periods)."""
    if len(load(queries.periods)) > 1:
        return tr("How {place} is doing in {period}", place=escape_markdown(place), period=period)
    return tr("How {place} is doing", place=escape_markdown(place))


def district_view(region: str) -> None:
    """A district: chooser and search, map, cards, downloads."""
    names = load(queries.district_names)
    ids = list(names)
    left, right = st.columns(2)
    with left:
        district_id = st.selectbox(tr("Your district"), ids, format_func=names.get, key="district",
                                   bind="query-params")
    with right:
        st.text_input(tr("Or type a district name or a census tract number"), key="find",
                      placeholder=tr("e.g. Westside, 101 or 99001010100"))
        if st.session_state.get("_find_message"):
            st.caption(st.session_state["_find_message"])
    district = names[district_id]
    period, since, indicator, show_change, show_holc = map_controls()
    draw_map(indicator, period, since if show_change else None, show_holc, district_id=district_id)
    moved = (load(queries.geography_changes, "district", district_id, since, period)
             if since else None)
    rows = profile.profile_rows(load(queries.geography_values, "district", district_id, period),
                                load(queries.values, "region", period), load(queries.source_lines),
                                moved, since or "", lang=language.current_lang())
    st.subheader(doing_heading(district, period))
    draw_cards(rows, district, region)
    downloads(rows, district, period)


def area_view(region: str) -> None:
    """Your own area: how it is made, the map (with drawing tools), its cards and downloads."""
    how = own_area.how_select()
    notes: list[str] = []
    if how == "upload":
        notes = own_area.upload_box()
    elif how == "combine":
        own_area.combine_box(load(queries.district_names),
                             load(queries.units, shown_period()).set_index("geoid")["name"].to_dict())
    period, since, indicator, show_change, show_holc = map_controls()
    area = own_area.current_area(how, period)
    for note in notes:
        st.caption(escape_markdown(note))
    draw_map(indicator, period, since if show_change else None, show_holc, area=area,
             drawing=how == "draw")
    if area is None:
        return
    found = own_area.profile(area, period, since)
    if found is None:
        return
    made, moved = found
    rows = profile.profile_rows(made.values, load(queries.values, "region", period),
                                load(queries.source_lines), moved, since or "",
                                lang=language.current_lang())
    place = area.name
    st.subheader(doing_heading(place, period))
    st.caption(areas.method_note(made.summary.iloc[0], region, language.current_lang()))
    draw_cards(rows, place, region)
    with st.expander(tr("Which tracts make up your area")):
        units = load(queries.units, period).set_index("geoid")["name"]
        population = load(queries.unit_population, period)
        table = areas.share_table(made.shares, units, population, language.current_lang())
        if table.empty:
            st.caption(areas.only_slivers(language.current_lang()))
        else:
            st.dataframe(table, hide_index=True, width="stretch")
    downloads(rows, place, period, (tr("Download your area with its numbers (GeoJSON)"),
                                    areas.area_geojson(area.frame, made.values)))


def main() -> None:
    """A district or your own area: finder, map, indicator cards by commitment, downloads."""
    region = load(queries.place)
    mine = st.session_state.get("show") == "area"
    if mine and st.session_state.get("how", "draw") == "draw":
        own_area.follow_drawing(MAP_KEY)
    follow_map_click(list(load(queries.district_names)), combine=mine)
    follow_search()

    st.title(tr("My neighbourhood"))
    st.write(tr("Choose your district, or make your own area, to see how it is doing next to "
                "{region} as a whole. Every number is an estimate: the ± shows how far off it "
                "could be.", region=escape_markdown(region)))
    first_visit_steps()
    views = {"district": tr("A district"), "area": tr("Your own area")}
    show = st.radio(tr("Show"), list(views), format_func=views.get, key="show", horizontal=True,
                    bind="query-params")
    if show == "area":
        area_view(region)
    else:
        district_view(region)


frame.frame_guard()
with frame.page_boundary("the neighbourhood page"):
    main()
