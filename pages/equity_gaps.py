"""Equity gaps (city staff): segregation, disparities between majority-people-of-colour and
majority-White areas, race-iterated gaps, and where overburdened tracts are."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from indicators import charts, maps
from indicators.formatting import format_value
from indicators.registry import BY_ID
from pages import common

SEGREGATION_HELP = (
    "**Dissimilarity** (0-1): the share of one group that would have to move for both groups to "
    "be spread evenly across tracts; above 0.6 is usually called high. **Isolation** (0-1): the "
    "share of the group among the neighbours of its average member. **Theil's H** (0-1): how much "
    "less diverse tracts are than the area as a whole, across all groups."
)


def segregation(names: dict[str, str], region: str) -> None:
    """Segregation indices for the region and each district, explained."""
    st.subheader("Segregation")
    table = common.q("SELECT * FROM segregation")
    if table.empty:
        st.info("Not available for this region: it needs counts of people by race and ethnicity.")
        return
    table["where"] = [region if k == "region" else names.get(g, g)
                      for k, g in zip(table["geo_kind"], table["geo_id"], strict=True)]
    table["measure"] = table["index"] + " · " + table["groups"]
    wide = table.pivot_table(index="where", columns="measure", values="value", sort=False).round(3)
    order = [region] + sorted(i for i in wide.index if i != region)
    st.dataframe(wide.reindex(order), width="stretch")
    st.markdown(SEGREGATION_HELP)
    st.caption("Within a district the indices describe how its own tracts differ; computed with "
               "PySAL's segregation package on the area-weighted pieces of tracts.")


def disparities(region: str) -> None:
    """Every indicator in majority-POC vs majority-White areas."""
    st.subheader("Majority people-of-colour areas compared with majority-White areas")
    table = common.q("SELECT * FROM disparities")
    if table.empty:
        st.info("Not available for this region: it needs counts of people by race and ethnicity.")
        return
    table = table[table["indicator_id"].isin(BY_ID)].copy()
    table["label"] = table["indicator_id"].map(lambda i: BY_ID[i].label)
    table["direction"] = table["indicator_id"].map(lambda i: BY_ID[i].direction)
    burdened = table[table["direction"] != "neutral"]
    st.plotly_chart(charts.disparity_bars(burdened), width="stretch")
    first = table.iloc[0]
    st.caption(f"Tracts where most residents are people of colour ({first.poc_units} tracts, "
               f"{first.poc_population:,.0f} people) against tracts where most are White "
               f"({first.white_units} tracts, {first.white_population:,.0f} people), within {region}. "
               "A ratio above 1 means the value is higher in majority people-of-colour areas. "
               "Orange bars: people-of-colour areas are worse off; blue: White areas are.")
    def shown_values(column: str) -> list[str]:
        return [format_value(BY_ID[i], v) for i, v in zip(table["indicator_id"], table[column],
                                                           strict=True)]

    shown = pd.DataFrame({
        "Indicator": table["label"],
        "Majority people of colour": shown_values("poc_value"),
        "Majority White": shown_values("white_value"),
        "Ratio": table["ratio"].round(2),
        "Higher is": table["direction"].map({"higher_worse": "worse", "higher_better": "better",
                                              "neutral": "neither"}),
    }).sort_values("Ratio", ascending=False)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button("Download the disparities (CSV)", table.to_csv(index=False),
                       file_name="disparities.csv", mime="text/csv")


def race_gaps(names: dict[str, str], region: str) -> None:
    """Black and White householders' homeownership and income by district."""
    st.subheader("Black and White households")
    gaps = common.q("SELECT * FROM race_gaps WHERE geo_kind IN ('region', 'district')")
    if gaps.empty:
        st.info("Not available for this region: it needs the race-iterated ACS tables "
                "(B25003B/H for homeownership, B19013B/H for income).")
        return
    gaps["name"] = gaps.apply(lambda r: region if r.geo_kind == "region" else names.get(r.geo_id), axis=1)
    for measure, money in (("Homeownership rate", False), ("Median household income", True)):
        part = gaps[gaps["measure"] == measure].dropna(subset=["black", "white"], how="all")
        if part.empty:
            continue
        st.markdown(f"**{measure}** by race of householder")
        st.plotly_chart(charts.race_gap_bars(part, measure, money), width="stretch")
    st.caption("From ACS tables B25003B/H and B19013B/H. District incomes are household-weighted "
               "averages of tract medians (approximate); small groups give wide margins.")


def burdened_map() -> None:
    """Map of CEJST-style overburdened tracts with the burdens that flag them."""
    st.subheader("Where pollution or poor health meets low income")
    burdens = common.q("SELECT * FROM unit_burdens")
    if burdens.empty or burdens["flagged"].isna().all():
        st.info("Not available for this region: it needs low-income and burden indicators.")
        return
    layers = common.map_layers()
    flags = burdens.set_index("geoid").reindex(layers["unit_ids"])
    colours = {g: ("#b2182b" if f else "#f4efe6") for g, f in flags["flagged"].fillna(False).items()}
    labels = {g: (f"Low income and high: {r.burdens}" if r.flagged else "not flagged")
              for g, r in flags.iterrows()}
    groups = [maps.choropleth_layer(layers["units"], colours, labels, "Overburdened tracts"),
              maps.districts_layer(layers["districts"], None)]
    st_folium(common.base_map(), key="equity_map", height=420,
              use_container_width=True, feature_group_to_add=groups, returned_objects=[])
    common.legend((("low income and at least one burden at or above the 90th percentile", "#b2182b"),
                   ("not flagged", "#f4efe6")), "CEJST-style overburdened tracts")
    st.caption("The CEJST rule, with percentiles among this region's tracts. Hover a tract for the "
               "burdens that flagged it.")
    flagged = flags[flags["flagged"].fillna(False).astype(bool)]
    with st.expander(f"The {len(flagged)} overburdened tracts as a table"):
        names = common.q("SELECT geoid, name FROM units").set_index("geoid")["name"]
        st.dataframe(pd.DataFrame({
            "Tract": names.reindex(flagged.index).to_numpy(), "GEOID": flagged.index,
            "Burdens at or above the 90th percentile": flagged["burdens"].to_numpy(),
            "Low-income percentile": (flagged["low_income_percentile"] * 100).round().to_numpy(),
        }), hide_index=True, width="stretch")


def main() -> None:
    """The equity page, section by section."""
    region = common.place()
    names = common.district_names()
    st.title("Equity gaps")
    st.write(f"Who bears the burdens in {region}: segregation, gaps between majority "
             "people-of-colour and majority-White areas, and gaps between Black and White households.")
    disparities(region)
    burdened_map()
    race_gaps(names, region)
    segregation(names, region)
    lq = common.q("SELECT * FROM location_quotients")
    if not lq.empty:
        st.subheader("Who lives where (location quotients)")
        lq["district"] = lq["district_id"].map(names)
        st.dataframe(lq.pivot_table(index="district", columns="group", values="lq").round(2),
                     width="stretch")
        st.caption("A group's share of a district divided by its share of the region: 1 is the "
                   "same as the region, 2 twice as concentrated.")


common.frame_guard()
with common.page_boundary("the equity page"):
    main()
