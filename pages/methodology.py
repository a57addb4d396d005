"""Methodology (everyone): the framework, the computation rules and every indicator's definition,
all generated from the registry and the loaded layers. In Spanish the plain-language parts are
translated; formulas and technical notes stay in English, and the page says so."""

from __future__ import annotations

import streamlit as st

from indicators.metrics import registry
from indicators.metrics.framework import (
    COMMITMENTS,
    PILLARS,
    commitment_name,
    legacy_priorities,
    pillar_name,
    pillar_text,
    summary,
)
from indicators.present import methodology, queries, tables
from ui import frame
from ui.data import load
from ui.language import current_lang, tr


def main() -> None:
    """Framework, computation rules and every indicator, from the registry."""
    lang = current_lang()
    region = load(queries.meta).get("region_name", "")
    st.title(tr("Methodology"))
    st.write(tr("How every number on this dashboard is defined and computed. This page is generated "
                "from the same registry the calculations use, so it cannot drift from them."))
    if note := methodology.language_note(lang):
        st.info(note)
    st.subheader(tr("The Just Communities framework"))
    for pillar in PILLARS:
        st.markdown(f"**{pillar_name(pillar, lang)}.** {pillar_text(pillar, lang)}")
    groups = registry.by_commitment()
    for commitment in COMMITMENTS:
        legacy = legacy_priorities(commitment.name)
        with st.expander(tr("{commitment}: {count} indicators", count=len(groups[commitment.name]),
                            commitment=commitment_name(commitment.name, lang))):
            st.markdown(summary(commitment, lang))
            if legacy:
                st.caption(tr("EcoDistricts Protocol v1.3 priorities: {priorities}",
                              priorities=", ".join(legacy)))
            st.markdown("\n".join(f"- {i.label_in(lang)} ({pillar_name(i.pillar, lang)})"
                                  for i in groups[commitment.name]))
    st.subheader(tr("How the numbers are computed"))
    st.markdown(methodology.computation_rules())
    periods = load(queries.periods)
    if len(periods) > 1:
        st.subheader(tr("Change over time ({periods})", periods=", ".join(periods)))
        st.markdown(methodology.change_rules(periods))
    st.subheader(tr("Every indicator"))
    availability = load(queries.availability)
    layers = load(queries.layers)
    for indicator in registry.INDICATORS:
        with st.expander(f"{indicator.label_in(lang)} · {commitment_name(indicator.commitment, lang)}"):
            st.markdown(methodology.indicator_text(indicator, region, availability, layers, lang))
            if indicator.caveats:
                st.caption(indicator.caveats)
    st.caption(registry.PERCENTILE_CONVENTION)
    st.download_button(tr("Download the indicator definitions (CSV)"),
                       tables.csv_text(registry.methodology_table()),
                       file_name="indicator-definitions.csv", mime="text/csv")


frame.frame_guard()
with frame.page_boundary("the methodology page"):
    main()
