"""``python -m indicators fetch``: a region folder from the publishers themselves.

:func:`fetch_region` downloads, for one state's counties and one ACS year, the Census Bureau's
cartographic-boundary tracts, the ACS 5-year variables the registry needs (Census Data API,
:mod:`indicators.ingest.census_api`), CDC/ATSDR SVI and CDC PLACES for the state, EJScreen files
from any URL given, and the districts file named (or the counties as districts), then writes
the region's ``manifest.toml``, each layer with its address, download time, size and SHA-256.

Nothing in the region folder is ever half-written. Files arrive in ``<folder>/.fetching/``
(each through :func:`indicators.ingest.download.fetch`: ``.part`` then rename, resumed with a
Range request after a broken transfer) and are moved into the folder, manifest last, only when
every file is complete; a run that fails leaves the folder as it was, and the next run carries
on from what ``.fetching`` holds. ``downloads.toml`` keeps each file's validators (ETag,
Last-Modified) and SHA-256, so a second run sends conditional requests and reports which files
are unchanged; the Census Data API sends no validators, so its answers are compared by checksum.
"""

from __future__ import annotations

import os
import shutil
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd

from indicators.ingest import census_api, publishers
from indicators.ingest.download import DownloadError, fetch
from indicators.ingest.fetch_plan import Fetched, FetchRequest, layer_entry, resolve_counties, shapefile_parts
from indicators.ingest.files import sha256
from indicators.ingest.manifest import MANIFEST_NAME
from indicators.ingest.manifest_text import dump_manifest
from indicators.ingest.states import State
from indicators.problems import InputError, Problem

STAGING = ".fetching"
RECORD = "downloads.toml"


@dataclass(frozen=True)
class FetchEvent:
    """Progress of a fetch: file ``index`` of ``files`` (1-based), bytes ``done`` of ``total``
    (None where the server does not say), and ``finished`` once the file is complete."""

    name: str
    index: int
    files: int
    done: int = 0
    total: int | None = None
    finished: bool = False
    changed: bool = True
    #: What a finished step found, where that says more than "downloaded" or "unchanged".
    note: str = ""


Progress = Callable[[FetchEvent], None]


@dataclass
class FetchReport:
    """What a fetch did: the folder, each file (and whether it changed), and the counties."""

    folder: Path
    files: list[Fetched]
    counties: dict[str, str]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> list[Fetched]:
        """The files that were the same as the last run's (not downloaded again, or the same bytes)."""
        return [f for f in self.files if not f.changed]

    def summary(self) -> str:
        """One sentence for the command line and the Data page."""
        names = ", ".join(self.counties.values())
        size = sum(f.bytes for f in self.files) / 1e6
        same = len(self.unchanged)
        again = (f"; {same} of {len(self.files)} unchanged since the last fetch (the server said "
                 "so, or the bytes were the same)" if same else "")
        return (f"Fetched {len(self.files)} files ({size:,.1f} MB) for {names} into {self.folder} in "
                f"{self.seconds:.1f} s{again}. Build it with: python -m indicators build {self.folder}")


