"""The app's navigation: its sections and pages, titled in the reader's language.

Each page script's file name is its URL path (``pages/equity.py`` is ``/equity``; the
neighbourhood page is ``/``); titles and sections are translated, URLs never are.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from indicators.present.language import t

ROOT = Path(__file__).resolve().parents[1]
#: Section -> (script, title, icon, URL path); the first page is served at "/".
LAYOUT = {
    "Residents": [("neighbourhood.py", "My neighbourhood", ":material/home_pin:", "")],
    "City staff": [("compare.py", "Compare districts", ":material/bar_chart:", "compare"),
                   ("equity.py", "Equity gaps", ":material/balance:", "equity")],
    "Funders": [("portfolio.py", "Certification portfolio", ":material/workspace_premium:",
                 "portfolio"),
                ("project.py", "Project", ":material/assignment:", "project")],
    "About": [("methodology.py", "Methodology", ":material/menu_book:", "methodology"),
              ("data.py", "Data", ":material/dataset:", "data")],
}


#: The URL paths of the pages written in Spanish too (the others say they are in English only).
IN_SPANISH = frozenset({"", "methodology"})


def pages(lang: str) -> dict[str, list[StreamlitPage]]:
    """The navigation in ``lang``: sections and page titles translated, URLs the same."""
    return {
        t(section, lang): [
            st.Page(ROOT / "pages" / script, title=t(title, lang), icon=icon,
                    url_path=path or None, default=not path)
            for script, title, icon, path in members
        ]
        for section, members in LAYOUT.items()
    }
