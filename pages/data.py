"""Data (everyone): which layers are loaded, from where and when, and downloads of the database
and of the indicator tables."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from indicators import config
from pages import common

TABLES = {
    "indicator_values": "every indicator for every tract, district and the region",
    "indicator_availability": "which indicators this region has, and why not where not",
    "disparities": "majority people-of-colour vs majority-White areas",
    "segregation": "segregation indices",
    "race_gaps": "Black and White households",
    "layers": "provenance of every file loaded",
}


@st.cache_data(show_spinner=False, max_entries=8)
def parquet_bytes(table: str, version: str) -> bytes:
    """One table as Parquet bytes, cached per database version."""
    buffer = io.BytesIO()
    common.q(f"SELECT * FROM {table}").to_parquet(buffer, index=False)  # table: a constant above
    return buffer.getvalue()


def main() -> None:
    """Provenance of every layer and downloads of the tables and database."""
    meta = common.meta()
    st.title("Data and sources")
    st.write(f"**{meta.get('region_name')}**: {meta.get('description', '')}")
    st.caption(f"Database built {meta.get('built_at', '')}; unit level: "
               f"{meta.get('unit_level', '').replace('_', ' ')}s.")
    layers = common.layers()
    shown = pd.DataFrame({
        "Layer": layers["title"], "Role": layers["role"], "Format": layers["profile"],
        "Vintage": layers["vintage"], "Publisher": layers["publisher"], "Licence": layers["licence"],
        "Rows in file": layers["rows"], "Rows loaded": layers["rows_loaded"], "File": layers["path"],
        "SHA-256": layers["sha256"].str[:12] + "…", "Notes": layers["notes"],
    })
    st.subheader("Layers loaded")
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption("Rows outside the region's tracts are counted but not loaded. The SHA-256 "
               "fingerprint identifies the exact file each number came from.")

    st.subheader("Downloads")
    for table, description in TABLES.items():
        frame = common.q(f"SELECT * FROM {table}")  # table: a constant of this page
        a, b, c = st.columns([3, 1, 1])
        a.markdown(f"**{table}** ({len(frame):,} rows): {description}")
        b.download_button("CSV", lambda f=frame: f.to_csv(index=False), file_name=f"{table}.csv",
                          mime="text/csv", key=f"csv_{table}")
        c.download_button("Parquet", lambda t=table: parquet_bytes(t, common.db_version()),
                          file_name=f"{table}.parquet", mime="application/octet-stream",
                          key=f"parquet_{table}")
    path = config.indicators_db()
    st.download_button(f"Download the whole database (DuckDB, {path.stat().st_size / 1e6:.1f} MB)",
                       path.read_bytes, file_name="indicators.duckdb",
                       mime="application/octet-stream")
    st.caption("Open it read-only with DuckDB (`duckdb.connect('indicators.duckdb', read_only=True)`); "
               "the tables are described in the project's README.")


common.frame_guard()
with common.page_boundary("the data page"):
    main()
