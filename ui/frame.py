"""The frame around every page: the navigation, the first-run build, the sidebar and the error
boundary.

Navigation is drawn by the app itself (``st.page_link`` under section headings in the sidebar)
and Streamlit's own is switched off (``client.showSidebarNavigation = false``): because the page
scripts live in a folder named ``pages/``, Streamlit answers a fresh server's very first request
in its legacy multipage mode, whose navigation lists every file of that folder by file name.
With Streamlit's navigation hidden, that first run shows nothing but the app's own links, and
:func:`frame_guard` hands it to ``app.py`` at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from indicators import config
from indicators.present import queries
from indicators.present.formatting import escape_markdown
from indicators.present.language import long_date
from indicators.problems import InputError
from indicators.store.build import build
from ui.data import load
from ui.language import current_lang, link_params, switch, tr

log = logging.getLogger("dashboard")


def frame_guard() -> None:
    """Make sure the page runs inside ``app.py``'s frame (the first line of every page).

    On a fresh server's very first request Streamlit runs the page script in its legacy
    ``pages/`` mode, without ``app.py`` (no first-run build, no sidebar). Switching that mode
    off and rerunning hands the request to ``app.py``'s ``st.navigation``, which opens the same
    page (pages are found by their URL path, which is the script's file name).
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def ensure_database() -> bool:
    """Build the database on first run with a progress bar; explain input errors plainly."""
    path = config.indicators_db()
    if path.exists():
        return True
    bar = st.progress(0.0, text=tr("Preparing the data for first use (a few seconds)…"))
    try:
        build(config.region_dir(), path, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    except InputError as exc:
        bar.empty()
        st.error(tr("The region's data could not be loaded. Nothing was changed. The problems:"))
        st.markdown("\n".join(f"- {escape_markdown(str(p))}" for p in exc.problems
                              if p.severity == "error"))
        return False
    bar.empty()
    return True


def sidebar(pages: Mapping[str, Sequence[StreamlitPage]]) -> None:
    """Region name, the sample-data banner, the language, the pages by section (each link
    keeps the language), data vintages: on every page (the name and vintages come from the
    region's manifest, so they are escaped)."""
    meta = load(queries.meta)
    layers = load(queries.layers)
    with st.sidebar:
        st.markdown(f"**{escape_markdown(meta.get('region_name', ''))}**")
        if meta.get("sample") == "true":
            st.warning(tr("**Fictional sample data.** These places, people and projects do not "
                          "exist; they show how the dashboard works."), icon=":material/info:")
        switch()
        keep = link_params()
        for section, members in pages.items():
            st.caption(section)
            for page in members:
                st.page_link(page, query_params=keep or None)
        vintages = sorted({v for v in layers["vintage"] if v})
        st.caption(tr("Data: {vintages}", vintages="; ".join(escape_markdown(v) for v in vintages)))
        st.caption(tr("Built {date}", date=built_on(meta.get("built_at", ""))))


def built_on(stamp: str) -> str:
    """When the data were built, as the reader's language writes a date (the stamp as written
    when it is not an ISO date)."""
    try:
        return long_date(date.fromisoformat(stamp[:10]), current_lang())
    except ValueError:
        return stamp[:10]


@contextmanager
def page_boundary(what: str = "this page") -> Iterator[None]:
    """Catch any unexpected error at the page boundary: the user gets a plain explanation,
    the server log gets the traceback. Streamlit's own stop/rerun signals pass through."""
    try:
        yield
    except Exception:
        log.exception("error while drawing %s", what)
        st.error(tr(
            "Sorry, {what} could not be shown because of an unexpected problem. The data are "
            "safe and unchanged; reloading the page usually helps. If it keeps happening, please "
            "tell the dashboard's maintainers (the details are in the server's log).", what=what,
        ), icon="⚠️")
