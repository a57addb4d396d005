"""What every page shares: the cached read-only database connection, cached queries, the error
boundary, and a few widgets. Pages import from here; nothing here computes an indicator.

Session state keys used across pages (all bound to the URL where they are widgets):
``district`` (Neighbourhood), ``districts`` and ``indicator`` (Compare), ``holc`` (map overlay).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import streamlit as st

from indicators import config, maps, records, store
from indicators.registry import BY_ID, INDICATORS, Indicator

log = logging.getLogger("dashboard")


# --------------------------------------------------------------------------------------------
# Database: one read-only connection per process and database version, a cursor per query
# --------------------------------------------------------------------------------------------


def db_version() -> str:
    """Identifies the database file's current build (its path and modification time), so that
    caches refresh when ``build`` swaps in a new file."""
    path = config.indicators_db()
    return f"{path}|{path.stat().st_mtime_ns}"


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return store.connect_readonly(Path(version.split("|")[0]))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared read-only connection (cursors are safe across sessions' threads)."""
    return _connection(db_version()).cursor()


@st.cache_data(show_spinner=False, max_entries=256)
def query(sql: str, params: tuple = (), version: str = "") -> pd.DataFrame:
    """Run a parameterised query (``sql`` is a constant of the calling code; values go in
    ``params``) and cache the result per database version."""
    return cursor().execute(sql, list(params)).df()


def q(sql: str, *params: object) -> pd.DataFrame:
    """:func:`query` on the current database version."""
    return query(sql, tuple(params), db_version())


