"""The editors' fetch on the Data page: a region from the publishers (state, counties, year),
built and swapped in (drawn only for a signed-in editor; visitors see nothing of it).

The work is :mod:`indicators.store.editor_fetch`, which checks the editor again and changes
nothing on any problem; this panel draws the form and two progress bars (this file, all files).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from indicators.certification import accounts
from indicators.certification.checks import RecordError
from indicators.ingest.fetch_plan import FetchRequest
from indicators.ingest.fetch_region import FetchEvent, Progress
from indicators.ingest.publishers import DEFAULT_YEAR, FIRST_YEAR
from indicators.ingest.states import STATES
from indicators.present.formatting import escape_markdown
from indicators.store import editor_fetch, editor_load
from ui.data import records_db

_DONE = "_data_fetch_done"
_GEORGIA = next(i for i, s in enumerate(STATES) if s.abbr == "GA")


def fetch_panel(editor: accounts.Account | None) -> None:
    """The fetch form, for an editor who may write; nothing otherwise."""
    if editor is None:
        return
    st.subheader("Fetch a region from the publishers (editors)")
    if done := st.session_state.pop(_DONE, None):
        st.success(escape_markdown(done[0]), icon=":material/check_circle:")
        for warning in done[1]:
            st.warning(escape_markdown(warning))
    st.caption("Downloads a state's counties from the publishers themselves: the Census Bureau's "
               "census tracts, the ACS 5-year estimates through the Census Data API, CDC/ATSDR SVI "
               "and CDC PLACES; the counties become the districts. The current database is replaced "
               "only when every file has downloaded and the region has built; the previous one is "
               "kept, so it can be restored. A second fetch downloads only the files that changed.")
    with st.form("data_fetch", clear_on_submit=False):
        state = st.selectbox("State", STATES, index=_GEORGIA, format_func=lambda s: s.name,
                             key="data_fetch_state")
        counties = st.text_input("Counties, separated by commas (e.g. Fulton, DeKalb)",
                                 key="data_fetch_counties")
        year = st.number_input("ACS 5-year estimates ending in", min_value=FIRST_YEAR,
                               max_value=DEFAULT_YEAR + 1, value=DEFAULT_YEAR, step=1,
                               key="data_fetch_year")
        submitted = st.form_submit_button("Fetch and build")
    if submitted:
        _fetch(editor, FetchRequest(state.abbr, _counties(counties), int(year)))


def _counties(text: str) -> tuple[str, ...]:
    """The counties typed, without blanks."""
    return tuple(part.strip() for part in str(text or "").split(",") if part.strip())


def _fetch(editor: accounts.Account, request: FetchRequest) -> None:
    if not request.counties:
        st.error("Type at least one county first (for example Fulton, DeKalb).", icon=":material/error:")
        return
    with st.status("Fetching the region from the publishers…", expanded=True) as status:
        this_file = st.progress(0.0, text="Starting…")
        all_files = st.progress(0.0, text="All files")
        try:
            result = editor_fetch.fetch_and_load(request, editor=editor, records_db=records_db(),
                                                 progress=_progress(this_file, all_files))
        except editor_load.LoadError as exc:
            status.update(label="Nothing was changed", state="error")
            _refused(exc)
            return
        except RecordError as exc:
            status.update(label="Nothing was changed", state="error")
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            return
        status.update(label="Fetched, built and swapped in", state="complete")
    st.session_state[_DONE] = (result.summary, result.warnings)
    st.rerun()


def _progress(this_file: DeltaGenerator, all_files: DeltaGenerator) -> Progress:
    """The fetch's progress callback, drawing the two bars."""
    def show(event: FetchEvent) -> None:
        size = f", {event.done / 1e6:,.1f} MB" if event.done else ""
        part = (1.0 if event.finished else min(event.done / event.total, 1.0) if event.total else 0.0)
        label = f"File {event.index} of {event.files}: {event.name}{size}"
        this_file.progress(part, text=escape_markdown(label))
        whole = min(((event.index - 1) + part) / event.files, 1.0) if event.files else 0.0
        last = event.finished and event.index == event.files
        all_files.progress(whole, text="All files downloaded; building the database from them…" if last
                           else f"All files: {whole:.0%}")
    return show


def _refused(exc: editor_load.LoadError) -> None:
    st.error(escape_markdown(str(exc)), icon=":material/error:")
    if len(exc.problems) > 1:
        with st.expander(f"All {len(exc.problems)} problems found"):
            st.markdown("\n".join(f"- {escape_markdown(str(p))}" for p in exc.problems))
