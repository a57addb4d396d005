"""Editors load files from the Data page (indicators.store.editor_load): a good file changes the
built tables, a bad or hostile one is refused with a sentence and changes nothing (the live
database, the previous one and the region folder byte-for-byte), only a signed-in editor may
load or restore, a restore brings back the previous database exactly, and every change is in
the audit log. The Data page shows the form to a signed-in editor and nothing to a visitor."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest

from indicators.certification import accounts, audit
from indicators.certification.seed import seed_if_absent
from indicators.store import editor_load
from indicators.store.build import build
from indicators.store.editor_load import LoadError, load_file, restore_previous
from tests import toy
from tests.editors import data_page, editor, local, page_texts

ED = editor("loader@example.org")
BAD = Path(__file__).parent / "data" / "bad"
LOCK = ".indicators.duckdb.load-lock"  #: the lock file beside the database (empty, kept)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


class Live:
    """A toy region, its built database and records database, and what they hold now."""

    def __init__(self, root: Path):
        self.region = toy.write_region(root / "region")
        self.db = root / "data" / "indicators.duckdb"
        self.records = root / "data" / "certification.duckdb"
        build(self.region, self.db)
        seed_if_absent(self.region, self.records)

    def state(self) -> tuple[str, str | None, dict[str, str], list[str]]:
        previous = editor_load.previous_path(self.db)
        return (sha(self.db), sha(previous) if previous.exists() else None, folder_digest(self.region),
                sorted(p.name for p in self.db.parent.iterdir() if p.name not in ("regions", LOCK))
                + sorted(p.name for p in (self.db.parent / "regions").glob("*")))

    def load(self, data: bytes, filename: str, **options: object) -> editor_load.LoadResult:
        options = {"role": "census", "profile": "acs", "editor": ED, **options}
        return load_file(data, filename, db=self.db, records_db=self.records, **options)  # type: ignore[arg-type]

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()

    def audit(self) -> list[tuple]:
        with duckdb.connect(str(self.records), read_only=True) as con:
            return con.execute("SELECT action, actor, table_name, project_id, before, after FROM audit_log "
                               "WHERE table_name = 'indicators database' ORDER BY audit_id").fetchall()


@pytest.fixture
def live(tmp_path: Path) -> Live:
    return Live(tmp_path)


def doubled_acs() -> bytes:
    return toy.acs_csv({g: (v[0] * 2, v[1], v[2] * 2, v[3]) for g, v in toy.ACS_ROWS.items()}).encode()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def assert_refused(live: Live, before: tuple, fragments: tuple[str, ...], data: bytes, filename: str,
                   **options: object) -> LoadError:
    with pytest.raises(LoadError) as caught:
        live.load(data, filename, **options)
    message = str(caught.value)
    assert message[:1].isupper() and message.rstrip().endswith((".", ")")), message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert live.state() == before, "something was changed by a refused load"
    return caught.value


# --------------------------------------------------------------------------------------------


def test_a_census_layer_load_changes_the_built_tables_and_is_audited(live):
    before = live.state()
    result = live.load(doubled_acs(), "ACS again.csv", title="ACS, doubled", vintage="ACS 2020-2024")
    assert result.file_name == "ACS_again.csv" and result.previous_sha256 == before[0]
    assert sha(live.db) == result.sha256 != before[0]
    assert sha(editor_load.previous_path(live.db)) == before[0], "the old database is kept"
    assert folder_digest(live.region) == before[2], "the live region folder is never changed"
    layers = live.query("SELECT layer_id, role, title, profile, vintage FROM layers ORDER BY layer_id")
    assert layers[-1] == (5, "census", "ACS, doubled", "acs", "ACS 2020-2024")
    loaded = dict(live.query("SELECT geoid, estimate FROM estimates WHERE layer_id = 5 AND "
                             "variable = 'pop_total'"))
    assert loaded == {g: 2 * v[0] for g, v in toy.ACS_ROWS.items()}
    staged = Path(live.query("SELECT value FROM meta WHERE key = 'manifest_path'")[0][0]).parent
    assert staged.parent == live.db.parent / "regions"
    assert (staged / "ACS_again.csv").read_bytes() == doubled_acs()
    [(action, actor, table, project, old, new)] = live.audit()
    assert (action, actor, table, project) == ("load data", ED.audit_name, "indicators database", None)
    old, new = json.loads(old), json.loads(new)
    assert old["sha256"] == before[0] and new["sha256"] == result.sha256
    assert new["file"] == "ACS_again.csv" and new["file_sha256"] == hashlib.sha256(doubled_acs()).hexdigest()
    assert [layer["title"] for layer in new["layers"]][-1] == "ACS, doubled"


def test_districts_replace_the_regions_districts(live):
    whole = [[[toy.X0, toy.Y0], [toy.X0 + 3 * toy.STEP, toy.Y0], [toy.X0 + 3 * toy.STEP, toy.Y0 + toy.STEP],
              [toy.X0, toy.Y0 + toy.STEP], [toy.X0, toy.Y0]]]
    top = [[[x, y + toy.STEP] for x, y in whole[0]]]
    features = [{"type": "Feature", "properties": {"WARD": name}, "geometry": {"type": "Polygon",
                                                                             "coordinates": ring}}
                for name, ring in (("South ward", whole), ("North ward", top))]
    live.load(toy.feature_collection(features).encode(), "wards.geojson", role="districts", profile=None,
              name="WARD", title="Wards")
    assert sorted(r[0] for r in live.query("SELECT name FROM districts")) == ["North ward", "South ward"]
    roles = [r[0] for r in live.query("SELECT role FROM layers ORDER BY layer_id")]
    assert roles == ["units", "census", "districts", "overlay"], "the districts took the old ones' place"


def test_a_zipped_shapefile_overlay_loads(live, tmp_path):
    frame = toy_frame(toy.holc_features())
    frame.to_file(tmp_path / "holc.shp")
    parts = (".shp", ".shx", ".dbf", ".prj")
    data = zipped({f"holc{s}": (tmp_path / f"holc{s}").read_bytes() for s in parts})
    result = live.load(data, "holc.zip", role="overlay", profile="holc")
    assert result.file_name == "holc.zip"
    assert live.query("SELECT count(*) FROM overlays WHERE layer_id = 5") == [(1,)]


def toy_frame(features: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")


@pytest.mark.parametrize(("name", "data", "fragments"), [
    ("traversal.zip", zipped({"../evil.shp": b"x", "../evil.shx": b"x", "../evil.dbf": b"x"}),
     ("leads out of its folder", "not allowed")),
    ("absolute.zip", zipped({"/etc/evil.shp": b"x"}), ("absolute path",)),
    ("bomb.zip", zipped({"a.shp": b"\0" * 5_000_000, "a.shx": b"x", "a.dbf": b"x"}), ("zip bomb",)),
    ("notzip.zip", b"this is not a zip at all", ("is named .zip but its contents are not",)),
    ("tracts.gpkg", b"{}", ("is named .gpkg",)),
    ("empty.csv", b"", ("empty",)),
    ("table.xlsx", b"PK\x03\x04", ("is read from a .csv",)),
])
def test_hostile_files_are_refused_before_anything_is_built(live, name, data, fragments):
    role = "overlay" if name.endswith((".zip", ".gpkg")) else "census"
    assert_refused(live, live.state(), fragments, data, name, role=role,
                   profile="holc" if role == "overlay" else "acs")


def test_size_and_feature_limits_come_from_the_environment(live, monkeypatch):
    before = live.state()
    monkeypatch.setenv("JC_MAX_LOAD_MB", "0.0001")
    assert_refused(live, before, ("the limit is 0.0001 MB", "JC_MAX_LOAD_MB"), doubled_acs(), "acs.csv")
    monkeypatch.delenv("JC_MAX_LOAD_MB")
    monkeypatch.setenv("JC_MAX_LOAD_FEATURES", "3")
    assert_refused(live, before, ("more than the 3", "JC_MAX_LOAD_FEATURES"), doubled_acs(), "acs.csv")


def test_wrong_profile_columns_and_wrong_geoids_get_the_builds_messages(live):
    before = live.state()
    refused = assert_refused(live, before, ("was not loaded, and nothing was changed",
                                            "no column this American Community Survey"),
                             b"GEOID,households,rent\n13121000101,1,2\n", "rents.csv")
    assert any("Expected columns such as B03002_001" in p for p in refused.problems)
    elsewhere = toy.acs_csv({"13089" + g[5:]: v for g, v in toy.ACS_ROWS.items()}).encode()
    assert_refused(live, before, ("none of its 6 GEOIDs match a unit", "same census geography vintage"),
                   elsewhere, "dekalb.csv")


def test_districts_need_their_name_column_and_a_known_profile(live):
    before = live.state()
    features = toy.feature_collection(toy.district_features()).encode()
    assert_refused(live, before, ("column of the file names each district",), features, "d.geojson",
                   role="districts", profile=None, name="")
    assert_refused(live, before, ("DISTRICT_NAME",), features, "d.geojson", role="districts", profile=None,
                   name="DISTRICT_NAME")
    assert_refused(live, before, ("not for census layers",), doubled_acs(), "a.csv", profile="holc")
    assert_refused(live, before, ("cannot be loaded as 'units'",), doubled_acs(), "a.csv", role="units")


@pytest.mark.parametrize("who", ["nobody", "viewer", "forged", "name"])
def test_only_a_signed_in_editor_may_load_or_restore(live, who):
    account = {"nobody": None, "viewer": local("Vera Viewer", "vera", role="viewer"),
               "forged": accounts.Account("ed", "Ed", "editor", seal="0" * 64),
               "name": "loader@example.org"}[who]
    before = live.state()
    with pytest.raises(accounts.NotAuthorisedError):
        live.load(doubled_acs(), "acs.csv", editor=account)
    with pytest.raises(accounts.NotAuthorisedError):
        restore_previous(editor=account, db=live.db, records_db=live.records)
    assert live.state() == before and live.audit() == []


def test_restore_brings_back_the_previous_database_exactly_and_can_be_undone(live):
    original = sha(live.db)
    with pytest.raises(LoadError, match="no previous database"):
        restore_previous(editor=ED, db=live.db, records_db=live.records)
    loaded = live.load(doubled_acs(), "acs2.csv").sha256
    restored = restore_previous(editor=ED, db=live.db, records_db=live.records)
    assert sha(live.db) == restored.sha256 == original
    assert sha(editor_load.previous_path(live.db)) == loaded, "the replaced one is the new previous"
    assert live.query("SELECT count(*) FROM layers") == [(4,)]
    restore_previous(editor=ED, db=live.db, records_db=live.records)
    assert sha(live.db) == loaded
    assert [row[0] for row in live.audit()] == ["load data", "restore data", "restore data"]
    assert json.loads(live.audit()[1][5])["sha256"] == original
    assert audit.verify(live.records).ok, "the load and restore rows are chained like every other"


def test_an_audit_that_cannot_be_written_undoes_the_swap(live, monkeypatch):
    before = live.state()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(editor_load, "record_data_load", broken)
    assert_refused(live, before, ("audit log", "undone"), doubled_acs(), "acs.csv")


def test_a_reader_of_the_old_file_keeps_reading_through_the_swap(live):
    reader = duckdb.connect(str(live.db), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM layers").fetchone() == (4,)
        live.load(doubled_acs(), "acs2.csv")
        assert reader.execute("SELECT count(*) FROM layers").fetchone() == (4,), "the old file still"
    finally:
        reader.close()
    assert live.query("SELECT count(*) FROM layers") == [(5,)]


@pytest.mark.skipif(not BAD.is_dir(), reason="no hostile-file corpus in tests/data/bad")
def test_every_hostile_corpus_file_is_refused_with_a_sentence_or_loads_cleanly(live):
    outcomes: dict[str, str] = {}
    for path in sorted(p for p in BAD.iterdir() if p.suffix.lower() in (".csv", ".json", ".geojson",
                                                                       ".zip", ".gpkg", ".txt")):
        table = path.suffix.lower() in (".csv", ".txt") or path.name.startswith("api_")
        options = ({"role": "census", "profile": "acs"} if table
                   else {"role": "districts", "profile": None, "name": "NAME"})
        before = live.state()
        try:
            live.load(path.read_bytes(), path.name, **options)
        except LoadError as exc:
            message = str(exc)
            assert message[:1].isupper() and "Traceback" not in message, (path.name, message)
            assert live.state() == before, f"{path.name}: refused, but something changed"
            outcomes[path.name] = "unexpected" if "unexpected problem" in message else "refused"
        else:
            outcomes[path.name] = "loaded"
    assert outcomes, "the corpus is empty"
    unexpected = [name for name, outcome in outcomes.items() if outcome == "unexpected"]
    assert not unexpected, f"files that reached a reader's unforeseen failure: {unexpected}"


# --------------------------------------------------------------------------------------------
# The Data page


EMAIL = "loader@example.org"


@pytest.fixture
def page(live, monkeypatch, steady_navigation):
    return data_page(live.db, live.records, monkeypatch, EMAIL, "Loader", timeout=90)


texts = page_texts


def test_a_visitor_sees_no_load_form(page):
    at = page(signed_in=False)
    assert "Load data (editors)" not in texts(at)
    assert not at.get("form_submit_button") and not [b for b in at.button if b.label == "Restore"]
    assert not at.get("file_uploader")


def test_an_editor_sees_the_form_and_restores_from_the_page(page, live):
    at = page(signed_in=True)
    assert "Load data (editors)" in texts(at)
    assert [b.label for b in at.get("form_submit_button")] == ["Check and load", "Fetch and build"]
    assert not [b for b in at.button if b.label == "Restore"], "nothing to restore yet"
    original = sha(live.db)
    live.load(doubled_acs(), "acs2.csv")
    at = page(signed_in=True)
    at.checkbox(key="data_restore_sure").check().run()
    at.button(key="data_restore").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Restored the previous database" in texts(at)
    assert sha(live.db) == original
    assert [row[0] for row in live.audit()] == ["load data", "restore data"]
