"""Your own area on the pages, headless (AppTest): an area from a link (drawn or combined) gets
the district profile's cards, method note and tract shares; bad links and names are explained or
made inert and the page keeps working; projects' own boundaries show on the Project and
Portfolio pages, and an editor's new boundary is audited and kept in the history."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from shapely.geometry import box, mapping

from indicators.certification import records
from indicators.present import areas
from tests.test_certification_pages import EDITOR_ACCOUNT
from tests.test_certification_pages import app as app  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import assert_clean, open_page, text_of

OWN = {"show": "Your own area"}
DRAWN = {**OWN, "how": "Draw it on the map"}
COMBINED = {**OWN, "how": "Combine tracts or districts"}
#: A 5 x 4 km rectangle south-west of Sample City's downtown.
RECTANGLE = areas.encode_area(box(-90.05, 26.98, -90.0, 27.02))


def markdown(at) -> str:  # noqa: ANN001 (an AppTest)
    return "\n".join(str(m.value) for m in at.markdown)


def cards(at) -> list[str]:  # noqa: ANN001
    return [str(m.value) for m in at.markdown if str(m.value).startswith("**In ")]


def test_a_combined_district_gets_the_districts_own_cards(sample_db: Path, app_env):
    app_env(sample_db)
    mine = open_page("neighbourhood", {**COMBINED, "parts": "Westside"})
    assert_clean(mine)
    district = open_page("neighbourhood", {"district": "Westside"})
    ours = [c.replace("In your area,", "In Westside,") for c in cards(mine)]
    assert ours == cards(district) and len(ours) == 46
    assert "How your area is doing in 2019-2023" in text_of(mine)


def test_a_drawn_area_from_its_link_shows_its_profile_and_how_it_was_made(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", {**DRAWN, "area": RECTANGLE})
    assert_clean(at)
    text = text_of(at)
    assert "How your area is doing in 2019-2023" in text
    assert "Each tract counts by the share of its area inside yours, assuming people are spread " \
           "evenly within a tract (areal weighting)" in text
    assert "of your area's people live in tracts only partly inside it" in text
    shares = next(df.value for df in at.dataframe if "Share inside" in df.value.columns)
    assert len(shares) == 41 and {"Tract", "GEOID", "People counted"} <= set(shares.columns)
    assert cards(at)[0].startswith("**In your area, ")
    # Its change since 2014-2018, as for a district.
    assert "since 2014-2018" in markdown(at)
    labels = [b.label for b in at.get("download_button")]
    assert "Download your area with its numbers (GeoJSON)" in labels


def test_without_an_area_the_page_says_how_to_make_one(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("neighbourhood", OWN)
    assert_clean(at)
    assert "Draw your area on the map with the polygon tool" in "\n".join(i.value for i in at.info)
    combine = open_page("neighbourhood", COMBINED)
    assert "Pick districts or tracts above" in "\n".join(i.value for i in combine.info)


def test_a_damaged_link_or_an_area_elsewhere_is_explained(sample_db: Path, app_env):
    app_env(sample_db)
    damaged = open_page("neighbourhood", {**DRAWN, "area": "??not-an-area"})
    assert_clean(damaged)
    assert "The area in this link is damaged" in "\n".join(w.value for w in damaged.warning)
    elsewhere = areas.encode_area(box(-80.0, 40.0, -79.9, 40.1))
    far = open_page("neighbourhood", {**DRAWN, "area": elsewhere})
    assert_clean(far)
    assert "covers no census tract of Sample City" in "\n".join(w.value for w in far.warning)


def test_a_name_from_a_link_is_shown_as_text(sample_db: Path, app_env):
    app_env(sample_db)
    name = "<script>alert(1)</script> [see](javascript:alert(2)) *x*"
    at = open_page("neighbourhood", {**DRAWN, "area": RECTANGLE, "name": name})
    assert_clean(at)
    for element in [*at.markdown, *at.subheader]:
        value = str(element.value)
        assert "<script>" not in value and "](javascript" not in value and "*x*" not in value
    heading = next(s.value for s in at.subheader if s.value.startswith("How "))
    assert html.unescape(heading.replace("\\", "")).startswith(f"How {name} is doing")


def test_projects_show_their_own_boundary(app):
    at = app("project", {"project": "Downtown Renewal Alliance"})
    assert_clean(at)
    text = text_of(at)
    assert "The project's own boundary" in text
    assert "Downtown Renewal corridor blocks: the project's interim boundary" in text
    assert "The project's boundary (Downtown Renewal corridor blocks) from 2014-2018" in text
    since = next(df.value for df in at.dataframe if "Target" in df.value.columns
                 and "Then" in df.value.columns)
    assert list(since["Indicator"][:2]) == ["Rent burden", "Severe rent burden"]  # its targets
    assert (since["Target"][:2] == "yes").all()
    plain = app("project", {"project": "Westside United"})
    assert "The project's own boundary" not in text_of(plain)
    portfolio = app("portfolio")
    assert "a project's own boundary" in html.unescape(markdown(portfolio))  # the map's legend


def test_an_editors_new_boundary_is_audited_and_the_old_one_kept(app):
    at = app("project", {"project": "Oak Hill Commons"}, editor=True)
    assert_clean(at)
    assert "Save as the project's boundary" in [b.label for b in at.button]
    before = records.boundary_history("oak-hill-commons", app.cert_db)
    version = records.project_detail("oak-hill-commons", date.today(), app.cert_db).version
    new = box(-90.07, 27.03, -90.05, 27.05)
    records.set_project_boundary("oak-hill-commons", mapping(new), editor=EDITOR_ACCOUNT, version=version,
                                 name="Oak Hill north blocks", source="test", db=app.cert_db)
    after = records.boundary_history("oak-hill-commons", app.cert_db)
    assert len(after) == len(before) + 1 and after.iloc[0]["name"] == "Oak Hill north blocks"
    assert after.iloc[1]["name"] == before.iloc[0]["name"]  # the earlier one stays
    log = records.audit_log("oak-hill-commons", db=app.cert_db)
    assert log.iloc[0]["action"] == "set boundary" and log.iloc[0]["actor"] == EDITOR_ACCOUNT.audit_name
    assert before.iloc[0]["name"] in str(log.iloc[0]["before"])
    shown = app("project", {"project": "Oak Hill Commons"})
    assert "Oak Hill north blocks: the project's interim boundary" in text_of(shown)
