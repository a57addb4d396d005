"""Change over time on the pages, headless (AppTest), on Sample City's two periods and on
Atlanta's three: each view's sentences, tables and charts, the period choices in the URL, and
an editor taking a period's value into the records (audited)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators.certification import records
from indicators.present.project import in_target_unit
from tests.test_certification_pages import EDITOR_ACCOUNT
from tests.test_certification_pages import app as app  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import PAGES, assert_clean, open_page, text_of
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)


def markdown(at) -> str:  # noqa: ANN001 (an AppTest)
    """Every markdown element's text, HTML entities of the legends decoded."""
    return html.unescape("\n".join(str(m.value) for m in at.markdown))


def test_cards_say_how_each_value_moved_and_whether_it_is_real(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {"district": "Downtown"})
    assert_clean(at)
    text = markdown(at)
    assert "Black residents (not Hispanic) fell from 32% to 28% since 2014-2018: a real change." in text
    assert "Median rent rose from $1,100 to $1,400 since 2014-2018: a real change. In 2023 dollars " \
           "it was $1,300 then: a real rise of $110 after inflation." in text
    assert "How Downtown is doing in 2019-2023" in text_of(at)
    quiet = open_page("neighbourhood", {"district": "Cedar Park"})
    assert "No clear change since 2014-2018 (38% then, 38% now): the difference is within the " \
           "margin of error." in markdown(quiet)


def test_the_earliest_period_has_no_change_to_tell(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {"district": "Downtown", "period": "2014-2018"})
    assert_clean(at)
    assert at.selectbox(key="period").value == "2014-2018"
    assert "How Downtown is doing in 2014-2018" in text_of(at)
    assert "since 2014-2018" not in markdown(at)
    assert not [t for t in at.toggle if t.key == "change"]
    assert "In Downtown, 32% of residents are Black or African American" in markdown(at)


def test_the_map_shows_change_with_real_and_pale_tracts(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {"district": "Westside", "indicator": "Bachelor's degree or higher",
                                     "change": "true"})
    assert_clean(at)
    text = markdown(at)
    assert "Change in bachelor's degree or higher since 2014-2018, by census tract" in text
    assert "pale: within the margin of error, not a real change" in text
    assert "(better)" in text and "(worse)" in text
    table = next(df.value for df in at.dataframe if "Real change?" in df.value.columns)
    assert {"Then", "Now", "Change", "±"} <= set(table.columns)
    assert (table["Real change?"] == "yes").sum() == 24  # the ring's tracts
    caption = "\n".join(c.value for c in at.caption)
    assert "units carried onto the 2019-2023 units by land area" in caption
    # The toggle itself (AppTest re-applies a URL's parameters on every run, so start without).
    plain = open_page("neighbourhood", {"district": "Westside"})
    assert "Change in" not in markdown(plain)
    plain.toggle(key="change").set_value(True).run()
    assert "Change in poverty since 2014-2018, by census tract" in markdown(plain)


