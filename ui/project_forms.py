"""The editor's forms on the Project page (only drawn for a signed-in editor).

Each form writes through :mod:`indicators.certification.records` with the project ``version`` the editor saw
when the page was drawn, so a change made meanwhile by someone else is refused with a clear
message instead of being overwritten. Every write is one transaction plus an audit-log entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st
from shapely.geometry import mapping, shape
from streamlit_folium import st_folium

from indicators.certification import accounts, records
from indicators.ingest.upload import UploadError, read_upload
from indicators.metrics.framework import COMMITMENT_NAMES
from indicators.metrics.registry import BY_ID, INDICATORS
from indicators.periods import last_year
from indicators.present import map_layers, maps, project, queries
from indicators.present.formatting import escape_markdown
from ui.data import base_map, drawing_tools, load, records_db
from ui.saving import save


def seen_version_key(project_id: str) -> str:
    """Session key holding the project version shown to the editor."""
    return f"seen_version_{project_id}"


def _save(write: Callable[..., records.WriteResult], project_id: str, **fields: object) -> None:
    """One write with the version of the project the editor saw (:func:`ui.saving.save`)."""
    save(write, project_id, st.session_state["_editor"], version_key=seen_version_key(project_id),
         saved_key="_saved", **fields)


def editor_tools(detail: records.ProjectDetail, editor: accounts.Account) -> None:
    """Forms for requirements, observations, targets, submissions, reviews and stages."""
    pid = detail.project["project_id"]
    st.session_state["_editor"] = editor
    st.subheader("Update this project")
    if st.session_state.get("_saved"):
        st.success(st.session_state.pop("_saved"), icon=":material/check_circle:")
    tabs = st.tabs(["Requirement", "Observation", "From the dashboard", "New target", "Submission",
                    "Review", "Stage", "Boundary"])
    with tabs[0], st.form(f"req_{pid}", clear_on_submit=True):
        items = detail.checklist
        requirement = st.selectbox("Requirement", items["requirement_id"], format_func=dict(
            zip(items["requirement_id"], items["stage_title"] + ": " + items["title"], strict=True)).get)
        status = st.selectbox("Status", ["met", "in progress", "not started", "not applicable"])
        evidence = st.text_input("Evidence link (https://...)")
        note = st.text_input("Note")
        if st.form_submit_button("Record status"):
            _save(records.record_requirement_status, pid, requirement_id=requirement, status=status,
                  evidence_url=evidence or None, note=note or None)
    with tabs[1], st.form(f"obs_{pid}", clear_on_submit=True):
        if detail.targets.empty:
            st.caption("This project has no targets yet: add one first.")
        labels = dict(zip(detail.targets["target_id"], detail.targets["indicator"], strict=True))
        target = st.selectbox("Target", list(labels), format_func=labels.get)
        value = st.number_input("Observed value (in the target's unit)", value=None, format="%.3f")
        observed_on = st.date_input("Observed on", value=date.today(), max_value=date.today())
        source = st.text_input("Source")
        if st.form_submit_button("Record observation"):
            _save(records.add_observation, pid, target_id=target, value=value,
                  observed_on=observed_on, source=source or None)
    with tabs[2]:
        from_dashboard(detail)
    with tabs[3], st.form(f"target_{pid}", clear_on_submit=True):
        indicator = st.selectbox("Dashboard indicator (optional)", [None] + [i.id for i in INDICATORS],
                                 format_func=lambda i: "(none)" if i is None else BY_ID[i].label)
        periods = load(queries.periods)
        from_period = st.selectbox(
            "Baseline from the dashboard (optional)", [None, *[p for p in periods if p]],
            format_func=lambda p: "(type the baseline below)" if p is None else
            f"the district's value in {p}",
            help="Takes the dashboard's value of the indicator above for this project's district "
                 "in that period as the baseline, and the period's last year as its year.")
        name = st.text_input("Indicator name (as in the Targets Template)")
        commitment = st.selectbox("Commitment", COMMITMENT_NAMES)
        a, b = st.columns(2)
        baseline = a.number_input("Baseline", value=None, format="%.3f")
        baseline_year = b.number_input("Baseline year", value=date.today().year, step=1)
        target_value = a.number_input("Target", value=None, format="%.3f")
        target_year = b.number_input("Target year", value=date.today().year + 5, step=1)
        direction = a.selectbox("Direction", ["decrease", "increase"])
        unit = b.text_input("Unit", value="%")
        definition = st.text_input("Definition")
        data_source = st.text_input("Data source")
        frequency = st.selectbox("Frequency", ["annual", "every two years", "every five years"])
        if st.form_submit_button("Add target"):
            if from_period is not None:
                found = _dashboard_value(detail, indicator, from_period, unit)
                if found is None:
                    st.error("Not saved: choose a dashboard indicator this district has a value "
                             f"for in {from_period}.", icon=":material/error:")
                    return
                baseline, baseline_year, data_source = found[0], last_year(from_period), \
                    data_source or found[1]
            _save(records.add_target, pid, commitment=commitment, baseline=baseline,
                  baseline_year=baseline_year, target=target_value, target_year=target_year,
                  direction=direction, indicator=name or None, indicator_id=indicator, unit=unit,
                  definition=definition or None, data_source=data_source or None,
                  frequency=frequency)
    stages = [s.id for s in detail.standard.stages if not s.automatic]
    titles = {s.id: s.title for s in detail.standard.stages}
    with tabs[4], st.form(f"sub_{pid}", clear_on_submit=True):
        stage = st.selectbox("Stage", stages, format_func=titles.get)
        kind = st.text_input("What was submitted", placeholder="e.g. Declaration of Collaboration")
        submitted_on = st.date_input("Submitted on", value=date.today(), max_value=date.today())
        link = st.text_input("Document link (https://...)")
        if st.form_submit_button("Record submission"):
            _save(records.record_submission, pid, stage=stage, submitted_on=submitted_on,
                  kind=kind or None, document_url=link or None)
    with tabs[5], st.form(f"rev_{pid}", clear_on_submit=True):
        subs = detail.submissions.drop_duplicates("submission_id")
        options = dict(zip(subs["submission_id"], subs["kind"] + " (" + subs["submitted_on"].astype(str)
                           + ")", strict=True))
        submission = st.selectbox("Submission", list(options), format_func=options.get)
        review_round = st.selectbox("Round", ["preliminary", "final"])
        outcome = st.selectbox("Outcome", ["endorsed", "revisions requested", "not endorsed"])
        reviewed_on = st.date_input("Reviewed on", value=date.today(), max_value=date.today())
        notes = st.text_area("Reviewers' notes")
        if st.form_submit_button("Record review"):
            _save(records.record_review, pid, submission_id=submission, review_round=review_round,
                  outcome=outcome, reviewed_on=reviewed_on, notes=notes or None)
    with tabs[7]:
        boundary_tools(detail)
    with tabs[6], st.form(f"stage_{pid}", clear_on_submit=True):
        stage = st.selectbox("Stage reached", stages, format_func=titles.get)
        occurred_on = st.date_input("On", value=date.today(), max_value=date.today())
        note = st.text_input("Note")
        if st.form_submit_button("Record stage"):
            _save(records.record_stage_change, pid, stage=stage, occurred_on=occurred_on,
                  note=note or None)


def boundary_tools(detail: records.ProjectDetail) -> None:
    """Give the project its own boundary: upload its outline (the file is read, never stored)
    or draw it on the map; saved through the audited write, the earlier one kept in history."""
    pid = detail.project["project_id"]
    st.caption("The project's interim boundary (declared at Formation). Upload its outline, or "
               "draw it on the map with the polygon tool; the page then profiles the boundary "
               "instead of the whole district. Earlier boundaries stay in the history.")
    file = st.file_uploader("Boundary file (GeoJSON, zipped shapefile or GeoPackage)",
                            type=["geojson", "json", "zip", "gpkg"], key=f"boundary_file_{pid}")
    geometry, source = None, None
    if file is not None:
        try:
            upload = read_upload(file.getvalue(), file.name)
        except UploadError as exc:
            st.error(f"Not saved: {escape_markdown(str(exc))}", icon=":material/error:")
            return
        names = list(upload.areas["name"])
        pick = st.selectbox("Which area of the file", names, key=f"boundary_pick_{pid}") \
            if len(names) > 1 else names[0]
        geometry = upload.areas.geometry.iloc[names.index(pick)]
        source = f"uploaded file {file.name}"
        for note in upload.notes:
            st.caption(note)
    elif drawing_tools():
        data = load(queries.map_data, None, detail.project["district_id"])
        base = base_map()
        maps.draw_plugin().add_to(base)
        drawn = st_folium(base, key=f"boundary_draw_{pid}", height=360, use_container_width=True,
                          feature_group_to_add=[map_layers.districts_layer(
                              data.districts, detail.project["district_id"])],
                          returned_objects=["all_drawings"])
        polygons = [d for d in (drawn or {}).get("all_drawings") or []
                    if (d.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")]
        if polygons:
            geometry, source = shape(polygons[-1]["geometry"]), "drawn on the dashboard's map"
    name = st.text_input("Name of the boundary", key=f"boundary_name_{pid}",
                         placeholder="e.g. Westside interim boundary")
    if st.button("Save as the project's boundary", key=f"boundary_save_{pid}",
                 disabled=geometry is None):
        _save(records.set_project_boundary, pid, geometry=mapping(geometry), name=name or None,
              source=source)


def _dashboard_value(detail: records.ProjectDetail, indicator_id: str | None, period: str,
                     unit: str | None) -> tuple[float, str] | None:
    """The project district's value of an indicator in a period, in the target's unit, and the
    source line to store with it; None where the dashboard has none."""
    if indicator_id is None:
        return None
    district_id = detail.project["district_id"]
    values = load(queries.trend, "district", indicator_id)
    here = values[(values["geo_id"] == district_id) & (values["period"] == period)]
    if here.empty:
        return None
    district = load(queries.district_names).get(district_id, district_id)
    return (project.in_target_unit(indicator_id, float(here["value"].iloc[0]), unit),
            project.dashboard_source(indicator_id, district, period, BY_ID[indicator_id].source))


def from_dashboard(detail: records.ProjectDetail) -> None:
    """Record a period's value of the district (from the dashboard) as an observation of one
    of the project's targets linked to that indicator."""
    pid = detail.project["project_id"]
    linked = detail.targets[detail.targets["indicator_id"].isin(list(BY_ID))] \
        if "indicator_id" in detail.targets else detail.targets.iloc[0:0]
    if linked.empty:
        st.caption("No target of this project is linked to a dashboard indicator.")
        return
    periods = [p for p in load(queries.periods) if p]
    with st.form(f"dash_{pid}", clear_on_submit=True):
        labels = dict(zip(linked["target_id"], linked["indicator"], strict=True))
        target_id = st.selectbox("Target", list(labels), format_func=labels.get)
        period = st.selectbox("Period", periods or [""], index=max(len(periods) - 1, 0),
                              format_func=lambda p: p or "the dashboard's data")
        st.caption("Records the district's value in that period as an observation of the "
                   "target, dated 1 January of the period's last year, with the dashboard as "
                   "its source. It is audited like every change.")
        if st.form_submit_button("Record the dashboard's value"):
            target = linked.set_index("target_id").loc[target_id]
            found = _dashboard_value(detail, target["indicator_id"], period, target.get("unit"))
            if found is None:
                st.error(f"Not saved: the dashboard has no value of this indicator for the district "
                         f"in {period}.", icon=":material/error:")
                return
            _save(records.add_observation, pid, target_id=int(target_id), value=found[0],
                  year=last_year(period) if period else None, source=found[1])


def change_history(project_id: str) -> None:
    """The project's audit log, newest first (who, when, what, before, after)."""
    log = records.audit_log(project_id, limit=200, db=records_db())
    with st.expander(f"Change history ({len(log)} entries)"):
        if log.empty:
            st.caption("No changes recorded since the records were set up.")
            return
        st.dataframe(pd.DataFrame({"When": log["at"], "Who": log["actor"], "What": log["action"],
                                   "Table": log["table_name"], "Before": log["before"],
                                   "After": log["after"]}), hide_index=True, width="stretch")
