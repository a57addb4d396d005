"""The reader's language: chosen in the sidebar, carried in the URL (``?lang=es``) and
remembered for the session, so a shared link opens in the language it was sent in and moving
between pages keeps it.

Texts are translated by :func:`indicators.present.language.t`; :func:`tr` here is the same with
the current language filled in, for page code.
"""

from __future__ import annotations

import html
from contextlib import suppress

import streamlit as st
from streamlit.errors import StreamlitAPIException

from indicators.present.language import DEFAULT, LANGUAGES, language, relabel, t

KEY = "lang"


def current() -> str:
    """The language of this run: the URL's ``lang`` when it names one, else the session's
    choice, else English. The URL is kept in step with it (``lang`` only when not English), and
    the choices it holds are written in that language (see
    :func:`~indicators.present.language.relabel`)."""
    asked = st.query_params.get(KEY)
    lang = language(asked) if asked else st.session_state.get(KEY, DEFAULT)
    st.session_state[KEY] = lang
    for name in list(st.query_params):
        values = st.query_params.get_all(name)
        moved = [relabel(v, lang) for v in values]
        if name != KEY and moved != values:
            with suppress(StreamlitAPIException):  # bound to a chooser: _switch kept its choice
                st.query_params[name] = moved if len(moved) > 1 else moved[0]
    if lang != DEFAULT and st.query_params.get(KEY) != lang:
        st.query_params[KEY] = lang
    elif lang == DEFAULT and KEY in st.query_params:
        del st.query_params[KEY]
    return lang


def current_lang() -> str:
    """The language this run shows (after :func:`current` has read the URL)."""
    return st.session_state.get(KEY, DEFAULT)


def tr(text: str, /, **values: object) -> str:
    """``text`` in the current language (see :func:`indicators.present.language.t`)."""
    return t(text, st.session_state.get(KEY, DEFAULT), **values)


def link_params() -> dict[str, str]:
    """What a link to another page carries so that it opens in the same language."""
    lang = st.session_state.get(KEY, DEFAULT)
    return {KEY: lang} if lang != DEFAULT else {}


def _switch() -> None:
    chosen = st.session_state.get("_lang_choice")
    if chosen not in LANGUAGES:  # clicking the chosen language again clears the control
        return
    st.session_state[KEY] = chosen
    # A chooser bound to the URL sends back the label it showed; keep each choice as its value
    # so that the rerun shows (and links) it in the new language.
    for name in list(st.query_params):
        if name == KEY or name not in st.session_state:
            continue
        with suppress(StreamlitAPIException):  # not a chooser whose value can be set (a button)
            st.session_state[name] = st.session_state[name]
    if st.session_state[KEY] == DEFAULT:
        st.query_params.pop(KEY, None)
    else:
        st.query_params[KEY] = st.session_state[KEY]


def switch() -> None:
    """The language chooser (each language named in itself)."""
    lang = st.session_state.get(KEY, DEFAULT)
    st.session_state["_lang_choice"] = lang
    st.segmented_control("Language · Idioma", list(LANGUAGES), format_func=LANGUAGES.get,
                         key="_lang_choice", on_change=_switch, selection_mode="single")


def mark_document(translated: bool = True) -> None:
    """Set the page's ``lang`` attribute (Streamlit writes ``<html lang="en">``), so a screen
    reader reads Spanish pages with a Spanish voice. A page not ``translated`` keeps English
    for its content, its sidebar (in Spanish) is marked Spanish, and the page says so."""
    lang = st.session_state.get(KEY, DEFAULT)
    content = lang if translated else DEFAULT
    st.html("<script>(() => { document.documentElement.lang = " + repr(content) + ";"
            "const bar = document.querySelector('[data-testid=\"stSidebar\"]');"
            "if (bar) { bar.lang = " + repr(lang) + "; } })();</script>", unsafe_allow_javascript=True)
    if not translated and lang != DEFAULT:
        st.caption(f"<span lang='{lang}'>{html.escape(tr('This page is in English only for now.'))}</span>",
                   unsafe_allow_html=True)
