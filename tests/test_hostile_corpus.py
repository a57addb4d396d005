"""Every file of the hostile-input corpus (``tests/data/bad``) meets the readers as a user's file.

Each file is put into a copy of the toy region (:mod:`tests.toy`) in the role its catalogue
entry names (units, census or districts) and run through ``python -m indicators check`` and
``build`` in-process (a few also in a subprocess, as a user runs them). A refused file gets exit
2, one ``ERROR`` line with a fix per problem, no traceback, and the database already there stays
byte-for-byte unchanged with no temporary file left. A file that is legitimately readable builds,
and its hostile names are stored verbatim (text, never run) with every table still there. Every
boundary file also goes through the residents' upload: an :class:`UploadError` sentence, or a
clean read of named, valid polygons; and every file goes through the editors' load from the Data
page (census tables as census, boundaries as districts): a :class:`LoadError` sentence with the
database, the records database and the region folder unchanged, or a clean load.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
import shapely

from indicators.certification.seed import seed_if_absent
from indicators.cli import main
from indicators.ingest.upload import MAX_NAME_CHARS, UploadError, read_upload
from indicators.store.editor_load import LoadError, load_file
from tests import toy
from tests.conftest import PROJECT
from tests.data.bad.make_corpus import CORPUS, ENTRIES, HERE, HOSTILE_NAMES, LONG_NAME, ZIP_DATE, Entry
from tests.editors import editor

#: The file each role's corpus file replaces in the toy region's manifest.
ROLE_PATHS = {"units": "tracts.geojson", "census": "acs.csv", "districts": "districts.geojson"}
#: Files whose problem is reported against another layer (the one they no longer match).
BLAMED = {"ten_digit_geoids.geojson": "acs.csv", "wrong_prj.zip": "districts.geojson"}
#: What a built file's hostile names must be stored as: (table, column, names).
STORED = {
    "hostile_unit_names.geojson": ("units", "name", list(HOSTILE_NAMES[:6])),
    "hostile_names.gpkg": ("units", "name", list(HOSTILE_NAMES[:6])),
    "hostile_district_names.geojson": ("districts", "name", list(HOSTILE_NAMES)),
    "long_district_names.geojson": ("districts", "name", [LONG_NAME, "B" * 10_000]),
    # GDAL ends a text field at a NUL byte; read_districts strips the ends (tab, carriage return)
    "control_char_names.geojson": ("districts", "name", ["West", "East\u202eedisni\u200b", "Tabbed"]),
}
#: Boundary files the residents' upload reads cleanly (every other one it refuses).
UPLOAD_READS = {
    "mixed_geometries.geojson", "self_intersecting.geojson", "bom.geojson", "duplicate_geoids.geojson",
    "county_geoids.geojson", "ten_digit_geoids.geojson", "letter_geoids.geojson",
    "block_group_geoids.geojson", "null_geoids.geojson", "sql_geoids.geojson",
    "hostile_unit_names.geojson", "hostile_district_names.geojson", "long_district_names.geojson",
    "control_char_names.geojson", "empty_district_names.geojson", "wrong_prj.zip", "hostile_names.gpkg",
}
#: Run as a user runs them too, in a fresh interpreter: one file of each kind of reader crash fixed.
SUBPROCESS = ("deep_nesting.geojson", "latin1.geojson", "unclosed_ring.geojson", "corrupt.gpkg",
              "api_bad_header.json", "unbalanced_quotes.csv")

pytestmark = [pytest.mark.filterwarnings("ignore::RuntimeWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def toy_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The toy region and a database built from it, once: (region, database)."""
    tmp = tmp_path_factory.mktemp("hostile")
    region = toy.write_region(tmp / "region")
    db = tmp / "db" / "indicators.duckdb"
    assert main(["build", str(region), "--out", str(db)]) == 0
    return region, db


