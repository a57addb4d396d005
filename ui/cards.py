"""A place's indicator cards and downloads, as the Neighbourhood page shows them for a district
or for your own area: one card per indicator under each Commitment's tab, then the printable
profile and the numbers. Names and sources come from files, forms and links, so they are
escaped for Markdown here, where they are drawn."""

from __future__ import annotations

import streamlit as st

from indicators.metrics.framework import COMMITMENTS, heading
from indicators.present import profile, queries
from indicators.present.formatting import escape_markdown
from indicators.present.profile import ProfileRow
from ui.data import load
from ui.language import current_lang, tr


def draw_cards(rows: list[ProfileRow], place: str, region: str) -> None:
    """Every indicator of ``place`` as a card: the sentence, against the region, the change
    since the previous period, the margin of error, reliability and source."""
    grouped = profile.by_commitment(rows)
    place, region = escape_markdown(place), escape_markdown(region)  # names come from files and links
    lang = current_lang()
    for tab, commitment in zip(st.tabs([heading(c, lang) for c in COMMITMENTS]), COMMITMENTS,
                               strict=True):
        with tab:
            if not grouped[commitment.name]:
                st.info(tr("No measures of this kind are available for this region."))
            for row in grouped[commitment.name]:
                with st.container(border=True):
                    st.markdown(f"**{row.headline(place)}**")
                    st.markdown(row.against_region(place, region))
                    if row.change:
                        st.markdown(row.change)
                    st.caption(escape_markdown(row.caption))  # the source is a layer's title


def downloads(rows: list[ProfileRow], place: str, period: str, extra: tuple[str, str] | None = None) -> None:
    """The printable profile (HTML) and its numbers (CSV), plus ``extra`` (label, GeoJSON) when
    given; and what the region cannot show."""
    meta = load(queries.meta)
    lang = current_lang()
    missing = profile.not_available(load(queries.missing_indicators, period), lang)
    page = profile.profile_html(meta.get("region_name", ""), place, rows,
                                [label for label, _ in missing], meta.get("built_at", "")[:10],
                                meta.get("sample") == "true", lang)
    stem = profile.file_stem(place)
    columns = st.columns(3 if extra else 2)
    columns[0].download_button(tr("Download a one-page profile (prints well)"), page,
                               file_name=f"{stem}-profile.html", mime="text/html")
    columns[1].download_button(tr("Download the numbers (CSV)"), profile.profile_csv(place, rows),
                               file_name=f"{stem}-indicators.csv", mime="text/csv")
    if extra:
        columns[2].download_button(extra[0], extra[1], file_name=f"{stem}.geojson",
                                   mime="application/geo+json")
    if missing:
        with st.expander(tr("What we cannot show for {region} yet",
                            region=escape_markdown(load(queries.place)))):
            st.markdown("\n".join(f"- **{label}**: {why}" for label, why in missing))