def meta() -> dict[str, str]:
    """The database's ``meta`` table."""
    frame = q("SELECT key, value FROM meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def districts() -> pd.DataFrame:
    """district_id and name, by name."""
    return q("SELECT district_id, name FROM districts ORDER BY name")


def district_names() -> dict[str, str]:
    """district_id -> name, in name order."""
    frame = districts()
    return dict(zip(frame["district_id"], frame["name"], strict=True))


def place() -> str:
    """How sentences name the whole region ("Across Sample City ...")."""
    info = meta()
    return info.get("place_label") or info.get("region_name") or "the region"


def values(kind: str) -> pd.DataFrame:
    """``indicator_values`` of one geography kind (unit, district or region)."""
    return q("SELECT * FROM indicator_values WHERE geo_kind = ?", kind)


def availability() -> pd.DataFrame:
    """``indicator_availability`` indexed by indicator id."""
    return q("SELECT * FROM indicator_availability").set_index("indicator_id")


def layers() -> pd.DataFrame:
    """The provenance table."""
    return q("SELECT * FROM layers ORDER BY layer_id")


def source_lines() -> dict[int, str]:
    """layer_id -> "Source: title, vintage" for captions (publisher and licence: Data page)."""
    frame = layers()
    return {int(r.layer_id): f"Source: {r.title}, {r.vintage}" for r in frame.itertuples()}


def available_indicators() -> list[Indicator]:
    """Registry indicators this region has values for, in registry order."""
    have = availability()
    return [i for i in INDICATORS if i.id in have.index and bool(have.loc[i.id, "available"])]


# --------------------------------------------------------------------------------------------
# Geometry for maps (cached per database version; light GeoJSON)
# --------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _map_layers(version: str) -> dict[str, object]:
    con = cursor()
    covered = con.execute("SELECT DISTINCT geoid FROM crosswalk").df()["geoid"]
    units = store.read_geo(con, "units", "geoid, name")
    units = units[units["geoid"].isin(covered)]
    dists = store.read_geo(con, "districts", "district_id, name")
    holc = store.read_geo(con, "overlays", "category, label", "WHERE kind = ?", ["holc"])
    holc["grade"] = "Grade " + holc["category"].where(holc["category"] != "", "none")
    bounds = tuple(float(b) for b in dists.total_bounds)
    return {
        "units": maps.light_geojson(units, ["geoid", "name"], tolerance_m=12),
        "districts": maps.light_geojson(dists, ["district_id", "name"], tolerance_m=12),
        "holc": maps.light_geojson(holc, ["category", "label", "grade"], tolerance_m=8)
        if len(holc) else None,
        "bounds": bounds,
        "district_bounds": {d: tuple(float(b) for b in g.bounds)
                            for d, g in zip(dists["district_id"], dists.geometry, strict=True)},
        "district_centres": {d: (float(p.x), float(p.y)) for d, p in
                             zip(dists["district_id"], dists.representative_point(), strict=True)},
        "unit_ids": units["geoid"].tolist(),
    }


def map_layers() -> dict[str, object]:
    """Light GeoJSON of the region's units, the districts and the HOLC zones, and the bounds."""
    return _map_layers(db_version())


def base_map() -> object:
    """The folium map frame (no layers) for a page; indicator layers are swapped in with
    ``st_folium(feature_group_to_add=...)``.

    A fresh object every run, on purpose: ``st_folium`` adds the feature groups it is given to
    the map object, so a map cached across runs would carry the previous run's layers into its
    script (where they no longer exist) and fail to draw. Its script is the same every run for
    the same data (st_folium normalises the generated ids), so the browser keeps the map it has
    and only the layers change: the map is built once per data state where it matters, in the
    browser.
    """
    return maps.offline_map(map_layers()["bounds"])


@st.cache_resource(show_spinner=False)
def _seeded(region: str, db: str) -> bool:
    if not Path(db).exists() and not Path(region).exists():
        raise records.RecordError(f"The region folder {region} is not available here, so its "
                                  "certification records cannot be set up; set JC_REGION to it.")
    return records.seed_if_absent(Path(region), Path(db))


def records_db() -> Path:
    """The certification records database, created from the region's certification file the
    first time it is needed (never touched by ``build``, never overwritten)."""
    db = config.certification_db()
    manifest = meta().get("manifest_path", "")
    _seeded(str(Path(manifest).parent) if manifest else str(config.region_dir()), str(db))
    return db


def districts_geo() -> gpd.GeoDataFrame:
    """District polygons (for exports)."""
    return store.read_geo(cursor(), "districts", "district_id, name")


# --------------------------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------------------------


def frame_guard() -> None:
    """Make sure the page runs inside ``app.py``'s frame.

    Because the page scripts live in a folder named ``pages/``, Streamlit answers a fresh
    server's very first request for a page URL in its legacy multipage mode, running the page
    without ``app.py`` (no first-run build, no sidebar). Switching that mode off and rerunning
    hands the request to ``app.py``'s ``st.navigation``, which opens the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@contextmanager
def page_boundary(what: str = "this page") -> Iterator[None]:
    """Catch any unexpected error at the page boundary: the user gets a plain explanation,
    the server log gets the traceback. Streamlit's own stop/rerun signals pass through."""
    try:
        yield
    except Exception:
        log.exception("error while drawing %s", what)
        st.error(
            f"Sorry, {what} could not be shown because of an unexpected problem. The data are "
            "safe and unchanged; reloading the page usually helps. If it keeps happening, please "
            "tell the dashboard's maintainers (the details are in the server's log).",
            icon="⚠️",
        )


def indicator_select(label: str, key: str, options: list[Indicator], default: str,
                     bind: bool = True) -> Indicator:
    """A selectbox of indicators (by id, shown by label and commitment), bound to the URL."""
    ids = [i.id for i in options]
    index = ids.index(default) if default in ids else 0
    chosen = st.selectbox(
        label, ids, index=index, key=key, format_func=lambda i: BY_ID[i].label,
        bind="query-params" if bind else None,
    )
    return BY_ID[chosen or ids[index]]


def legend(entries: tuple[tuple[str, str], ...], title: str) -> None:
    """A map legend drawn by Streamlit (no map JavaScript needed)."""
    swatches = "".join(
        f"<span style='display:inline-block;margin:2px 10px 2px 0;white-space:nowrap'>"
        f"<span style='display:inline-block;width:14px;height:14px;background:{colour};"
        f"border:1px solid #999;vertical-align:middle;margin-right:4px'></span>{text}</span>"
        for text, colour in entries)
    st.markdown(f"<div style='font-size:0.9rem'><b>{title}</b><br>{swatches}</div>",
                unsafe_allow_html=True)
