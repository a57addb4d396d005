"""``python -m indicators fetch`` against a loopback mirror of the publishers (tests/publisher_mirror.py):
the one command gives a region that builds, whose numbers are the hand-written Atlanta 2020
region's, whose manifest says where every file came from; a second run downloads only what
changed; and every way a download fails ends in a plain message, exit status 2 and a region
folder left as it was."""

from __future__ import annotations

import hashlib
import socket
import tomllib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators.cli import main
from indicators.ingest import census_api
from indicators.ingest.download import DownloadError
from indicators.ingest.fetch_plan import FetchRequest
from indicators.ingest.fetch_region import fetch_region
from indicators.ingest.manifest import load_manifest
from indicators.metrics.registry import BY_ID
from indicators.problems import InputError
from indicators.store.build import build
from tests.conftest import SHARED, needs_shared
from tests.publisher_mirror import PLACES_PATH, SVI_PATH, TRACTS_PATH, Mirror
from tests.test_pages import PAGES, assert_clean, open_page

pytestmark = [needs_shared, pytest.mark.realdata]
DISTRICTS = SHARED / "atlanta_boundaries" / "City_Council_Districts.shp"
#: Indices ranked among the region's own tracts: a two-county region ranks its tracts differently
#: from the hand-written five-county one, so their values are not expected to agree.
RANKED_IN_REGION = {i for i, ind in BY_ID.items()
                    if ind.index is not None and ind.index.name in ("ej", "cejst")}


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Mirror:
    server = Mirror(SHARED, tmp_path / "mirror").start()
    monkeypatch.setenv("JC_FETCH_MIRROR", server.url)
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    yield server
    server.stop()


def command(mirror: Mirror, out: Path, *extra: str, counties: str = "Fulton,DeKalb") -> list[str]:
    ejscreen = [arg for url in mirror.ejscreen_urls() for arg in ("--ejscreen", url)]
    return ["fetch", "--state", "GA", "--county", counties, "--districts", str(DISTRICTS), "--name",
            "DISTRICT", "--name-prefix", "District ", *ejscreen, *extra, str(out)]


