"""Methodology (everyone): the framework, the computation rules and every indicator's definition,
all generated from the registry and the loaded layers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import registry
from indicators.framework import COMMITMENTS, LEGACY_PRIORITIES, PILLARS
from indicators.moe import CV_HIGH, CV_MEDIUM
from pages import common

RULES = f"""
**Districts from tracts.** Census data come for tracts (or block groups), whose edges rarely follow
district boundaries. We overlay the two in an equal-area projection (EPSG:5070) and give each tract a
weight for each district: the share of the tract's area inside it. A district's count is the sum of
weight × count over its tracts, assuming people are spread evenly within a tract. The region is the
districts taken together.

**Rates** (such as the poverty rate) are computed from those summed counts, never by averaging tract
percentages, and the numerator and denominator always come from the same source and year.

**Margins of error.** American Community Survey numbers are estimates from a sample; each comes with a
90% margin of error (±). For sums we combine margins as the Census Bureau directs: the square root of
the sum of squared (weighted) margins, counting only the largest margin among zero estimates. For
rates we use the Bureau's formula for proportions. The coefficient of variation (CV) is the standard
error divided by the estimate. Reliability: **reliable** when the CV is below {CV_HIGH:.0%}, **use with
care** below {CV_MEDIUM:.0%}, **unreliable** above; unknown where a source publishes no margin.

**Medians** cannot be added up: a district's median income is re-derived from the number of
households in each income bracket, interpolating within the bracket holding the middle household.
Where a source has only tract medians, we show a household-weighted average, labelled approximate.

**Concentrations** (PM2.5, asthma prevalence, tree canopy) are averaged over a district's tracts,
weighted by the people living in each piece (EPA EJScreen's convention).

**Percentiles** rank each tract (or district) among the region's: (rank − 1) / (N − 1), ties sharing
the lowest rank (CDC's SVI convention), always oriented so that a higher percentile means more
burdened.
"""


HIGHER_IS = {"higher_worse": "worse", "higher_better": "better",
             "neutral": "neither better nor worse"}


def main() -> None:
    """Framework, computation rules and every indicator, from the registry."""
    meta = common.meta()
    st.title("Methodology")
    st.write("How every number on this dashboard is defined and computed. This page is generated "
             "from the same registry the calculations use, so it cannot drift from them.")
    st.subheader("The Just Communities framework")
    for pillar, text in PILLARS.items():
        st.markdown(f"**{pillar}.** {text}")
    groups = registry.by_commitment()
    for commitment in COMMITMENTS:
        legacy = [p for p, c in LEGACY_PRIORITIES.items() if c == commitment.name]
        with st.expander(f"{commitment.name}: {len(groups[commitment.name])} indicators"):
            st.markdown(commitment.summary)
            if legacy:
                st.caption("EcoDistricts Protocol v1.3 priorities: " + ", ".join(legacy))
            st.markdown("\n".join(f"- {i.label} ({i.pillar})" for i in groups[commitment.name]))
    st.subheader("How the numbers are computed")
    st.markdown(RULES)
    st.subheader("Every indicator")
    availability = common.availability()
    layers = common.layers().set_index("layer_id")
    table = registry.methodology_table()
    for indicator in registry.INDICATORS:
        row = availability.loc[indicator.id] if indicator.id in availability.index else None
        with st.expander(f"{indicator.label} · {indicator.commitment}"):
            st.markdown(f"*{indicator.question}*  \n**Formula:** {indicator.formula}.  \n"
                        f"**Unit:** {indicator.unit}; higher is {HIGHER_IS[indicator.direction]}.  \n"
                        f"**Source:** {indicator.source}.")
            if row is not None and bool(row["available"]) and pd.notna(row["layer_id"]):
                layer = layers.loc[int(row["layer_id"])]
                st.markdown(f"**In {meta.get('region_name')}:** from *{layer['title']}*, "
                            f"{layer['vintage']} ({layer['publisher']}, {layer['licence']}); "
                            f"method: {row['method']}. {row['detail']}")
            elif row is not None and not bool(row["available"]):
                st.markdown(f"**In {meta.get('region_name')}:** {row['reason']}.")
            elif row is not None:
                st.markdown(f"**In {meta.get('region_name')}:** {row['method']}. {row['detail']}")
            if indicator.caveats:
                st.caption(indicator.caveats)
    st.caption(registry.PERCENTILE_CONVENTION)
    st.download_button("Download the indicator definitions (CSV)", table.to_csv(index=False),
                       file_name="indicator-definitions.csv", mime="text/csv")


common.frame_guard()
with common.page_boundary("the methodology page"):
    main()