def placed(entry: Entry, toy_built: tuple[Path, Path], tmp: Path) -> tuple[Path, Path, str]:
    """A copy of the toy region with ``entry``'s file in its role, and a copy of the built
    database: (region, database, the database's sha256)."""
    region, db = toy_built
    copy = tmp / "region"
    shutil.copytree(region, copy)
    shutil.copyfile(HERE / entry.name, copy / entry.name)
    manifest = copy / "manifest.toml"
    old = f'path = "{ROLE_PATHS[entry.role]}"'
    assert old in manifest.read_text()
    manifest.write_text(manifest.read_text().replace(old, f'path = "{entry.name}"', 1))
    (tmp / "db").mkdir()
    out = tmp / "db" / "indicators.duckdb"
    shutil.copyfile(db, out)
    return copy, out, sha(out)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_plain(output: str, entry: Entry) -> None:
    """Every ERROR line names a file and says the fix; nothing looks like a traceback."""
    assert "Traceback" not in output and 'File "' not in output, output
    errors = [line for line in output.splitlines() if line.startswith("ERROR ")]
    assert errors, f"no ERROR line for {entry.name}:\n{output}"
    blamed = BLAMED.get(entry.name, entry.name)
    assert any(line.startswith(f"ERROR {blamed}") for line in errors), output
    for line in errors:
        assert " Fix: " in line and line.rstrip().endswith("."), line


def test_corpus_is_complete_and_small() -> None:
    names = [e.name for e in ENTRIES]
    files = sorted(p.name for p in HERE.iterdir() if p.name not in ("README.md", "make_corpus.py")
                   and p.name != "__pycache__")
    assert len(names) == len(set(names)) >= 40
    assert sorted(names) == files, "the catalogue and the folder differ: run make_corpus"
    readme = (HERE / "README.md").read_text()
    for entry in ENTRIES:
        assert 0 < (HERE / entry.name).stat().st_size < 200_000, entry.name
        assert f"`{entry.name}`" in readme, f"{entry.name} is not in README.md"
        assert entry.role in ROLE_PATHS and entry.outcome in ("refused", "built")
    assert set(STORED) <= {e.name for e in ENTRIES if e.outcome == "built"}


def test_corpus_is_what_the_script_makes() -> None:
    """The committed files are the script's (GeoPackages hold their creation time, so differ)."""
    differ = [e.name for e, make in CORPUS
              if not e.name.endswith(".gpkg") and make() != (HERE / e.name).read_bytes()]
    assert not differ, f"{differ} differ from make_corpus.py: run it again and commit the files"


def test_corpus_does_not_depend_on_the_day_it_is_made() -> None:
    """Every .dbf in the zips carries ZIP_DATE, not the day GDAL wrote it (CI runs on other days)."""
    dated = {}
    for entry in ENTRIES:
        if entry.name.endswith(".zip") and zipfile.is_zipfile(HERE / entry.name):
            with zipfile.ZipFile(HERE / entry.name) as archive:
                for info in archive.infolist():
                    if info.filename.endswith(".dbf") and not stat.S_ISLNK(info.external_attr >> 16):
                        header = archive.read(info)[:4]
                        dated[f"{entry.name}:{info.filename}"] = (1900 + header[1], header[2], header[3])
    assert len(dated) >= 10
    assert set(dated.values()) == {ZIP_DATE[:3]}, dated


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_check_and_build(entry: Entry, toy_built, tmp_path: Path, capsys) -> None:
    region, db, digest = placed(entry, toy_built, tmp_path)
    check_code, check_out = run(["check", str(region)], capsys)
    build_code, build_out = run(["build", str(region), "--out", str(db)], capsys)
    if entry.outcome == "refused":
        assert check_code == 2, check_out
        assert build_code == 2, build_out
        assert_plain(check_out, entry)
        assert_plain(build_out, entry)
        assert sha(db) == digest, "the existing database was changed"
        assert sorted(p.name for p in db.parent.iterdir()) == ["indicators.duckdb"], "temp file left"
        return
    assert check_code == 0, check_out
    assert build_code == 0, build_out
    assert "Traceback" not in check_out + build_out
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {t for (t,) in con.execute("SHOW TABLES").fetchall()}
        assert {"units", "districts", "estimates", "layers"} <= tables, "a table was lost"
        assert con.execute("SELECT count(*) FROM units").fetchone() == (6,)
        for table, column in (("estimates", "estimate"), ("indicator_values", "value")):
            infinite = con.execute(f"SELECT count(*) FROM {table} WHERE isinf({column})").fetchone()
            assert infinite == (0,), f"infinite {column}s stored in {table}"
        if entry.name in STORED:
            table, column, names = STORED[entry.name]
            stored = [n for (n,) in con.execute(f"SELECT {column} FROM {table}").fetchall()]
            assert sorted(stored) == sorted(names), "names were not stored verbatim"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.boundary], ids=lambda e: e.name)