@pytest.fixture
def fetched(mirror: Mirror, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "atlanta"
    assert main(command(mirror, out)) == 0, capsys.readouterr().err
    return out


def test_one_command_gives_the_hand_written_regions_numbers(fetched: Path, tmp_path: Path,
                                                             atlanta_2020_db: Path):
    db = tmp_path / "fetched.duckdb"
    report = build(fetched, db)
    assert (report.units, report.districts) == (530, 12)
    with duckdb.connect(str(db), read_only=True) as new, \
            duckdb.connect(str(atlanta_2020_db), read_only=True) as old:
        ours, theirs = (c.execute("SELECT * FROM indicator_values").df() for c in (new, old))
        cross = old.execute("SELECT district_id, geoid FROM crosswalk").df()
        income = [c.execute("SELECT geoid, estimate FROM estimates WHERE variable = 'median_hh_income' "
                            "ORDER BY geoid").df() for c in (new, old)]
    # The same median incomes, tract by tract (the Census API answer is the ACS file's).
    hand = income[1].set_index("geoid").loc[income[0]["geoid"]].reset_index()
    pd.testing.assert_frame_equal(income[0], hand)
    # Districts whose tracts all lie in Fulton and DeKalb (two touch Cobb in the five-county region).
    inside = set(cross["district_id"]) - set(cross.loc[~cross["geoid"].str[:5].isin(["13121", "13089"]),
                                                       "district_id"])
    assert len(inside) == 10
    both = ours.merge(theirs, on=["period", "geo_kind", "geo_id", "indicator_id"], suffixes=("", "_hand"))
    assert both["value"].isna().equals(both["value_hand"].isna()), "the same values are missing"
    compared = both[both["value"].notna() & ~both["indicator_id"].isin(RANKED_IN_REGION)
                    & ((both["geo_kind"] == "unit") | both["geo_id"].isin(inside))]
    assert (len(compared), compared["indicator_id"].nunique()) == (14_497, 27)
    np.testing.assert_allclose(compared["value"], compared["value_hand"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(compared["moe"].fillna(-1), compared["moe_hand"].fillna(-1), rtol=1e-9)


def test_the_fetched_region_serves_every_page(fetched: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "fetched.duckdb"
    build(fetched, db)
    monkeypatch.setenv("JC_DB", str(db))
    monkeypatch.setenv("JC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JC_CERT_DB", str(tmp_path / "certification.duckdb"))
    for page in PAGES:
        at = open_page(page)
        assert_clean(at)
        assert at.title, page


def test_the_manifest_says_where_each_file_came_from(fetched: Path, tmp_path: Path):
    manifest = load_manifest(fetched)
    assert [layer.role for layer in manifest.layers] == [
        "units", "census", "census", "environment", "environment", "environment", "districts"]
    for layer in manifest.layers:
        data = layer.path.read_bytes()
        assert layer.sha256 == hashlib.sha256(data).hexdigest(), layer.rel
        assert layer.downloaded.endswith("Z"), layer.rel
    urls = [layer.source_url for layer in manifest.layers]
    assert urls[:4] == ["https://www2.census.gov" + TRACTS_PATH, "https://api.census.gov/data/2022/acs/acs5",
                        "https://svi.cdc.gov" + SVI_PATH, urls[3]]
    assert urls[3].startswith("https://data.cdc.gov" + PLACES_PATH + "?")
    assert manifest.units.counties == ("13121", "13089")
    raw = tomllib.loads((fetched / "manifest.toml").read_text())
    assert all(isinstance(layer["bytes"], int) for layer in raw["layer"])
    # The Data page's provenance table: the address and time of each download.
    db = tmp_path / "fetched.duckdb"
    build(fetched, db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_url, downloaded_at, sha256 FROM layers ORDER BY layer_id"
                           ).fetchall()
    assert [r[0] for r in rows] == urls and all(r[1] for r in rows)
    assert [r[2] for r in rows] == [layer.sha256 for layer in manifest.layers]


def test_the_api_is_asked_for_the_registrys_variables_in_requests_of_at_most_50(fetched: Path,
                                                                                  mirror: Mirror):
    asked = [q.split("get=")[1].split("&")[0].split(",") for q in mirror.api.requests if "tract:*" in q]
    assert all(len(names) <= 50 for names in asked)
    per_county = len(asked) // 2
    wanted = ["NAME", *census_api.api_variables(census_api.needed_cells())]
    assert [v for names in asked[:per_county] for v in names] == wanted
    assert {"B19013_001E", "B19013_001M", "B25070_010E", "B03002_012M", "C17002_001E"} <= set(wanted)
    assert not any("key=" in q for q in mirror.api.requests)


def test_a_second_run_downloads_only_what_changed(fetched: Path, mirror: Mirror,
                                                   capsys: pytest.CaptureFixture[str]):
    before = {p.name: p.read_bytes() for p in fetched.iterdir() if p.is_file()}
    mirror.log.clear()
    assert main(command(mirror, fetched)) == 0
    out = capsys.readouterr()
    assert "7 of 7 unchanged since the last fetch" in out.out
    statics = [(path, status) for path, status in mirror.log if not path.startswith("/data/")]
    assert statics and all(status == 304 for _, status in statics), statics
    assert {p.name: p.read_bytes() for p in fetched.iterdir() if p.is_file()} == before
    assert not (fetched / ".fetching").exists()
    # CDC publishes a corrected SVI file: only it is downloaded again.
    mirror.files[SVI_PATH] += b"\n"
    mirror.log.clear()
    assert main(command(mirror, fetched)) == 0
    out = capsys.readouterr()
    assert "6 of 7 unchanged" in out.out and "CDC/ATSDR SVI, 2.02 MB: downloaded" in out.err
    assert [s for p, s in mirror.log if p == SVI_PATH] == [200]
    assert (fetched / "SVI2022_Georgia_tract.csv").read_bytes() == mirror.files[SVI_PATH]


def test_a_file_that_is_gone_exits_2_naming_it_and_leaves_the_folder_as_it_was(
        fetched: Path, mirror: Mirror, capsys: pytest.CaptureFixture[str]):
    before = {p.name: p.read_bytes() for p in fetched.iterdir() if p.is_file()}
    mirror.files[SVI_PATH] += b"\n"  # a newer file, which would replace the old one...
    mirror.faults[PLACES_PATH] = ["404"]  # ...but a later file has gone
    assert main(command(mirror, fetched)) == 2
    err = capsys.readouterr().err
    assert "Could not download places_cwsq-ngmh_ga" in err and "404 Not Found" in err
    assert f"Download it by hand, save it as {fetched / 'places_cwsq-ngmh_ga.csv'} and name it in the " \
        'manifest: path = "places_cwsq-ngmh_ga.csv"' in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in fetched.iterdir() if p.is_file()} == before


def test_offline_exits_2_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("JC_FETCH_MIRROR", f"http://127.0.0.1:{port}")
    out = tmp_path / "region"
    assert main(["fetch", "--state", "GA", "--county", "Fulton", "--retries", "1", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Could not get the list of Georgia's counties from the Census Data API" in err
    assert "could not reach 127.0.0.1 after 2 tries" in err and "may be offline" in err
    assert ".counties-0" not in err and "by hand" not in err, "no scratch file to save by hand"
    assert not (out / "manifest.toml").exists()


def test_a_refused_api_request_is_named_without_the_key(mirror: Mirror, tmp_path: Path):
    mirror.faults["/data/2022/acs/acs5?get=B15003_024E"] = ["404"]
    with pytest.raises(DownloadError) as caught:
        fetch_region(FetchRequest("GA", ("Fulton",), api_key="SECRET-KEY"), tmp_path / "r",
                     sleep=lambda s: None)
    message = str(caught.value)
    assert message.startswith("Could not get the ACS 5-year estimates of Fulton County (request 2 of 4) "
                              "from the Census Data API (https://api.census.gov/data/2022/acs/acs5?get="
                              "B15003_024E,"), message
    assert "Ask for it by hand: open the address in a browser" in message
    assert "SECRET-KEY" not in message and "127.0.0.1" not in message
    assert any("key=SECRET-KEY" in q for q in mirror.api.requests), "the key was sent"


def test_a_server_error_is_retried(mirror: Mirror, tmp_path: Path):
    mirror.faults[TRACTS_PATH] = ["500", "500"]
    waits: list[float] = []
    report = fetch_region(FetchRequest("GA", ("Fulton",)), tmp_path / "r", sleep=waits.append)
    assert [s for p, s in mirror.log if p == TRACTS_PATH] == [500, 500, 200]
    assert waits == [1.0, 2.0] and len(report.files) == 5


def test_a_rate_limited_api_is_asked_again(mirror: Mirror, tmp_path: Path):
    mirror.faults["/data/2022/acs/acs5?get=NAME,B03002"] = ["429"]
    fetch_region(FetchRequest("GA", ("DeKalb",)), tmp_path / "r", sleep=lambda s: None)
    statuses = [s for p, s in mirror.log if p.startswith("/data/2022/acs/acs5?get=NAME,B03002")]
    assert statuses == [429, 200]


def test_a_cut_transfer_is_resumed(mirror: Mirror, tmp_path: Path):
    mirror.faults[SVI_PATH] = ["cut"]
    fetch_region(FetchRequest("GA", ("Fulton",)), tmp_path / "r", sleep=lambda s: None)
    assert [s for p, s in mirror.log if p == SVI_PATH] == [200, 206]
    assert (tmp_path / "r" / "SVI2022_Georgia_tract.csv").read_bytes() == mirror.files[SVI_PATH]


def test_a_broken_run_is_carried_on_by_the_next(mirror: Mirror, tmp_path: Path):
    mirror.faults[PLACES_PATH] = ["404"]
    with pytest.raises(DownloadError) as caught:
        fetch_region(FetchRequest("GA", ("Fulton",)), tmp_path / "r", sleep=lambda s: None)
    assert caught.value.kind == "gone" and not (tmp_path / "r" / "manifest.toml").exists()
    mirror.log.clear()
    fetch_region(FetchRequest("GA", ("Fulton",)), tmp_path / "r", sleep=lambda s: None)
    statics = {p: s for p, s in mirror.log if not p.startswith("/data/")}
    assert statics[TRACTS_PATH] == 304 and statics[SVI_PATH] == 304, "kept from the broken run"
    assert (tmp_path / "r" / "manifest.toml").exists() and not (tmp_path / "r" / ".fetching").exists()


def test_the_counties_are_the_districts_when_no_file_is_given(mirror: Mirror, tmp_path: Path):
    fetch_region(FetchRequest("Georgia", ("121", "13089")), tmp_path / "r")
    report = build(tmp_path / "r", tmp_path / "r.duckdb")
    with duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT name FROM districts ORDER BY name").fetchall()]
    assert names == ["DeKalb County", "Fulton County"] and report.units == 530


@pytest.mark.parametrize(("state", "county", "said"), [
    ("GA", "Fulten", "Georgia has no county 'Fulten' (did you mean Fulton County?)"),
    ("Gorgia", "Fulton", "'Gorgia' is not a state"),
])
def test_a_county_or_state_that_does_not_exist_exits_2(mirror: Mirror, tmp_path: Path, state: str,
                                                       county: str, said: str,
                                                       capsys: pytest.CaptureFixture[str]):
    assert main(["fetch", "--state", state, "--county", county, str(tmp_path / "r")]) == 2
    assert said in capsys.readouterr().err


def test_units_counties_must_be_five_digit_codes(tmp_path: Path):
    (tmp_path / "manifest.toml").write_text(
        '[region]\nname = "x"\n[[layer]]\nrole = "units"\npath = "t.geojson"\ncounties = ["121"]\n')
    with pytest.raises(InputError, match="5-digit county FIPS"):
        load_manifest(tmp_path)
