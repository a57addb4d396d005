"""The editors' part of the Data page: load a file into the region, or restore the previous
database (drawn only for a signed-in editor; visitors see nothing of it).

The work is :mod:`indicators.store.editor_load`, which checks the editor again, refuses with a
sentence and changes nothing on any problem. A successful load or restore swaps the database
file; pages read it through :mod:`ui.data`, whose caches are keyed by the file's version.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators import config
from indicators.certification import accounts
from indicators.certification.checks import RecordError
from indicators.ingest.manifest import PERIOD_ROLES
from indicators.present import queries
from indicators.present.formatting import escape_markdown
from indicators.problems import InputError
from indicators.store import editor_load
from indicators.store.load_checks import SUFFIXES
from ui.data import load, records_db

_DONE = "_data_load_done"
#: File kinds the uploader accepts (each role checks its own again).
_TYPES = sorted({s.lstrip(".") for suffixes in SUFFIXES.values() for s in suffixes})


def load_panel(editor: accounts.Account | None) -> None:
    """The load form and the restore button, for an editor who may write; nothing otherwise."""
    if editor is None:
        return
    st.subheader("Load data (editors)")
    if done := st.session_state.pop(_DONE, None):
        st.success(done[0], icon=":material/check_circle:")
        for warning in done[1]:
            st.warning(warning)
    meta = load(queries.meta)
    region = editor_load.region_of(config.indicators_db())
    st.caption(f"Adds a layer to the region (or replaces its districts), checked as "
               f"`python -m indicators build` checks it, then swaps the database in; the region "
               f"folder now is `{region}` (database built {meta.get('built_at', '')}). Files up to "
               f"{config.max_load_bytes() / 1e6:,.0f} MB and {config.max_load_features():,} features or "
               "rows.")
    _load_form(editor, region)
    _restore(editor)


def _load_form(editor: accounts.Account, region: Path) -> None:
    choices = editor_load.load_choices()
    try:
        periods = editor_load.periods_of(region)
    except InputError:  # the region's manifest is broken: the load itself explains it
        periods = ()
    with st.form("data_load", clear_on_submit=False):
        upload = st.file_uploader("File (zipped shapefile, GeoJSON, GeoPackage, CSV or Census API JSON)",
                                  type=_TYPES, key="data_load_file")
        choice = st.selectbox("What the file is", range(len(choices)),
                              format_func=lambda i: choices[i].label, key="data_load_kind")
        name = st.text_input("Districts only: the column naming each district", value="NAME",
                             key="data_load_name")
        period = (st.selectbox("Census and environmental tables: the period", periods[::-1],
                               key="data_load_period") if periods else None)
        title = st.text_input("Title shown on this page", key="data_load_title")
        a, b = st.columns(2)
        vintage = a.text_input("Vintage (e.g. ACS 2019-2023)", key="data_load_vintage")
        publisher = b.text_input("Publisher", key="data_load_publisher")
        licence = a.text_input("Licence", key="data_load_licence")
        source_url = b.text_input("Source link", key="data_load_source")
        submitted = st.form_submit_button("Check and load")
    if not submitted:
        return
    if upload is None:
        st.error("Choose a file to load first.")
        return
    picked = choices[choice]
    with st.spinner("Checking the file and building the database with it…"):
        try:
            result = editor_load.load_file(
                upload.getvalue(), upload.name, role=picked.role, profile=picked.profile, editor=editor,
                region=region, records_db=records_db(), name=name if picked.role == "districts" else None,
                period=period if picked.role in PERIOD_ROLES else None, title=title, vintage=vintage,
                publisher=publisher, licence=licence, source_url=source_url)
        except editor_load.LoadError as exc:
            _refused(exc)
            return
        except RecordError as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            return
    st.session_state[_DONE] = (f"Loaded {result.file_name} as {picked.label.lower()} in "
                               f"{result.seconds:.1f} s, and swapped the new database in.",
                               result.warnings)
    st.rerun()


def _refused(exc: editor_load.LoadError) -> None:
    st.error(escape_markdown(str(exc)), icon=":material/error:")
    if len(exc.problems) > 1:
        with st.expander(f"All {len(exc.problems)} problems found"):
            st.markdown("\n".join(f"- {escape_markdown(str(p))}" for p in exc.problems))


def _restore(editor: accounts.Account) -> None:
    previous = editor_load.previous_path(config.indicators_db())
    if not previous.exists():
        return
    st.markdown("**Restore the previous database**: puts back the database as it was before the "
                "last load or restore (the current one is kept, so this can be undone).")
    sure = st.checkbox("Yes, restore the previous database", key="data_restore_sure")
    if st.button("Restore", disabled=not sure, key="data_restore"):
        try:
            result = editor_load.restore_previous(editor=editor, records_db=records_db())
        except (editor_load.LoadError, RecordError) as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            return
        st.session_state[_DONE] = (f"Restored the previous database ({result.sha256[:12]}…).", ())
        st.rerun()
