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
from streamlit.navigation.page import StreamlitPage

from indicators.present import maps
from indicators.present.language import t
from ui import frame, language, style

ROOT = Path(__file__).parent
#: The URL paths of the pages written in Spanish too (the others say they are in English only).
IN_SPANISH = frozenset({"", "methodology"})


def pages(lang: str) -> dict[str, list[StreamlitPage]]:
    """The navigation in ``lang``: sections and page titles translated, URLs never."""
    return {
        t("Residents", lang): [
            st.Page(ROOT / "pages" / "neighbourhood.py", title=t("My neighbourhood", lang),
                    icon=":material/home_pin:", default=True),  # served at "/"
        ],
        t("City staff", lang): [
            st.Page(ROOT / "pages" / "compare.py", title=t("Compare districts", lang),
                    icon=":material/bar_chart:", url_path="compare"),
            st.Page(ROOT / "pages" / "equity.py", title=t("Equity gaps", lang),
                    icon=":material/balance:", url_path="equity"),
        ],
        t("Funders", lang): [
            st.Page(ROOT / "pages" / "portfolio.py", title=t("Certification portfolio", lang),
                    icon=":material/workspace_premium:", url_path="portfolio"),
            st.Page(ROOT / "pages" / "project.py", title=t("Project", lang),
                    icon=":material/assignment:", url_path="project"),
            st.Page(ROOT / "pages" / "practitioners.py", title=t("Accredited Practitioners", lang),
                    icon=":material/badge:", url_path="practitioners"),
        ],
        t("About", lang): [
            st.Page(ROOT / "pages" / "methodology.py", title=t("Methodology", lang),
                    icon=":material/menu_book:", url_path="methodology"),
            st.Page(ROOT / "pages" / "learn.py", title=t("Learn the Framework", lang),
                    icon=":material/school:", url_path="learn"),
            st.Page(ROOT / "pages" / "data.py", title=t("Data", lang), icon=":material/dataset:",
                    url_path="data"),
        ],
    }


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
