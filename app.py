"""Just Communities Dashboard: the Streamlit entry point and shared frame.

Run with ``streamlit run app.py``. On first run it builds the database from the sample region
(or the region named by ``JC_REGION``), with a progress bar. Every page then reads that
database read-only through :mod:`ui.data`. Each page script's file name is its URL path
(``pages/equity.py`` is ``/equity``; the neighbourhood page is ``/``). Page titles and sections
are in the reader's language (``?lang=es`` for Spanish, see :mod:`ui.language`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators.present import maps
from ui import frame, language, style
from ui.navigation import IN_SPANISH, pages

ROOT = Path(__file__).parent


# One entry: the assets are copied once per server process.
@st.cache_resource(show_spinner=False, max_entries=1)
def _static_assets() -> bool:
    maps.install_static_assets(ROOT / "static")
    return True


def main() -> None:
    """Frame every page: set-up, language, first-run build, navigation, sidebar."""
    st.set_page_config(page_title="Just Communities Dashboard", page_icon="🌳", layout="wide")
    _static_assets()
    lang = language.current()
    navigation = pages(lang)
    page = st.navigation(navigation, position="hidden")
    style.apply()
    if not frame.ensure_database():
        return
    with frame.page_boundary("the dashboard frame"):
        frame.sidebar(navigation)
    language.mark_document(translated=page.url_path in IN_SPANISH)
    page.run()


main()
