"""Data (everyone): which layers are loaded, from where and when, and downloads of the database
and of the indicator tables; signed-in editors also load files and restore the previous database."""

from __future__ import annotations

import io

import streamlit as st

from indicators import config
from indicators.present import queries, tables
from indicators.present.formatting import escape_markdown
from ui import data_fetch, data_load, frame
from ui.data import load, uncached
from ui.editor import current_editor, sign_in_box


def parquet_bytes(table: str) -> bytes:
    """One downloadable table as Parquet bytes, made when the button is pressed."""
    buffer = io.BytesIO()
    uncached(queries.download_table, table).to_parquet(buffer, index=False)
    return buffer.getvalue()


def main() -> None:
    """Provenance of every layer, downloads of the tables and database, and editors' loads."""
    sign_in_box()
    meta = load(queries.meta)
    st.title("Data and sources")
    st.write(f"**{escape_markdown(meta.get('region_name', ''))}**: "
             f"{escape_markdown(meta.get('description', ''))}")
    st.caption(f"Database built {meta.get('built_at', '')}; unit level: "
               f"{meta.get('unit_level', '').replace('_', ' ')}s.")
    st.header("Layers loaded")  # h2 under the title (h1): headings go down one level at a time
    st.dataframe(tables.layers_view(load(queries.layers)), hide_index=True, width="stretch")
    st.caption("Rows outside the region's tracts are counted but not loaded. The SHA-256 "
               "fingerprint identifies the exact file each number came from.")

    st.header("Downloads")
    sizes = load(queries.download_sizes)
    for table, description in queries.DOWNLOAD_TABLES.items():
        a, b, c = st.columns([3, 1, 1])
        a.markdown(f"**{table}** ({sizes[table]:,} rows): {description}")
        b.download_button("CSV", lambda t=table: tables.csv_text(uncached(queries.download_table, t)),
                          file_name=f"{table}.csv", mime="text/csv", key=f"csv_{table}")
        c.download_button("Parquet", lambda t=table: parquet_bytes(t), file_name=f"{table}.parquet",
                          mime="application/octet-stream", key=f"parquet_{table}")
    path = config.indicators_db()
    st.download_button(f"Download the whole database (DuckDB, {path.stat().st_size / 1e6:.1f} MB)",
                       path.read_bytes, file_name="indicators.duckdb",
                       mime="application/octet-stream")
    st.caption("Open it read-only with DuckDB (`duckdb.connect('indicators.duckdb', read_only=True)`); "
               "the tables are described in the project's README.")
    data_load.load_panel(current_editor(writing=True))
    data_fetch.fetch_panel(current_editor(writing=True))


frame.frame_guard()
with frame.page_boundary("the data page"):
    main()