def test_upload(entry: Entry) -> None:
    data = (HERE / entry.name).read_bytes()
    if entry.name not in UPLOAD_READS:
        with pytest.raises(UploadError) as caught:
            read_upload(data, entry.name)
        message = str(caught.value)
        assert message[0].isupper() and message.endswith(".") and ": " in message, message
        assert "jc-upload" not in message, "the server's temporary folder in the message"
        return
    upload = read_upload(data, entry.name)
    names = upload.areas["name"].tolist()
    assert names and len(set(names)) == len(names)
    for name in names:
        assert isinstance(name, str) and 0 < len(name) <= MAX_NAME_CHARS and name.isprintable(), name
    assert upload.areas.crs.to_string() == "EPSG:4326"
    geometry = upload.areas.geometry.to_numpy()
    assert shapely.is_valid(geometry).all()
    assert set(shapely.get_type_id(geometry)) <= {3, 6}  # Polygon, MultiPolygon
    for note in upload.notes:
        assert note[0].isupper() and note.endswith("."), note


@pytest.mark.parametrize("name", SUBPROCESS)
def test_command_line(name: str, toy_built, tmp_path: Path) -> None:
    """``python -m indicators build`` in a fresh interpreter: exit 2, no traceback on stderr."""
    entry = next(e for e in ENTRIES if e.name == name)
    region, db, digest = placed(entry, toy_built, tmp_path)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-m", "indicators", "build", str(region), "--out", str(db)],
                            cwd=PROJECT, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2, result.stderr
    assert_plain(result.stdout + result.stderr, entry)
    assert sha(db) == digest


@pytest.fixture(scope="module")
def records_built(toy_built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The records database seeded from the toy region, once."""
    region, _ = toy_built
    records = tmp_path_factory.mktemp("records") / "certification.duckdb"
    seed_if_absent(region, records)
    return records


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_editor_load(entry: Entry, toy_built, records_built, tmp_path: Path) -> None:
    """The Data page's load: census files as a census table, every other file as districts."""
    region, db = toy_built
    live = tmp_path / "data" / "indicators.duckdb"
    records = live.with_name("certification.duckdb")
    shutil.copytree(region, tmp_path / "region")
    live.parent.mkdir()
    shutil.copyfile(db, live)
    shutil.copyfile(records_built, records)
    before = (sha(live), sha(records), folder_digest(tmp_path / "region"))
    options = ({"role": "census", "profile": "acs"} if entry.role == "census"
               else {"role": "districts", "profile": None, "name": "NAME"})
    try:
        load_file((HERE / entry.name).read_bytes(), entry.name, editor=editor("loader@example.org"),
                  region=tmp_path / "region", db=live, records_db=records, **options)  # type: ignore[arg-type]
    except LoadError as exc:
        message = str(exc)
        assert message[:1].isupper() and message.rstrip().endswith("."), message
        assert "Traceback" not in message and "unexpected problem" not in message, message
        assert (sha(live), sha(records), folder_digest(tmp_path / "region")) == before, "something changed"
        return
    assert entry.outcome == "built" or entry.role == "units", f"{entry.name} loaded: it should not"
    with duckdb.connect(str(live), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM units").fetchone() == (6,)
        assert con.execute("SELECT count(*) FROM districts").fetchone()[0] > 0