def test_compare_draws_the_trend_and_ranks_the_real_changes(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("compare", {"districts": "Downtown", "indicator": "Bachelor's degree or higher"})
    assert_clean(at)
    assert "Bachelor's degree or higher over time" in text_of(at)
    figures = at.get("plotly_chart")
    assert len(figures) == 4  # detail, ranking, scatter, trend
    ranked = next(df.value for df in at.dataframe if "Real change?" in df.value.columns)
    assert (ranked["Real change?"] == "yes").all()
    top = ranked[ranked["Indicator"] == "Bachelor's degree or higher"]
    assert list(top["District"]) == ["Downtown", "Westside"]
    nominal = ranked[ranked["Indicator"] == "Median rent"]
    assert "Dollar changes are nominal: prices rose 21%" in "\n".join(c.value for c in at.caption)
    at.toggle(key="dollars").set_value(True).run()
    real = next(df.value for df in at.dataframe if "Real change?" in df.value.columns)
    in_2023 = real[real["Indicator"] == "Median rent"]
    assert len(nominal) == 10 and list(in_2023["District"]) == ["Downtown", "Westside"]
    assert "in 2023 dollars: multiplied by 1.2150" in "\n".join(c.value for c in at.caption)
    # The same view from its URL.
    linked = open_page("compare", {"districts": "Downtown", "dollars": "true", "from": "2014-2018",
                                   "to": "2019-2023"})
    assert "in 2023 dollars: multiplied by 1.2150" in "\n".join(c.value for c in linked.caption)


def test_equity_says_whether_gaps_widened_or_narrowed(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("equity")
    assert_clean(at)
    assert "Did the gaps narrow since 2014-2018?" in text_of(at)
    gaps = at.dataframe[0].value
    assert list(gaps.columns) == ["Place", "Measure", "Gap then", "Gap now", "Widened or narrowed",
                                  "Real change?"]
    assert set(gaps["Widened or narrowed"]) <= {"widened", "narrowed"} and len(gaps) == 22
    earlier = open_page("equity", {"period": "2014-2018"})
    assert "Did the gaps narrow" not in text_of(earlier)


def test_project_shows_its_district_since_it_registered(app):
    # Mill Creek Rising has no boundary of its own, so it is shown by its district.
    at = app("project", {"project": "Mill Creek Rising"})
    assert_clean(at)
    text = text_of(at)
    assert "Since the project registered" in text
    assert "Mill Creek from 2014-2018 (the last survey period before the project registered in 2022) " \
           "to 2019-2023." in text
    table = next(df.value for df in at.dataframe if "Target" in df.value.columns
                 and "Then" in df.value.columns)
    targets = (table["Target"] == "yes").sum()
    assert targets == 2  # its targets with a value in both periods come first
    assert (table["Target"][:targets] == "yes").all() and not (table["Target"][targets:] == "yes").any()
    assert set(table["Indicator"][:targets]) <= {"Older homes (lead paint risk)",
                                                 "Median household income", "Tree canopy"}
    late = app("project", {"project": "Westside United"})
    assert "there is no later period to compare with yet" in text_of(late)


def test_an_editor_takes_a_periods_value_as_an_observation(app, sample_db: Path):
    at = app("project", {"project": "Downtown Renewal Alliance"}, editor=True)
    assert_clean(at)
    period = next(s for s in at.selectbox if s.label == "Period")
    period.set_value("2014-2018")
    next(b for b in at.button if b.label == "Record the dashboard's value").click().run()
    assert_clean(at)
    assert "Saved to observations" in "\n".join(s.value for s in at.success)
    detail = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    target = detail.targets[detail.targets["indicator_id"] == "rent_burden"].iloc[0]
    with duckdb.connect(str(sample_db), read_only=True) as con:
        value = con.execute("SELECT value FROM indicator_values WHERE period = '2014-2018' AND "
                            "geo_kind = 'district' AND geo_id = 'downtown' AND indicator_id = "
                            "'rent_burden'").fetchone()[0]
    mine = detail.observations[detail.observations["target_id"] == target["target_id"]]
    added = mine[mine["source"].fillna("").str.startswith("Just Communities Dashboard")]
    assert len(added) == 1
    assert added["value"].iloc[0] == pytest.approx(in_target_unit("rent_burden", value, "%"))
    assert added["observed_on"].astype(str).iloc[0] == "2018-01-01"
    assert "Rent burden for Downtown, 2014-2018" in added["source"].iloc[0]
    log = records.audit_log("downtown-renewal", db=app.cert_db)
    assert log.iloc[0]["actor"] == EDITOR_ACCOUNT.audit_name and log.iloc[0]["action"] == "add observation"


def test_an_editor_takes_a_periods_value_as_a_targets_baseline(app, sample_db: Path):
    at = app("project", {"project": "Downtown Renewal Alliance"}, editor=True)
    assert_clean(at)
    next(s for s in at.selectbox if s.label == "Dashboard indicator (optional)").set_value("poverty")
    baseline = next(s for s in at.selectbox if s.label == "Baseline from the dashboard (optional)")
    assert baseline.options == ["(type the baseline below)", "the district's value in 2014-2018",
                                "the district's value in 2019-2023"]
    baseline.set_value("2014-2018")
    next(t for t in at.text_input if t.label == "Indicator name (as in the Targets Template)") \
        .set_value("Poverty rate")
    next(n for n in at.number_input if n.label == "Target").set_value(10.0)
    next(b for b in at.button if b.label == "Add target").click().run()
    assert_clean(at)
    assert "Saved to targets" in "\n".join(s.value for s in at.success)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        value = con.execute("SELECT value FROM indicator_values WHERE period = '2014-2018' AND "
                            "geo_kind = 'district' AND geo_id = 'downtown' AND indicator_id = "
                            "'poverty'").fetchone()[0]
    detail = records.project_detail("downtown-renewal", date.today(), app.cert_db)
    added = detail.targets[detail.targets["indicator"] == "Poverty rate"]
    assert len(added) == 1
    row = added.iloc[0]
    assert row["indicator_id"] == "poverty" and row["baseline_year"] == 2018
    assert row["baseline"] == pytest.approx(in_target_unit("poverty", value, "%"))
    assert row["baseline"] == pytest.approx(100 * value)  # a share, in the target's percent
    assert "Poverty" in row["data_source"] and "Downtown, 2014-2018" in row["data_source"]
    log = records.audit_log("downtown-renewal", db=app.cert_db)
    assert log.iloc[0]["actor"] == EDITOR_ACCOUNT.audit_name and log.iloc[0]["action"] == "add target"


@pytest.mark.realdata
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_three_atlanta_periods(page: str, atlanta_periods_db: Path, app_env):
    app_env(atlanta_periods_db)
    at = open_page(page, {"district": "NPU T"} if page == "neighbourhood" else None)
    assert_clean(at)
    if page == "neighbourhood":
        assert at.selectbox(key="period").options == ["2008-2012", "2014-2018", "2018-2022"]
        text = markdown(at)
        assert "People of colour fell from 91% to 84% since 2014-2018: a real change. The two " \
               "periods overlap: read it as a hint." in text


def test_methodology_explains_change_with_this_regions_factors(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("methodology")
    assert_clean(at)
    assert "Change over time (2014-2018, 2019-2023)" in text_of(at)
    text = markdown(at)
    assert "2014-2018 to 2019-2023: × 1.2150 (CPI-U-RS 2023 / 2018)" in text
    assert "√(MOE₁² + MOE₂²)" in text and "|Z| > 1.645" in text


def test_portfolio_says_whether_each_projects_area_is_improving(app):
    at = app("portfolio")
    assert_clean(at)
    table = next(df.value for df in at.dataframe if "Area since registering" in df.value.columns)
    area = dict(zip(table["Project"], table["Area since registering"], strict=True))
    downtown = area["Downtown Renewal Alliance"]
    assert downtown.endswith("in who lives there (2014-2018 to 2019-2023)") and "better" in downtown
    assert area["Westside United"] == "no later survey yet"  # registered 2024: 2019-2023 is its start
    assert "can mean residents were displaced, not helped" in "\n".join(c.value for c in at.caption)
