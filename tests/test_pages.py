"""Every page, headless (Streamlit AppTest), on the sample and on real Atlanta data: no exception,
the key elements present, the main widgets change what is shown, URLs open the right view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.present import queries
from tests.conftest import PROJECT

PAGES = {
    "neighbourhood": "pages/neighbourhood.py",
    "compare": "pages/compare.py",
    "equity": "pages/equity.py",
    "methodology": "pages/methodology.py",
    "practitioners": "pages/practitioners.py",
    "learn": "pages/learn.py",
    "data": "pages/data.py",
}
BOUNDARY_ERROR = "could not be shown because of an unexpected problem"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Point the app at a given database (and empty data/records folders)."""

    def use(db: Path) -> None:
        monkeypatch.setenv("JC_DB", str(db))
        monkeypatch.setenv("JC_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("JC_CERT_DB", str(tmp_path / "certification.duckdb"))

    return use


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "neighbourhood":
        at.switch_page(PAGES[page])
        at.run()
    return at


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [
        h.value for h in at.subheader] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if BOUNDARY_ERROR in str(e.value)], [e.value for e in at.error]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_sample(page: str, sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page(page)
    assert_clean(at)
    assert at.title, "page has a title"
    assert "Fictional sample data" in "\n".join(w.value for w in at.sidebar.warning)


@pytest.mark.realdata
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_atlanta_2010(page: str, atlanta_2010_db: Path, app_env):
    app_env(atlanta_2010_db)
    at = open_page(page)
    assert_clean(at)
    assert not at.sidebar.warning, "no sample banner on real data"


def test_query_parameter_opens_the_right_district(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {"district": "Eastport", "indicator": "Tree canopy"})
    assert_clean(at)
    assert at.selectbox(key="district").value == "eastport"
    assert "How Eastport is doing" in text_of(at)
    assert at.selectbox(key="indicator").value == "tree_canopy"
    assert "Tree canopy, by census tract" in text_of(at)


def test_neighbourhood_follows_the_district_and_search(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood")
    at.selectbox(key="district").set_value("riverside").run()
    assert_clean(at)
    text = text_of(at)
    assert "How Riverside is doing" in text and "In Riverside, " in text
    assert "Across Sample City it is" in text
    at.text_input(key="find").input("mill").run()
    assert at.selectbox(key="district").value == "mill-creek"
    assert "How Mill Creek is doing" in text_of(at)
    at.text_input(key="find").input("99001010100").run()
    assert "is mostly in" in text_of(at)
    at.text_input(key="find").input("Atlantis").run()
    assert "No district or census tract matches" in text_of(at)


def test_neighbourhood_map_indicator_changes_the_legend(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood")
    at.selectbox(key="indicator").set_value("pm25").run()
    assert "Fine particles (PM2.5), by census tract" in text_of(at)
    assert "µg/m³" in text_of(at)


def test_neighbourhood_offers_the_profile_downloads(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {"district": "Westside"})
    labels = [b.label for b in at.get("download_button")]
    assert "Download a one-page profile (prints well)" in labels
    assert "Download the numbers (CSV)" in labels


def test_compare_changes_with_districts_and_indicator(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("compare", {"districts": ["Westside", "Eastport"]})
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Indicator", "Westside", "Eastport", "Sample City"]
    at.multiselect(key="districts").set_value(["northgate", "southview", "downtown"]).run()
    assert list(at.dataframe[0].value.columns) == ["Indicator", "Northgate", "Southview",
                                                  "Downtown", "Sample City"]
    first = at.get("plotly_chart")[0].proto.spec
    at.selectbox(key="indicator").set_value("median_income").run()
    second = at.get("plotly_chart")[0].proto.spec
    assert first != second and "Median household income" in second


def test_equity_page_shows_segregation_disparities_and_gaps(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("equity")
    text = text_of(at)
    for heading in ("Segregation", "Majority people-of-colour areas compared with majority-White "
                    "areas", "Black and White households"):
        assert heading in text
    # Gaps since 2014-2018 (Black-White, and POC-White areas), disparities, overburdened
    # tracts, segregation, location quotients.
    assert len(at.dataframe) == 6 and at.get("plotly_chart")


def test_methodology_lists_every_indicator(sample_db: Path, app_env):
    from indicators.metrics.registry import INDICATORS

    app_env(sample_db)
    at = open_page("methodology")
    labels = [e.label for e in at.expander]
    for indicator in INDICATORS:
        assert any(label.startswith(indicator.label + " ·") for label in labels), indicator.id


def test_data_page_shows_provenance_and_downloads(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("data")
    layers = at.dataframe[0].value
    assert "American Community Survey 5-year estimates" in set(layers["Layer"])
    assert {"Vintage", "Publisher", "Licence", "SHA-256"} <= set(layers.columns)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("CSV") == labels.count("Parquet") == len(queries.DOWNLOAD_TABLES) == 8
    assert any(label.startswith("Download the whole database") for label in labels)


def test_missing_database_build_error_is_explained(app_env, tmp_path: Path, monkeypatch):
    broken = tmp_path / "region"
    broken.mkdir()
    (broken / "manifest.toml").write_text("[region]\nname = 'Broken'\n")
    app_env(tmp_path / "absent.duckdb")
    monkeypatch.setenv("JC_REGION", str(broken))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    shown = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))  # as Markdown reads it
    assert "no [[layer]] tables" in shown
