"""The editor's forms on the Accredited Practitioners page (only drawn for a signed-in editor who
may write): choose a practitioner, record a CE activity or a renewal, see their CE log.

Each form writes through :mod:`indicators.certification.practitioner_writes` with the
practitioner ``version`` the editor saw when the page was drawn, so a change made meanwhile by
someone else is refused with a clear message instead of being overwritten. Every write is one
transaction plus an audit-log entry; a refusal is shown as its sentence and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from indicators.certification import accounts, practitioner_writes
from indicators.certification.credentials import CE_CATEGORIES
from indicators.certification.directory import ce_activities
from indicators.certification.writes import WriteResult
from indicators.present import practitioners
from indicators.present.formatting import escape_markdown
from ui.data import records_db
from ui.saving import save


def seen_version_key(practitioner_id: str) -> str:
    """Session key holding the practitioner version shown to the editor."""
    return f"seen_ap_version_{practitioner_id}"


def _save(write: Callable[..., WriteResult], practitioner_id: str, editor: accounts.Account,
          **fields: object) -> None:
    """One write with the version of the practitioner's record the editor saw (:func:`ui.saving.save`)."""
    save(write, practitioner_id, editor, version_key=seen_version_key(practitioner_id),
         saved_key="_ap_saved", **fields)


def editor_tools(directory: pd.DataFrame, editor: accounts.Account) -> None:
    """The chooser (every practitioner, listed or not), the two forms and the chosen one's CE
    log; ``directory`` read with ``show_private``."""
    st.subheader("Update a practitioner's record")
    if st.session_state.get("_ap_saved"):
        st.success(st.session_state.pop("_ap_saved"), icon=":material/check_circle:")
    choices = practitioners.practitioner_choices(directory)
    if not choices:
        st.caption("No practitioner is recorded yet.")
        return
    pid = st.selectbox("Practitioner", list(choices), format_func=choices.get, key="ap_chosen")
    version = int(directory.set_index("practitioner_id").loc[pid, "version"])
    key = seen_version_key(pid)
    st.session_state.setdefault(key, version)  # a save uses the version shown in the previous run
    ce, renewal = st.tabs(["Record a CE activity", "Record a renewal"])
    with ce, st.form(f"ce_{pid}", clear_on_submit=True):
        st.markdown("### Record a CE activity")
        title = st.text_input("Activity title")
        provider = st.text_input("Provider")
        category = st.selectbox("Category", CE_CATEGORIES)
        hours = st.number_input("Hours", min_value=0.0, value=0.0, step=0.5)
        done_on = st.date_input("Done on", value=date.today(), format="YYYY-MM-DD")
        evidence = st.text_input("Evidence link (https://...)")
        if st.form_submit_button("Record CE activity"):
            _save(practitioner_writes.record_ce_activity, pid, editor, title=title, provider=provider or None,
                  category=category, hours=hours, done_on=done_on, evidence_url=evidence or None)
    with renewal, st.form(f"renewal_{pid}", clear_on_submit=True):
        st.markdown("### Record a renewal")
        st.caption("A renewal needs at least 30 CE hours in the current cycle, on or before the "
                   "expiry; the new cycle runs two years from the renewal date.")
        renewed_on = st.date_input("Renewed on", value=date.today(), format="YYYY-MM-DD")
        if st.form_submit_button("Record renewal"):
            _save(practitioner_writes.record_renewal, pid, editor, renewed_on=renewed_on)
    st.session_state[key] = version  # what this run shows
    log = ce_activities(pid, records_db(), show_private=True)
    st.markdown(f"### CE log of {escape_markdown(choices[pid])}")
    if log.empty:
        st.caption("No CE activity recorded.")
    else:
        st.dataframe(practitioners.ce_log_table(log), hide_index=True, width="stretch",
                     column_config={"Evidence": st.column_config.LinkColumn(display_text="open")})
