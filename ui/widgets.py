"""Widgets several pages use: the indicator chooser, a map legend, the certification status date."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from indicators.certification import records
from indicators.certification.backends import Location
from indicators.metrics.registry import BY_ID, Indicator
from indicators.present import queries
from indicators.present.language import long_date
from indicators.present.map_layers import Legend
from ui.data import load
from ui.language import current_lang, tr


def indicator_select(label: str, key: str, options: list[Indicator], default: str,
                     bind: bool = True) -> Indicator:
    """A selectbox of indicators (by id, shown by label in the reader's language), bound to the URL."""
    ids = [i.id for i in options]
    index = ids.index(default) if default in ids else 0
    lang = current_lang()
    chosen = st.selectbox(
        label, ids, index=index, key=key, format_func=lambda i: BY_ID[i].label_in(lang),
        bind="query-params" if bind else None,
    )
    return BY_ID[chosen or ids[index]]


def legend(entries: Legend) -> None:
    """A map legend drawn by Streamlit (no map JavaScript needed): its title, then a swatch and
    the range of values for each class."""
    swatches = "".join(
        f"<span style='display:inline-block;margin:2px 10px 2px 0;white-space:nowrap'>"
        f"<span style='display:inline-block;width:14px;height:14px;background:{colour};"
        f"border:1px solid #767676;vertical-align:middle;margin-right:4px'></span>"
        f"{html.escape(text)}</span>"
        for text, colour in entries.entries)
    st.markdown(f"<div style='font-size:0.9rem'><b>{html.escape(entries.title)}</b><br>{swatches}</div>",
                unsafe_allow_html=True)


def status_date(db_path: Location) -> date:
    """The "Status as of" date, bound to the URL (``as_of``); it opens on
    :func:`indicators.certification.records.status_date` (the sample's reference date for the
    fictional records, else today) and says which date it shows. ``db_path``: the records
    location (a DuckDB file or a PostgreSQL URL)."""
    default = records.status_date(date.today(), db_path)
    chosen = st.date_input(tr("Status as of"), value=default.day, key="as_of", bind="query-params",
                           format="YYYY-MM-DD")
    shown = long_date(chosen, current_lang())
    if chosen == default.day and default.reason != "today":
        st.caption(tr("Shown as of {date}, {reason}; choose another date above.", date=shown,
                      reason=default.reason))
    else:
        st.caption(tr("Shown as of {date}.", date=shown))
    return chosen


def period_select(periods: tuple[str, ...], label: str = "", key: str = "period") -> str:
    """The period a page shows, bound to the URL (``period``); the latest by default. A region
    with one period shows no chooser."""
    if len(periods) < 2:
        return periods[-1]
    chosen = st.selectbox(label or tr("Period"), list(periods), index=len(periods) - 1, key=key,
                          bind="query-params", help=tr("The ACS 5-year period the numbers describe."))
    return chosen or periods[-1]


def change_pair_select(periods: tuple[str, ...]) -> tuple[str, str]:
    """Two periods to compare (``from`` and ``to`` in the URL): the two latest by default, an
    earlier period always before a later one."""
    left, right = st.columns(2)
    with left:
        first = st.selectbox("Change from", list(periods[:-1]), index=len(periods) - 2, key="from",
                             bind="query-params")
    later = [p for p in periods if periods.index(p) > periods.index(first or periods[-2])]
    with right:
        second = st.selectbox("to", later, index=len(later) - 1, key="to", bind="query-params")
    return first or periods[-2], second or later[-1]


def map_controls() -> tuple[str, str | None, Indicator, bool, bool]:
    """A map's controls: the period (and the one before it), the indicator, and the toggles for
    the change since that earlier period and the 1938 redlining map (all in the URL)."""
    periods = load(queries.periods)
    period = period_select(periods)
    earlier = periods[:periods.index(period)]
    since = earlier[-1] if earlier else None
    indicator = indicator_select(tr("Show on the map"), "indicator",
                                 load(queries.available_indicators, period), "poverty")
    show_change = since is not None and st.toggle(
        tr("Show the change since {since}", since=since), key="change", bind="query-params")
    show_holc = load(queries.has_overlay, "holc") and st.toggle(
        tr("Show the 1938 redlining map"), key="holc", bind="query-params")
    return period, since, indicator, bool(show_change), bool(show_holc)