class _Run:
    """One fetch: the request, the staging folder, what the last runs recorded, progress."""

    def __init__(self, request: FetchRequest, folder: Path, seed: Path | None, progress: Progress | None,
                 files: int, options: dict[str, object]):
        self.request, self.folder, self.progress, self.options = request, folder, progress, options
        self.staging = folder / STAGING
        self.staging.mkdir(parents=True, exist_ok=True)
        self.seed = seed or folder
        #: What the region folder (or seed) holds, and what an unfinished run left in staging.
        self.published, self.staged = _records(self.seed / RECORD), _records(self.staging / RECORD)
        self.files, self.index, self.done = files, 0, []

    def begin(self, title: str) -> None:
        """The next file starts."""
        self.index += 1
        self.event(title, 0, None)

    def download(self, url: str, name: str, title: str) -> Fetched:
        """One publisher's file into the staging folder, conditionally where it was fetched before."""
        self.begin(title)
        dest = self.staging / name
        old = self.published.get(name, {})
        if not dest.exists() and (self.seed / name).exists() and old:
            _link(self.seed / name, dest)
        valid = self.staged.get(name, old) if dest.exists() else {}
        try:
            got = fetch(publishers.mirrored(url, self.request.mirror), dest,
                        etag=str(valid.get("etag", "")) or None,
                        last_modified=str(valid.get("last_modified", "")) or None,
                        progress=lambda done, total: self.event(title, done, total), **self.options)
        except DownloadError as exc:  # the file by hand goes in the region folder, not in staging
            raise DownloadError(exc.message.replace(str(dest), str(self.folder / name)), url=exc.url,
                                status=exc.status, kind=exc.kind, file=name) from None
        changed = got.sha256 != old.get("sha256")
        stamp = got.fetched_at if changed else str(old.get("fetched_at", got.fetched_at))
        return self.finish(Fetched(name, url, got.bytes, got.sha256, stamp, changed, got.etag or "",
                                   got.last_modified or ""), title)

    def api_table(self, queries: list[census_api.Query], scratch: str, what: str,
                  geography: tuple[str, ...] = census_api.GEOGRAPHY) -> list[list[object]]:
        """The rows of Census Data API answers about ``what``, joined (one county's chunks)."""
        answers = []
        for i, query in enumerate(queries):
            path = self.staging / f".{scratch}-{i}.json"
            asked = f"{what} (request {i + 1} of {len(queries)})" if len(queries) > 1 else what
            try:
                fetch(publishers.mirrored(query.url, self.request.mirror), path, **self.options)
            except DownloadError as exc:
                tracts = geography == census_api.GEOGRAPHY
                raise _api_error(exc, asked, query, self.request.mirror, by_hand=tracts) from None
            text = path.read_text(encoding="utf-8")
            path.unlink()
            try:
                answers.append(census_api.read_answer(text, query.variables, geography))
            except census_api.CensusAnswerError as exc:
                raise InputError([Problem("api.census.gov", f"{exc} (asked: {query.public_url})",
                                          "check --year (the ACS 5-year tables start in 2009) and try "
                                          "again later if the API is having trouble")]) from None
        return census_api.join_answers(answers, geography)

    def written(self, name: str, text: str, url: str, title: str, queries: list[str]) -> Fetched:
        """A file this run wrote itself (joined API answers, dissolved counties), after :meth:`begin`."""
        dest = self.staging / name
        tmp = dest.with_name(dest.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, dest)
        old = self.published.get(name, {})
        digest = sha256(dest)
        changed = digest != old.get("sha256")
        stamp = _now() if changed else str(old.get("fetched_at", _now()))
        return self.finish(Fetched(name, url, dest.stat().st_size, digest, stamp, changed,
                                   requests=queries), title)

    def event(self, title: str, done: int, total: int | None, **finished: bool | str) -> None:
        if self.progress:
            self.progress(FetchEvent(title, self.index, self.files, done, total, **finished))

    def finish(self, fetched: Fetched, title: str) -> Fetched:
        """A file is complete in staging: recorded there (for a run that fails later) and reported."""
        self.done.append(fetched)
        (self.staging / RECORD).write_text(_record_text(self.done), encoding="utf-8")
        self.event(title, fetched.bytes, fetched.bytes, finished=True, changed=fetched.changed)
        return fetched


