"""Methodology (everyone): the framework, the computation rules and every indicator's definition,
all generated from the registry and the loaded layers."""

from __future__ import annotations

import streamlit as st

from indicators.metrics import registry
from indicators.metrics.framework import COMMITMENTS, PILLARS, legacy_priorities
from indicators.present import methodology, queries, tables
from ui import frame
from ui.data import load


def main() -> None:
    """Framework, computation rules and every indicator, from the registry."""
    region = load(queries.meta).get("region_name", "")
    st.title("Methodology")
    st.write("How every number on this dashboard is defined and computed. This page is generated "
             "from the same registry the calculations use, so it cannot drift from them.")
    st.subheader("The Just Communities framework")
    for pillar, text in PILLARS.items():
        st.markdown(f"**{pillar}.** {text}")
    groups = registry.by_commitment()
    for commitment in COMMITMENTS:
        legacy = legacy_priorities(commitment.name)
        with st.expander(f"{commitment.name}: {len(groups[commitment.name])} indicators"):
            st.markdown(commitment.summary)
            if legacy:
                st.caption("EcoDistricts Protocol v1.3 priorities: " + ", ".join(legacy))
            st.markdown("\n".join(f"- {i.label} ({i.pillar})" for i in groups[commitment.name]))
    st.subheader("How the numbers are computed")
    st.markdown(methodology.computation_rules())
    periods = load(queries.periods)
    if len(periods) > 1:
        st.subheader(f"Change over time ({', '.join(periods)})")
        st.markdown(methodology.change_rules(periods))
    st.subheader("Every indicator")
    availability = load(queries.availability)
    layers = load(queries.layers)
    for indicator in registry.INDICATORS:
        with st.expander(f"{indicator.label} · {indicator.commitment}"):
            st.markdown(methodology.indicator_text(indicator, region, availability, layers))
            if indicator.caveats:
                st.caption(indicator.caveats)
    st.caption(registry.PERCENTILE_CONVENTION)
    st.download_button("Download the indicator definitions (CSV)",
                       tables.csv_text(registry.methodology_table()),
                       file_name="indicator-definitions.csv", mime="text/csv")


frame.frame_guard()
with frame.page_boundary("the methodology page"):
    main()
