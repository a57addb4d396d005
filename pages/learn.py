"""Learn the Framework (everyone; the Accredited Practitioners' study guide): the Pillars and
Commitments with the indicators measuring each and the loaded region's figures beside them, the
certification stages with what each requires and when it is due, and how to read a number with
the region's own examples. Everything is generated (:mod:`indicators.present.learn`); English only."""

from __future__ import annotations

import streamlit as st

from indicators.present import queries
from ui import frame
from ui.data import load


def main() -> None:
    """Draw the generated study guide: the h1, an h2 per part and an h3 per item."""
    content = load(queries.learn_content)
    st.title("Learn the Framework")
    st.markdown(content.intro)
    for part in content.parts:
        st.header(part.heading)
        if part.intro:
            st.markdown(part.intro)
        for section in part.sections:
            st.subheader(section.heading)
            st.markdown(section.body)
    st.caption("Earlier standards, for projects registered under them:")
    for title, stages in content.other_standards:
        with st.expander(title):
            st.markdown("\n\n".join(f"**{s.heading}.** {s.body}" for s in stages))


frame.frame_guard()
with frame.page_boundary("the Learn page"):
    main()