def fetch_region(request: FetchRequest, folder: Path, *, progress: Progress | None = None,
                 seed: Path | None = None, retries: int = 4, backoff: float = 1.0, timeout: float = 60,
                 sleep: Callable[[float], object] = time.sleep) -> FetchReport:
    """Download a region's files into ``folder`` and write its manifest (see the module docstring).

    Parameters
    ----------
    request : FetchRequest
        The state, counties, year, districts and extra sources.
    folder : Path
        The region folder (made if missing; a region fetched there before is updated).
    progress : callable, optional
        Called with a :class:`FetchEvent` as bytes arrive and as each file is finished.
    seed : Path, optional
        An earlier fetched folder whose files and validators to start from (the Data page
        fetches into a new folder each time); default ``folder`` itself.
    retries, backoff, timeout, sleep
        Passed to :func:`indicators.ingest.download.fetch`.

    Raises
    ------
    InputError
        A state, county or year that does not exist, or a file that cannot be had
        (:class:`~indicators.ingest.download.DownloadError`, naming the file and what to do).
        ``folder`` is left as it was.
    """
    started = time.perf_counter()
    state = request.checked_state()
    key = request.api_key if request.api_key is not None else os.environ.get(publishers.KEY_ENV) or None
    files = 4 + bool(publishers.svi(request.year, state)) + (request.year >= 2020) + len(request.ejscreen)
    run = _Run(request, Path(folder), seed, progress, files, {"retries": retries, "backoff": backoff,
                                                              "timeout": timeout, "sleep": sleep})
    run.begin("the state's counties")
    county_rows = run.api_table([census_api.county_query(request.year, state.fips, key=key)], "counties",
                                f"the list of {state.name}'s counties", ("state", "county"))
    counties = resolve_counties(request.counties, census_api.county_codes(county_rows), state)
    run.event("the state's counties", 0, 0, finished=True, note=", ".join(counties.values()))
    layers: list[dict[str, object]] = []
    tracts = publishers.tracts(request.year, state)
    got = run.download(tracts.url, tracts.file_name, "census tracts")
    layers.append(layer_entry("units", got, title=tracts.title, publisher=tracts.publisher,
                              vintage=tracts.vintage, key="GEOID", level="tract",
                              counties=[state.fips + c for c in counties]))
    layers.append(_acs(run, request.year, state, counties, key))
    if found := publishers.svi(request.year, state):
        source, profile = found
        got = run.download(source.url, source.file_name, "CDC/ATSDR SVI")
        layers.append(layer_entry("census", got, title=source.title, publisher=source.publisher,
                                  vintage=source.vintage, profile=profile))
    if source := publishers.places(request.year, state, list(counties), request.places_dataset):
        got = run.download(source.url, source.file_name, "CDC PLACES")
        layers.append(layer_entry("environment", got, title=source.title, publisher=source.publisher,
                                  vintage=source.vintage, profile="cdc_places"))
    for n, url in enumerate(request.ejscreen, start=1):
        got = run.download(url, publishers.named_file(url, f"ejscreen_{n}.csv"), f"EJScreen file {n}")
        layers.append(layer_entry("environment", got, title=f"EJScreen: {got.name}", publisher="U.S. EPA",
                                  vintage="as published at the address given", profile="ejscreen"))
    layers.append(_districts(run, request, state, counties, tracts.file_name))
    name = request.region_name or f"{' and '.join(counties.values())}, {state.name}"
    manifest = {"region": {"name": name, "place_label": name, "state": state.abbr,
                           "description": f"Census tracts, the ACS {request.year - 4}-{request.year} and "
                           f"the files that go with them, fetched from their publishers on {_now()[:10]}."},
                "layer": layers}
    (run.staging / MANIFEST_NAME).write_text(dump_manifest(manifest, (
        f"Written by `python -m indicators fetch --state {state.abbr} --county {','.join(counties)} "
        f"--year {request.year}`.\nEach layer records where its file "
        "came from (source_url), when (downloaded), and its size and SHA-256.")), encoding="utf-8")
    _publish(run)
    return FetchReport(run.folder, run.done, counties, time.perf_counter() - started)


def _acs(run: _Run, year: int, state: State, counties: dict[str, str], key: str | None) -> dict[str, object]:
    """The ACS variables of every county as one Census Data API table."""
    variables = census_api.api_variables(census_api.needed_cells())
    tables, asked = [], []
    run.begin("ACS 5-year estimates")
    for county, county_name in counties.items():
        queries = census_api.tract_queries(year, state.fips, county, variables, key=key)
        tables.append(run.api_table(queries, f"acs-{county}", f"the ACS 5-year estimates of {county_name}"))
        asked += [q.public_url for q in queries]
    endpoint = census_api.acs_endpoint(year)
    got = run.written(f"acs_5yr_{year}_tracts.json", census_api.table_text(census_api.stack_counties(tables)),
                      endpoint, "ACS 5-year estimates", asked)
    return layer_entry("census", got, title="American Community Survey 5-year estimates (Census Data API)",
                       publisher="U.S. Census Bureau", vintage=f"ACS {year - 4}-{year}", profile="acs",
                       notes=f"{len(variables)} variables (estimates and margins of error) in "
                       f"{len(asked)} requests")


