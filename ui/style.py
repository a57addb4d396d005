"""The app's own stylesheet: the CSS files in ``ui/css/`` (accessibility, phone layout), read
once per server and added to every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

CSS_DIR = Path(__file__).parent / "css"


@st.cache_resource(show_spinner=False, max_entries=1)
def _stylesheet() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CSS_DIR.glob("*.css")))


def apply() -> None:
    """Add the stylesheet to this page (nothing is drawn)."""
    css = _stylesheet()
    if css:
        st.html(f"<style>{css}</style>")
