"""Accredited Practitioners (funders, PSE staff): the directory of APs with their credential,
status, CE hours and projects; whose credentials lapse this quarter; which projects have no AP;
filters kept in the URL and a CSV. Signed-in editors see e-mails and record CE and renewals."""

from __future__ import annotations

import streamlit as st

from indicators.certification.credentials import CE_HOURS_REQUIRED, RENEWAL_DUE_WITHIN_DAYS, STATUSES
from indicators.certification.directory import practitioner_directory, projects_without_ap
from indicators.present import practitioners, tables
from indicators.present.language import long_date
from ui import frame
from ui.data import records_db
from ui.editor import current_editor, sign_in_box
from ui.practitioner_forms import editor_tools
from ui.widgets import status_date


def main() -> None:
    """Headline figures, the two questions answered, the directory, the editor's forms."""
    sign_in_box()
    st.title("Accredited Practitioners")
    db = records_db()
    as_of = status_date(db)
    editor = current_editor(writing=True)
    directory = practitioner_directory(as_of, db, show_private=editor is not None)
    without_ap = projects_without_ap(as_of, db)
    figures = practitioners.headline(directory, without_ap, as_of)
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label, value)
    st.page_link("pages/learn.py", label="Study guide: learn the Framework", icon=":material/school:")

    st.subheader("Whose credentials lapse this quarter?")
    st.markdown(practitioners.lapsing_sentence(directory, as_of))
    st.subheader("Which projects have no Accredited Practitioner?")
    lines = practitioners.without_ap_lines(without_ap)
    if lines:
        st.markdown("\n".join(lines))
    else:
        st.success("Every project has at least one Accredited Practitioner.")

    st.subheader("The directory")
    if directory.empty:
        st.info("No Accredited Practitioners are recorded for this region yet.")
        return
    a, b, c, d = st.columns([2, 2, 1.5, 2], vertical_alignment="bottom")
    statuses = a.multiselect("Status", list(STATUSES), key="status", bind="query-params")
    known = practitioners.cities(directory)  # none when no one is listed: no empty (greyed) chooser
    cities = b.multiselect("City", known, key="city", bind="query-params") if known else []
    short = c.toggle("Hours short", key="short", bind="query-params",
                     help=f"Only practitioners with fewer than {CE_HOURS_REQUIRED:g} CE hours in the "
                          "current cycle.")
    order = d.selectbox("Sort by", list(practitioners.SORTS), key="sort", bind="query-params")
    shown = practitioners.table(practitioners.sort(practitioners.select(directory, statuses, cities, short),
                                                   order or ""), show_email=editor is not None)
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        practitioners.HOURS_COLUMN: st.column_config.ProgressColumn(
            practitioners.HOURS_COLUMN, format="%.1f", min_value=0, max_value=CE_HOURS_REQUIRED),
        "Accredited": st.column_config.DateColumn("Accredited", format="D MMM YYYY"),
        "Expires": st.column_config.DateColumn("Expires", format="D MMM YYYY"),
    })
    st.caption(f"Status as of {long_date(as_of, 'en')}: renewal due within {RENEWAL_DUE_WITHIN_DAYS} "
               "days of the expiry; lapsed after "
               f"it; CE hours earned in the current cycle, of the {CE_HOURS_REQUIRED:g} a renewal "
               "needs. A practitioner who has not agreed to be listed is counted but not named "
               f"(\"{practitioners.NOT_LISTED}\").")
    st.download_button("Download this table (CSV)", tables.csv_text(shown),
                       file_name=f"practitioners-{as_of}.csv", mime="text/csv")
    if editor is not None:
        editor_tools(directory, editor)


frame.frame_guard()
with frame.page_boundary("the practitioners page"):
    main()