def _api_error(exc: DownloadError, what: str, query: census_api.Query, mirror: str | None, *,
               by_hand: bool) -> DownloadError:
    """A failed API request in the API's terms: what was asked, at its address without the key,
    and, instead of a file to save by hand, the request to make by hand (for tract tables; the
    list of counties only says what to check)."""
    message = exc.message.replace(publishers.mirrored(query.url, mirror), query.public_url)
    message = message.replace(query.url, query.public_url)
    head = message[message.index(":", message.index(")")) + 1:] if ")" in message else message
    cut = head.lower().find("download it by hand")
    advice = ("ask for it by hand: open the address in a browser (add &key= and a Census API key if "
              "it refuses), save the answer as a .json file and name it in a manifest with "
              'profile = "acs" (README, "The manifest")')
    if cut >= 0 and not by_hand:
        head = head[:cut].removesuffix(" ").removesuffix(", or").rstrip() + "."
    elif cut >= 0:
        head = head[:cut] + (advice if head[:cut].endswith("or ") else advice[:1].upper() + advice[1:]) + "."
    return DownloadError(f"Could not get {what} from the Census Data API ({query.public_url}):{head}",
                         url=query.public_url, status=exc.status, kind=exc.kind, file="api.census.gov")


def _districts(run: _Run, request: FetchRequest, state: State, counties: dict[str, str],
               tracts_file: str) -> dict[str, object]:
    """The districts layer: the file named (copied or downloaded), else the counties."""
    given = request.districts
    if given and given.lower().startswith(("http://", "https://")):
        got = run.download(given, publishers.named_file(given, "districts.geojson"), "districts")
        return layer_entry("districts", got, title="Districts", publisher="as given to fetch", vintage="",
                           licence="", name=request.district_name, name_prefix=request.name_prefix)
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            raise InputError([Problem(given, "no such districts file",
                                      "check the path given with --districts")])
        run.begin("districts")
        for part in shapefile_parts(path):
            shutil.copyfile(part, run.staging / part.name)
        old = run.published.get(path.name, {})
        digest = sha256(path)
        changed = digest != old.get("sha256")
        stamp = _now() if changed else str(old.get("fetched_at", _now()))
        got = run.finish(Fetched(path.name, "", path.stat().st_size, digest, stamp, changed), "districts")
        return layer_entry("districts", got, title=f"Districts ({path.name})", publisher="as given to fetch",
                           vintage="", licence="", name=request.district_name,
                           name_prefix=request.name_prefix, notes=f"copied from {path.resolve()}")
    run.begin("districts (the counties)")
    tracts = gpd.read_file(f"zip://{run.staging / tracts_file}")
    tracts = tracts[tracts["GEOID"].astype(str).str[:5].isin([state.fips + c for c in counties])]
    shapes = tracts.assign(county=tracts["GEOID"].astype(str).str[2:5]).dissolve("county").reset_index()
    shapes["NAME"] = shapes["county"].map(counties)
    text = shapes[["NAME", "geometry"]].to_json(drop_id=True)
    got = run.written("counties.geojson", text, "", "districts (the counties)", [])
    return layer_entry("districts", got, title="Counties (the tracts dissolved by county)",
                       publisher="U.S. Census Bureau, dissolved here",
                       vintage=publishers.tracts(request.year, state).vintage,
                       name="NAME", notes=f"made from {tracts_file}: no districts file was given")


def _publish(run: _Run) -> None:
    """Move every staged file into the folder, the manifest last, then the record of downloads."""
    for fetched in run.done:
        source = run.staging / fetched.name
        parts = shapefile_parts(source) if source.suffix.lower() == ".shp" else [source]
        for part in parts:
            target = run.folder / part.name
            if target.exists() and os.path.samefile(part, target):  # an unchanged file, linked in
                part.unlink()
            else:
                os.replace(part, target)
    os.replace(run.staging / MANIFEST_NAME, run.folder / MANIFEST_NAME)
    tmp = run.folder / (RECORD + ".part")
    tmp.write_text(_record_text(run.done), encoding="utf-8")
    os.replace(tmp, run.folder / RECORD)
    (run.staging / RECORD).unlink(missing_ok=True)
    if not any(run.staging.iterdir()):
        run.staging.rmdir()


def _record_text(done: list[Fetched]) -> str:
    lines = ["# Where each file of this region came from, written by `python -m indicators fetch`:",
             "# the next run sends each file's ETag / Last-Modified and compares SHA-256s.", ""]
    body = dump_manifest({"region": {}, "layer": [f.record() for f in done]}, "").split("[region]", 1)[1]
    return "\n".join(lines) + body.replace("[[layer]]", "[[file]]").lstrip("\n")


def _records(path: Path) -> dict[str, dict[str, object]]:
    """The files an earlier run recorded, by name (nothing when there is no record)."""
    try:
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("file", [])
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return {str(row.get("name")): row for row in rows if isinstance(row, dict)}


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
