"""Just Communities Dashboard: the Streamlit entry point.

Run with ``streamlit run app.py``. On first run it builds the sample database from
``data/sample`` (or the region named by ``JC_REGION``), with a progress bar.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from indicators import config, maps, store
from indicators.problems import InputError

st.set_page_config(page_title="Just Communities Dashboard", page_icon="🌳", layout="wide")


def ensure_database() -> Path:
    """Build the database on first run, showing progress; explain input errors plainly."""
    path = config.indicators_db()
    if path.exists():
        return path
    from indicators.build import build

    bar = st.progress(0.0, text="Preparing the data for first use…")
    try:
        build(config.region_dir(), path, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    except InputError as exc:
        bar.empty()
        st.error("The region's data could not be loaded:")
        st.markdown("\n".join(f"- {p}" for p in exc.problems if p.severity == "error"))
        st.stop()
    bar.empty()
    return path


@st.cache_resource
def connection(path: str, mtime: float):  # noqa: ANN201
    """One read-only connection per database file version (rebuilt files are reopened)."""
    return store.connect_readonly(Path(path))


def main() -> None:
    """Draw the region overview: name, districts map and layer provenance."""
    maps.install_static_assets(Path(__file__).parent / "static")
    path = ensure_database()
    con = connection(str(path), path.stat().st_mtime).cursor()
    meta = store.meta(con)
    layers = con.execute(
        "SELECT title, role, vintage, publisher, licence, rows, rows_loaded, path, sha256, notes "
        "FROM layers ORDER BY layer_id").df()
    with st.sidebar:
        st.markdown(f"### {meta['region_name']}")
        if meta.get("sample") == "true":
            st.warning("Fictional sample data: these places and people do not exist.", icon="ℹ️")
        st.caption("Data vintages: " + "; ".join(sorted(set(layers["vintage"]) - {""})))
    st.title(meta["region_name"])
    st.write(meta.get("description", ""))
    districts = store.read_geo(con, "districts", "district_id, name")
    fmap = maps.offline_map(tuple(districts.total_bounds))
    maps.outline_layer(maps.light_geojson(districts, ["name"]), "Districts", "name").add_to(fmap)
    st.subheader(f"{len(districts)} districts")
    st_folium(fmap, height=420, use_container_width=True, returned_objects=[])
    st.subheader("Layers loaded, with their provenance")
    st.dataframe(pd.DataFrame(layers), hide_index=True, width="stretch")


main()
