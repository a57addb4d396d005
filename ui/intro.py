"""The first visit's three short steps on My neighbourhood (choose your area; read a card; what
the ± and "use with care" mean), which a visitor can dismiss.

Once dismissed they never return in that browser: dismissing sets a cookie (``jc_intro=done``,
one year, this site only) that Streamlit reads when a new session starts
(``st.context.cookies``), and the session remembers it at once. No other cookie is set, and
nothing about the visitor is stored on the server.
"""

from __future__ import annotations

import streamlit as st

from ui.language import tr

COOKIE = "jc_intro"
DONE = "done"
#: How long the browser keeps the choice (a year, in seconds).
KEEP_FOR = 365 * 24 * 3600


def _dismiss() -> None:
    st.session_state["_intro_done"] = True
    st.session_state["_intro_write_cookie"] = True


def dismissed() -> bool:
    """Whether this browser (cookie) or this session has dismissed the steps."""
    return bool(st.session_state.get("_intro_done")) or st.context.cookies.get(COOKIE) == DONE


def first_visit_steps() -> None:
    """The three steps, unless dismissed; on the run after a dismissal, the cookie is written."""
    if st.session_state.pop("_intro_write_cookie", False):
        st.html(f"<script>document.cookie = '{COOKIE}={DONE}; max-age={KEEP_FOR}; path=/; "
                "SameSite=Lax';</script>", unsafe_allow_javascript=True)
    if dismissed():
        return
    with st.container(border=True, key="intro"):
        st.markdown("**" + tr("New here? Three steps to read this page") + "**")
        first, second, third = st.columns(3)
        first.markdown(tr("**1. Choose your area.** Pick your district from the list, type a "
                          "district name or a census tract number, or tap a tract on the map. "
                          "You can also draw or combine your own area."))
        second.markdown(tr("**2. Read a card.** Each card says in one sentence how your area is "
                           "doing, and whether that is higher or lower than the whole region. "
                           "The tabs group the cards by topic."))
        third.markdown(tr("**3. What ± and \"use with care\" mean.** The numbers come from a "
                          "survey, so they are estimates: ± shows how far off one could be. "
                          "\"Use with care\" means that margin is wide, so treat the number as a "
                          "rough guide."))
        st.button(tr("Got it, hide these steps"), key="intro_dismiss", on_click=_dismiss)
