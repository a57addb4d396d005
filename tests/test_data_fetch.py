"""Editors fetch a region from the publishers on the Data page (indicators.store.editor_fetch):
against the loopback publishers (tests/publisher_mirror.py), a fetch of Fulton and DeKalb swaps
in a database of their 530 tracts, audited, with the previous one kept; only a signed-in editor
may fetch, and is refused before anything is downloaded; a failed download changes nothing and
says which file to get by hand; a second fetch sends conditional requests. The Data page shows
the form to an editor, swaps the database on submit and names a county that does not exist."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from indicators.certification import accounts
from indicators.certification.seed import seed_if_absent
from indicators.ingest.fetch_plan import FetchRequest
from indicators.store import editor_load
from indicators.store.editor_fetch import fetch_and_load
from indicators.store.editor_load import LoadError
from tests.conftest import PROJECT, SHARED, needs_shared
from tests.editors import data_page, editor, page_texts
from tests.publisher_mirror import TRACTS_PATH, Mirror

pytestmark = needs_shared

EMAIL = "fetcher@example.org"
ED = editor(EMAIL)
FAST = {"retries": 1, "backoff": 0, "sleep": lambda _s: None}
REGION = "Fulton County and DeKalb County, Georgia"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mirror]:
    server = Mirror(SHARED, tmp_path_factory.mktemp("mirror")).start()
    yield server
    server.stop()


@pytest.fixture
def publishers(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> Mirror:
    mirror.log.clear()
    mirror.faults.clear()
    monkeypatch.setenv("JC_FETCH_MIRROR", mirror.url)
    return mirror


class Live:
    """The sample region's database and records database, in a folder of their own."""

    def __init__(self, root: Path, sample_db: Path):
        self.db = root / "data" / "indicators.duckdb"
        self.records = root / "data" / "certification.duckdb"
        self.db.parent.mkdir(parents=True)
        shutil.copyfile(sample_db, self.db)
        seed_if_absent(PROJECT / "data" / "sample", self.records)

    def fetch(self, counties: tuple[str, ...] = ("Fulton", "DeKalb"), **options: object):
        return fetch_and_load(FetchRequest("GA", counties), **{"editor": ED, "db": self.db,
                                                               "records_db": self.records, **FAST, **options})

    def meta(self, key: str) -> str:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()[0]

    def units(self) -> int:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM units").fetchone()[0]

    def audit(self) -> list[tuple]:
        with duckdb.connect(str(self.records), read_only=True) as con:
            return con.execute("SELECT action, actor, after FROM audit_log WHERE table_name = "
                               "'indicators database' ORDER BY audit_id").fetchall()


@pytest.fixture
def live(tmp_path: Path, sample_db: Path) -> Live:
    return Live(tmp_path, sample_db)


# --------------------------------------------------------------------------------------------


def test_a_fetch_swaps_in_the_fetched_region_and_is_audited(live, publishers):
    original = sha(live.db)
    events = []
    result = live.fetch(progress=events.append)
    assert live.meta("region_name") == REGION and live.units() == 530
    assert sha(live.db) == result.sha256 != original and result.previous_sha256 == original
    assert sha(editor_load.previous_path(live.db)) == original, "the old database is kept"
    assert result.region.parent == live.db.parent / "regions"
    assert result.region.name.startswith("region-fetched-") and result.file_name == result.region.name
    assert editor_load.region_of(live.db) == result.region.resolve()
    assert result.files == 5 and result.unchanged == 0 and "Fulton County" in result.summary
    assert any(e.finished for e in events) and events[-1].index == events[-1].files
    [(action, actor, after)] = live.audit()
    assert actor == ED.audit_name and action == "fetch data"
    fetched = json.loads(after)["fetch"]
    assert (fetched["state"], fetched["counties"], fetched["year"]) == ("GA", ["Fulton", "DeKalb"], 2022)
    assert len(fetched["files"]) == result.files and all(len(f["sha256"]) == 64 for f in fetched["files"])
    assert [f["name"] for f in fetched["files"] if not f["url"]] in ([], ["counties.geojson"]), fetched


