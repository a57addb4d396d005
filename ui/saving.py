"""One editor's write from a form: sent with the record version the editor saw, its outcome said
in plain words (used by the Project and the Accredited Practitioners pages' forms).

A change someone else made meanwhile is refused by the write (its
:class:`~indicators.certification.checks.ConflictError` says whose record); a refusal
(:class:`~indicators.certification.checks.RecordError`) is shown as its sentence; either way
nothing was written. A success is kept in the session for the page to show after its rerun.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.writes import WriteResult
from indicators.present.formatting import escape_markdown
from ui.data import records_db


def save(write: Callable[..., WriteResult], record_id: str, editor: object, *, version_key: str,
         saved_key: str, **fields: object) -> None:
    """Run ``write(record_id, editor=..., version=<seen>, db=..., **fields)``; on success keep the
    new version under ``version_key`` and a sentence under ``saved_key``, then rerun."""
    try:
        result = write(record_id, editor=editor, version=st.session_state.get(version_key),
                       db=records_db(), **fields)
    except ConflictError as exc:
        st.warning(f"{escape_markdown(str(exc))} Your entry was not saved.", icon=":material/sync_problem:")
        return
    except RecordError as exc:
        st.error(f"Not saved: {escape_markdown(str(exc))}", icon=":material/error:")
        return
    st.session_state[version_key] = result.version
    st.session_state[saved_key] = f"Saved to {result.table} (record {result.record_id})."
    st.rerun()
