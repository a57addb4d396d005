"""Your own area on the Neighbourhood page: the three ways to make one (draw it on the map,
upload a boundary, combine tracts or districts) and the area they make.

The area lives only in the URL (``area`` and ``name`` for a polygon, ``units`` and ``parts`` for
a union), so a copied link reopens it; nothing a visitor draws or uploads is stored. Everything
here is said in the reader's language (:mod:`ui.language`); an area with no name of its own is
"your area" in the URL whatever the language, and "tu zona" on a Spanish page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import streamlit as st

from indicators.ingest.upload import UploadError, read_upload
from indicators.metrics.areas import AreaError, AreaProfile
from indicators.present import areas, queries
from indicators.present.formatting import escape_markdown
from indicators.store.areas import area_changes
from ui.data import load, profiler
from ui.language import DEFAULT, current_lang, tr

#: The ways to make an area (``how``), each label translated where it is shown.
HOW = {"draw": "Draw it on the map", "upload": "Upload a boundary",
       "combine": "Combine tracts or districts"}
#: The name of an area with none of its own, as the cards say it ("In your area, ..."), in the
#: URL; the page shows it in the reader's language (:func:`your_area`).
YOUR_AREA = "your area"


def your_area() -> str:
    """:data:`YOUR_AREA` in the reader's language ("tu zona")."""
    return tr("your area")


@dataclass
class OwnArea:
    """The area to profile, in longitude/latitude, with what the visitor should know."""

    frame: gpd.GeoDataFrame
    name: str
    notes: list[str] = field(default_factory=list)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The area's extent (lon/lat), which a national map draws the tracts around."""
        minx, miny, maxx, maxy = (float(v) for v in self.frame.total_bounds)
        return minx, miny, maxx, maxy


def how_select() -> str:
    """How the area is made (``how`` in the URL)."""
    chosen = st.radio(tr("Make your area"), list(HOW), format_func=lambda how: tr(HOW[how]), key="how",
                      horizontal=True, bind="query-params")
    return chosen or "draw"


def follow_drawing(map_key: str) -> None:
    """The polygon drawn on the map in the previous run becomes the area (in the URL)."""
    drawings = (st.session_state.get(map_key) or {}).get("all_drawings") or []
    polygons = [d for d in drawings if (d.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")]
    if not polygons:
        return
    geometry = gpd.GeoDataFrame.from_features([polygons[-1]], crs="EPSG:4326").geometry.iloc[0]
    text = areas.encode_area(geometry)
    if st.query_params.get("area") != text:
        st.query_params["area"] = text
        st.query_params["name"] = YOUR_AREA


def toggle_unit(geoid: str) -> None:
    """A tract clicked on the map joins the combined area, or leaves it."""
    chosen = list(st.session_state.get("units") or [])
    st.session_state["units"] = [g for g in chosen if g != geoid] if geoid in chosen else [*chosen, geoid]


def upload_box() -> list[str]:
    """The upload control: a boundary file read safely (nothing stored); its feature, chosen by
    name when it holds several, becomes the area (in the URL). Returns notes to show."""
    # Streamlit writes the box's own words in English only ("Drag and drop", "Browse files"): a
    # Spanish page says what they mean.
    file = st.file_uploader(tr("A boundary file: GeoJSON, a zipped shapefile or a GeoPackage"),
                            type=["geojson", "json", "zip", "gpkg"], key="upload",
                            help=tr("Drag the file onto the box, or press Browse files to choose it.")
                            if current_lang() != DEFAULT else None)
    if file is None:
        return []
    crs = st.text_input(tr("Its coordinate system, if the file does not say (e.g. EPSG:2240)"),
                        key="upload_crs") or None
    try:
        upload = read_upload(file.getvalue(), file.name, crs=crs)
    except UploadError as exc:
        st.error(escape_markdown(areas.said(exc.message, current_lang())), icon=":material/error:")
        return []
    names = list(upload.areas["name"])
    index = 0
    if len(names) > 1:
        chosen = st.selectbox(tr("The file holds several areas: which one?"), names, key="upload_pick")
        index = names.index(chosen)
    row = upload.areas.iloc[index]
    text = areas.encode_area(row.geometry)
    if st.query_params.get("area") != text:
        st.query_params["area"] = text
        st.query_params["name"] = str(row["name"])
    return [areas.said(note, current_lang()) for note in upload.notes]


def combine_box(district_names: dict[str, str], unit_names: dict[str, str]) -> None:
    """Districts and tracts to combine (``parts`` and ``units`` in the URL); a click on a tract
    of the map adds or removes it."""
    left, right = st.columns(2)
    # English keeps Streamlit's own placeholder ("Choose options").
    placeholder = tr("Choose options") if current_lang() != DEFAULT else None
    left.multiselect(tr("Districts"), list(district_names), format_func=district_names.get, key="parts",
                     bind="query-params", placeholder=placeholder)
    right.multiselect(tr("Tracts (or click them on the map)"), list(unit_names),
                      format_func=lambda g: f"{unit_names.get(g, g)} ({g})", key="units",
                      bind="query-params", placeholder=placeholder)


def current_area(how: str, period: str) -> OwnArea | None:
    """The area the URL describes for this way of making one, or None (with the reason shown)
    when there is none yet or it cannot be read."""
    try:
        if how == "combine":
            parts = [str(p) for p in st.session_state.get("parts") or []]
            units = [str(u) for u in st.session_state.get("units") or []]
            if not parts and not units:
                st.info(tr("Pick districts or tracts above, or click tracts on the map, to combine "
                           "them."))
                return None
            mine = your_area()
            frames = []
            if parts:
                frames.append(areas.union_of(load(queries.districts_geo), "district_id", parts, mine))
            if units:
                frames.append(areas.union_of(load(queries.unit_shapes, period), "geoid", units, mine))
            combined = gpd.GeoDataFrame(
                {"name": [mine]}, crs=frames[0].crs,
                geometry=[gpd.GeoSeries([f.geometry.iloc[0] for f in frames], crs=frames[0].crs)
                          .union_all()])
            return OwnArea(combined, mine)
        text = st.query_params.get("area")
        if not text:
            st.info(tr("Draw your area on the map with the polygon tool (the pentagon button at its "
                       "top left): click each corner, then the first one again to close it.")
                    if how == "draw" else tr("Upload a file above to see its area's profile."))
            return None
        name = (st.query_params.get("name") or YOUR_AREA)[:120]
        name = your_area() if name == YOUR_AREA else name
        return OwnArea(areas.one_area(areas.decode_area(text), name), name)
    except AreaError as exc:
        st.warning(escape_markdown(areas.said(exc.message, current_lang())), icon=":material/warning:")
        return None


def profile(area: OwnArea, period: str, since: str | None) -> tuple[AreaProfile, pd.DataFrame | None] | None:
    """The area's profile in a period and its changes since the one before (indexed by
    indicator), or None with the reason shown when it cannot be profiled."""
    try:
        made = profiler(period).profile(area.frame)
        moved = (area_changes(profiler(since), profiler(period), area.frame).set_index("indicator_id")
                 if since else None)
    except AreaError as exc:
        st.warning(escape_markdown(areas.said(exc.message, current_lang())), icon=":material/warning:")
        return None
    return made, moved
