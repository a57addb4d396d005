"""A loopback stand-in for the publishers' servers, for the ``fetch`` tests (no internet).

It serves the real files of ``../shared/data`` at the official URL paths (the host is replaced
through ``JC_FETCH_MIRROR``) and answers like the Census Data API:

- ``/geo/tiger/GENZ2022/shp/cb_2022_13_tract_500k.zip``: the 2020 tracts of the ARC five-county
  file, written as a zipped shapefile with the Census Bureau's column names (the collection has
  no 2022 cartographic boundary file; the geometry and GEOIDs are the real ones);
- ``/Documents/Data/2022/csv/states/Georgia.csv``: CDC/ATSDR SVI 2022 for Georgia, as it is;
- ``/resource/cwsq-ngmh.csv``: the PLACES asthma rows, with the ``measureid`` column the query
  selects;
- ``/ejscreen/<name>``: the two EJScreen 2023 files;
- ``/data/2022/acs/acs5``: the Census Data API, from a recorded response set written from the
  real files. The county list comes from SVI 2022's county names; a tract request gets, for
  each of the county's 2020 tracts, ``B01003_001E`` and ``B19013_001E`` from the ACS 2018-2022
  files, and ``null`` for every other variable asked (the recording holds no more, and ``null``
  is how the API answers a cell it does not publish). Variables are checked against the API's
  50-a-request limit.

Static files carry an ``ETag`` (their SHA-256) and honour ``If-None-Match`` (304) and ``Range``
(206). ``faults`` scripts failures by path prefix: ``"404"``, ``"500"``, ``"429"`` (with
``Retry-After: 0``) or ``"cut"`` (half the body, then the connection drops), each used once.
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import threading
import urllib.parse
import zipfile
from collections import defaultdict
from pathlib import Path

import geopandas as gpd

TRACTS_PATH = "/geo/tiger/GENZ2022/shp/cb_2022_13_tract_500k.zip"
SVI_PATH = "/Documents/Data/2022/csv/states/Georgia.csv"
PLACES_PATH = "/resource/cwsq-ngmh.csv"
EJSCREEN = ("EJSCREEN_2023_GA_tracts_waste_subset.csv", "ga_tracts2020_air_traffic_commute.csv")


def tracts_zip(shared: Path, folder: Path) -> bytes:
    """The ARC 2020 tracts as a cartographic-boundary-style zipped shapefile."""
    arc = shared / "census_tracts_2020_atl5county" / "atl_5county_tracts2020_simplified.geojson"
    frame = gpd.read_file(arc)
    frame = frame.assign(STATEFP=frame["GEOID"].str[:2], COUNTYFP=frame["GEOID"].str[2:5],
                         TRACTCE=frame["GEOID"].str[5:])
    frame = frame[["STATEFP", "COUNTYFP", "TRACTCE", "GEOID", "geometry"]]
    shp = folder / "cb_2022_13_tract_500k.shp"
    frame.to_file(shp)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.glob("cb_2022_13_tract_500k.*")):
            archive.write(part, part.name)
    return buffer.getvalue()


def places_csv(shared: Path) -> bytes:
    """The PLACES asthma file with the ``measureid`` column a Socrata query selects."""
    rows = list(csv.DictReader((shared / "acs2022_places_fulton_dekalb" / "cdc_places_asthma_2023.csv")
                               .open(encoding="utf-8")))
    out = io.StringIO()
    writer = csv.DictWriter(out, ["locationid", "countyfips", "measureid", "data_value_type", *[
        c for c in rows[0] if c != "locationid"]], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "countyfips": row["locationid"][:5], "measureid": "CASTHMA",
                         "data_value_type": "Crude prevalence"})
    return out.getvalue().encode()


class Recording:
    """The Census Data API answers: what the real ACS and SVI files hold."""

    def __init__(self, shared: Path):
        acs = shared / "acs2022_places_fulton_dekalb"
        self.values: dict[str, dict[str, str]] = defaultdict(dict)
        self.names: dict[str, str] = {}
        for file, variable in (("acs_total_population_2022.csv", "B01003_001E"),
                               ("acs_median_household_income_2022.csv", "B19013_001E")):
            for row in csv.DictReader((acs / file).open(encoding="utf-8")):
                self.values[row["GEOID"]][variable] = row[variable]
                self.names[row["GEOID"]] = row["NAME"]
        self.counties: dict[str, str] = {}
        svi = shared / "cdc_svi_georgia" / "SVI2022_Georgia_tract.csv"
        for row in csv.DictReader(svi.open(encoding="utf-8")):
            self.counties[row["STCNTY"][2:]] = f"{row['COUNTY']}, Georgia"
        self.requests: list[str] = []

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        asked = query.get("get", [""])[0].split(",")
        if len(asked) > 50:
            return 400, b"error: You requested more than 50 variables."
        place = query.get("for", [""])[0]
        within = dict(part.split(":", 1) for part in query.get("in", []))
        if place == "county:*":
            rows = [[*asked, "state", "county"]]
            rows += [[name, "13", code] for code, name in sorted(self.counties.items())]
        elif place == "tract:*" and within.get("state") == "13" and "county" in within:
            prefix = "13" + within["county"]
            rows = [[*asked, "state", "county", "tract"]]
            for geoid in sorted(g for g in self.values if g.startswith(prefix)):
                cells = [self.names[geoid] if v == "NAME" else self.values[geoid].get(v) for v in asked]
                rows.append([*cells, geoid[:2], geoid[2:5], geoid[5:]])
        else:
            return 400, b"error: unknown/unsupported geography hierarchy"
        return 200, json.dumps(rows).encode()


class Mirror:
    """The server: start with :meth:`start`, address in :attr:`url`, scripted :attr:`faults`."""

    def __init__(self, shared: Path, scratch: Path):
        scratch.mkdir(parents=True, exist_ok=True)
        self.files = {TRACTS_PATH: tracts_zip(shared, scratch), SVI_PATH: (
            shared / "cdc_svi_georgia" / "SVI2022_Georgia_tract.csv").read_bytes(),
            PLACES_PATH: places_csv(shared)}
        for name in EJSCREEN:
            self.files[f"/ejscreen/{name}"] = (shared / "ejscreen2023_georgia_tracts" / name).read_bytes()
        self.api = Recording(shared)
        self.faults: dict[str, list[str]] = {}
        self.log: list[tuple[str, int]] = []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                mirror.handle(self)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Mirror:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ejscreen_urls(self) -> list[str]:
        return [f"https://ejscreen.example.org/ejscreen/{name}" for name in EJSCREEN]

    def handle(self, request: http.server.BaseHTTPRequestHandler) -> None:
        parts = urllib.parse.urlsplit(request.path)
        fault = next((queue.pop(0) for prefix, queue in self.faults.items()
                      if request.path.startswith(prefix) and queue), None)
        if fault in ("404", "500", "429"):
            return self._send(request, int(fault), b"scripted failure", {"Retry-After": "0"})
        if parts.path.startswith("/data/"):
            self.api.requests.append(request.path)
            status, body = self.api.answer(urllib.parse.parse_qs(parts.query))
            return self._send(request, status, body, {"Content-Type": "application/json"})
        body = self.files.get(parts.path)
        if body is None:
            return self._send(request, 404, b"Not Found")
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if request.headers.get("If-None-Match") == etag:
            return self._send(request, 304, b"", {"ETag": etag})
        start = 0
        if (ranged := request.headers.get("Range", "")).startswith("bytes=") and \
                request.headers.get("If-Range", etag) == etag:
            start = int(ranged[6:].split("-")[0])
        headers = {"ETag": etag, "Accept-Ranges": "bytes"}
        if start:
            headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
        self._send(request, 206 if start else 200, body[start:], headers, cut=fault == "cut")

    def _send(self, request: http.server.BaseHTTPRequestHandler, status: int, body: bytes,
              headers: dict[str, str] | None = None, cut: bool = False) -> None:
        self.log.append((request.path, status))
        request.send_response(status)
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if status != 304:
            request.wfile.write(body[:len(body) // 2] if cut else body)
        if cut:
            request.wfile.flush()
            request.close_connection = True
