"""Just Communities Dashboard: the Streamlit entry point and shared frame.

Run with ``streamlit run app.py``. On first run it builds the database from the sample region
(or the region named by ``JC_REGION``), with a progress bar. Every page then reads that
database read-only through ``pages/common.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators import config, maps
from indicators.problems import InputError
from pages import common

ROOT = Path(__file__).parent
PAGES = {
    "Residents": [
        st.Page(ROOT / "pages" / "neighbourhood.py", title="My neighbourhood",
                icon=":material/home_pin:", default=True),  # served at "/"
    ],
    "City staff": [
        st.Page(ROOT / "pages" / "compare.py", title="Compare districts", icon=":material/bar_chart:",
                url_path="compare"),
        st.Page(ROOT / "pages" / "equity_gaps.py", title="Equity gaps", icon=":material/balance:",
                url_path="equity"),
    ],
    "Funders": [
        st.Page(ROOT / "pages" / "portfolio.py", title="Certification portfolio",
                icon=":material/workspace_premium:", url_path="portfolio"),
        st.Page(ROOT / "pages" / "project.py", title="Project", icon=":material/assignment:",
                url_path="project"),
    ],
    "About": [
        st.Page(ROOT / "pages" / "methodology.py", title="Methodology", icon=":material/menu_book:",
                url_path="methodology"),
        st.Page(ROOT / "pages" / "data.py", title="Data", icon=":material/dataset:", url_path="data"),
    ],
}


@st.cache_resource(show_spinner=False)
def _static_assets() -> bool:
    maps.install_static_assets(ROOT / "static")
    return True


def ensure_database() -> bool:
    """Build the database on first run with a progress bar; explain input errors plainly."""
    path = config.indicators_db()
    if path.exists():
        return True
    from indicators.build import build

    bar = st.progress(0.0, text="Preparing the data for first use (a few seconds)…")
    try:
        build(config.region_dir(), path, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    except InputError as exc:
        bar.empty()
        st.error("The region's data could not be loaded. Nothing was changed. The problems:")
        st.markdown("\n".join(f"- {p}" for p in exc.problems if p.severity == "error"))
        return False
    bar.empty()
    return True


def sidebar() -> None:
    """Region name, data vintages and the sample-data banner, on every page."""
    meta = common.meta()
    layers = common.layers()
    with st.sidebar:
        st.markdown(f"**{meta.get('region_name', '')}**")
        if meta.get("sample") == "true":
            st.warning("**Fictional sample data.** These places, people and projects do not "
                       "exist; they show how the dashboard works.", icon=":material/info:")
        vintages = sorted({v for v in layers["vintage"] if v} - {""})
        st.caption("Data: " + "; ".join(vintages))
        st.caption(f"Built {meta.get('built_at', '')[:10]} · [Methodology](/methodology) · "
                   "[Data and sources](/data)")


def main() -> None:
    """Frame every page: set-up, first-run build, sidebar, navigation."""
    st.set_page_config(page_title="Just Communities Dashboard", page_icon="🌳", layout="wide")
    _static_assets()
    if not ensure_database():
        return
    with common.page_boundary("the dashboard frame"):
        sidebar()
    page = st.navigation(PAGES)
    page.run()


main()
