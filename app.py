"""Just Communities Dashboard: the Streamlit entry point and shared frame.

Run with ``streamlit run app.py``. On first run it builds the database from the sample region
(or the region named by ``JC_REGION``), with a progress bar. Every page then reads that
database read-only through :mod:`ui.data`. Each page script's file name is its URL path
(``pages/equity.py`` is ``/equity``; the neighbourhood page is ``/``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators.present import maps
from ui import frame

ROOT = Path(__file__).parent
PAGES = {
    "Residents": [
        st.Page(ROOT / "pages" / "neighbourhood.py", title="My neighbourhood",
                icon=":material/home_pin:", default=True),  # served at "/"
    ],
    "City staff": [
        st.Page(ROOT / "pages" / "compare.py", title="Compare districts", icon=":material/bar_chart:",
                url_path="compare"),
        st.Page(ROOT / "pages" / "equity.py", title="Equity gaps", icon=":material/balance:",
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


# One entry: the assets are copied once per server process.
@st.cache_resource(show_spinner=False, max_entries=1)
def _static_assets() -> bool:
    maps.install_static_assets(ROOT / "static")
    return True


def main() -> None:
    """Frame every page: set-up, first-run build, navigation, sidebar."""
    st.set_page_config(page_title="Just Communities Dashboard", page_icon="🌳", layout="wide")
    _static_assets()
    page = st.navigation(PAGES, position="hidden")
    if not frame.ensure_database():
        return
    with frame.page_boundary("the dashboard frame"):
        frame.sidebar(PAGES)
    page.run()


main()