@pytest.mark.parametrize("who", ["nobody", "viewer", "name"])
def test_only_a_signed_in_editor_may_fetch_and_nothing_is_downloaded_first(live, publishers, who):
    account = {"nobody": None, "viewer": accounts.Account("vera", "Vera", "viewer", seal="0" * 64),
               "name": EMAIL}[who]
    before = sha(live.db)
    with pytest.raises(accounts.NotAuthorisedError):
        live.fetch(editor=account)
    assert publishers.log == [] and sha(live.db) == before and live.audit() == []
    assert not (live.db.parent / "regions").exists()


def test_a_failed_download_changes_nothing_and_names_the_file(live, publishers):
    before = sha(live.db)
    publishers.faults[TRACTS_PATH[:5]] = ["404"]
    with pytest.raises(LoadError) as caught:
        live.fetch()
    message = str(caught.value)
    assert message.startswith("Nothing was changed: ") and "Traceback" not in message
    assert "cb_2022_13_tract_500k.zip" in message and "404 Not Found" in message, message
    assert message.endswith("it says where to save a file downloaded by hand."), message
    assert "regions/region-" not in message, "no folder that is removed is named"
    assert sha(live.db) == before and not editor_load.previous_path(live.db).exists()
    assert live.audit() == [] and not list((live.db.parent / "regions").glob("region-*"))


def test_a_county_that_does_not_exist_is_named(live, publishers):
    before = sha(live.db)
    with pytest.raises(LoadError, match="Atlantis"):
        live.fetch(counties=("Atlantis",))
    assert sha(live.db) == before and live.audit() == []


def test_a_second_fetch_asks_conditionally_and_reports_the_files_unchanged(live, publishers):
    first = live.fetch()
    publishers.log.clear()
    second = live.fetch()
    assert second.unchanged == second.files == first.files, second.summary
    assert "unchanged since the last fetch" in second.summary
    statuses = [status for path, status in publishers.log if not path.startswith("/data/")]
    assert statuses and set(statuses) == {304}, publishers.log
    assert live.meta("region_name") == REGION and len(live.audit()) == 2
    assert not first.region.exists() or editor_load.region_of(editor_load.previous_path(live.db)) == \
        first.region.resolve(), "only the versions the live and previous databases name are kept"


# --------------------------------------------------------------------------------------------
# The Data page


@pytest.fixture
def page(live, monkeypatch, steady_navigation):
    return data_page(live.db, live.records, monkeypatch, EMAIL, "Fetcher", timeout=180)


texts = page_texts


def test_a_visitor_sees_no_fetch_form(page):
    at = page(signed_in=False)
    assert "Fetch a region from the publishers" not in texts(at)
    assert not at.get("form_submit_button")


def test_an_editor_fetches_from_the_page(page, live, publishers):
    at = page(signed_in=True)
    assert "Fetch a region from the publishers (editors)" in texts(at)
    assert "Fetch and build" in [b.label for b in at.get("form_submit_button")]
    assert at.selectbox(key="data_fetch_state").value.name == "Georgia"
    at.text_input(key="data_fetch_counties").input("Atlantis")
    at.get("form_submit_button")[[b.label for b in at.get("form_submit_button")].index("Fetch and build")] \
        .click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Atlantis" in e.value and "Nothing was changed" in e.value for e in at.error), texts(at)
    assert live.audit() == []
    at.text_input(key="data_fetch_counties").input("Fulton, DeKalb")
    at.get("form_submit_button")[[b.label for b in at.get("form_submit_button")].index("Fetch and build")] \
        .click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any("Fetched" in s.value and "swapped" in s.value for s in at.success), texts(at)
    assert live.meta("region_name") == REGION and len(live.audit()) == 1
