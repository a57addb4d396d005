"""What ``fetch`` asks for: a state, its counties and a year, turned into the publishers' files.

:func:`resolve_counties` matches the counties as people write them (``Fulton``, ``DeKalb
County``, ``121`` or ``13121``) against the Census Bureau's list of the state's counties;
:func:`layer_entry` writes the ``[[layer]]`` table of a fetched file, with its provenance.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from indicators.ingest.publishers import DEFAULT_YEAR, FIRST_YEAR, PLACES_DATASET
from indicators.ingest.states import State, find_state
from indicators.problems import InputError, Problem


@dataclass(frozen=True)
class FetchRequest:
    """Everything ``fetch`` needs to know.

    Attributes
    ----------
    state : str
        ``GA``, ``Georgia`` or ``13``.
    counties : tuple of str
        County names or FIPS codes, at least one.
    year : int
        The last year of the ACS 5-year period (2022: ACS 2018-2022, on 2020 tracts).
    districts : str, optional
        A boundary file (local path or http(s) URL) whose polygons are the districts; without
        one, the counties are the districts.
    district_name : str, optional
        The column naming each district (required with ``districts``).
    ejscreen : tuple of str
        URLs of EJScreen (or successor) CSV files to add as environment layers.
    mirror, api_key : str, optional
        A mirror of the publishers' hosts and a Census Data API key (default: the environment's
        ``JC_FETCH_MIRROR`` and ``CENSUS_API_KEY``).
    """

    state: str
    counties: tuple[str, ...]
    year: int = DEFAULT_YEAR
    districts: str | None = None
    district_name: str | None = None
    name_prefix: str = ""
    ejscreen: tuple[str, ...] = ()
    places_dataset: str = PLACES_DATASET
    mirror: str | None = None
    api_key: str | None = None
    region_name: str = ""

    def checked_state(self) -> State:
        """The state, or an :class:`InputError` saying how to name one."""
        try:
            state = find_state(self.state)
        except ValueError as exc:
            raise InputError([Problem("--state", str(exc))]) from None
        if not self.counties:
            raise InputError([Problem("--county", "no county was given",
                                      "name at least one, e.g. --county Fulton,DeKalb")])
        if self.year < FIRST_YEAR:
            raise InputError([Problem("--year", f"{self.year} is too early: the Census Bureau's "
                                      f"cartographic boundary tracts start in {FIRST_YEAR}",
                                      f"give --year {FIRST_YEAR} or later")])
        if self.districts and not self.district_name:
            raise InputError([Problem("--name", "the districts file needs the column naming each district",
                                      "add --name FIELD (e.g. --name DISTRICT)")])
        return state


def resolve_counties(wanted: tuple[str, ...], known: dict[str, str], state: State) -> dict[str, str]:
    """The 3-digit FIPS and name of each county asked for, in the order asked.

    >>> known = {"121": "Fulton County", "089": "DeKalb County"}
    >>> georgia = State("13", "GA", "Georgia")
    >>> resolve_counties(("fulton", "13089"), known, georgia)
    {'121': 'Fulton County', '089': 'DeKalb County'}
    >>> try:
    ...     resolve_counties(("Fulton", "Dekal"), known, georgia)
    ... except InputError as exc:
    ...     print(exc.problems[0].message)
    Georgia has no county 'Dekal' (did you mean DeKalb County?)
    """
    by_name = {name.casefold(): code for code, name in known.items()}
    by_name.update({name.casefold().removesuffix(" county"): code for code, name in known.items()})
    out: dict[str, str] = {}
    problems = []
    for text in wanted:
        token = text.strip()
        code = token[-3:] if token.isdigit() and len(token) in (3, 5) else by_name.get(token.casefold())
        if token.isdigit() and len(token) == 5 and token[:2] != state.fips:
            code = None
        if code in known:
            out[code] = known[code]
            continue
        short = {name.casefold().removesuffix(" county"): name for name in known.values()}
        close = difflib.get_close_matches(token.casefold(), list(short), n=1, cutoff=0.6)
        hint = f" (did you mean {short[close[0]]}?)" if close else ""
        problems.append(Problem("--county", f"{state.name} has no county {token!r}{hint}",
                                "write the county's name as the Census Bureau does, or its FIPS code"))
    if problems:
        raise InputError(problems)
    return out


@dataclass
class Fetched:
    """One file of the fetched region, with where it came from (a row of ``downloads.toml``)."""

    name: str
    url: str
    bytes: int
    sha256: str
    fetched_at: str
    changed: bool = True
    etag: str = ""
    last_modified: str = ""
    requests: list[str] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        """The row written to ``downloads.toml``."""
        row: dict[str, object] = {"name": self.name, "url": self.url, "bytes": self.bytes,
                                  "sha256": self.sha256, "fetched_at": self.fetched_at}
        row.update({k: v for k, v in (("etag", self.etag), ("last_modified", self.last_modified)) if v})
        if self.requests:
            row["requests"] = list(self.requests)
        return row


def layer_entry(role: str, fetched: Fetched, *, title: str, publisher: str, vintage: str,
                licence: str = "public domain", **extra: object) -> dict[str, object]:
    """The ``[[layer]]`` table of a fetched file: how to read it and where it came from."""
    entry: dict[str, object] = {"role": role, "path": fetched.name}
    entry.update({k: v for k, v in extra.items() if v not in (None, "", (), [])})
    entry.update({"title": title, "vintage": vintage, "publisher": publisher, "licence": licence,
                  "source_url": fetched.url, "downloaded": fetched.fetched_at,
                  "bytes": fetched.bytes, "sha256": fetched.sha256})
    return entry


def shapefile_parts(path: Path) -> list[Path]:
    """A shapefile and the sidecar files beside it (``.shx``, ``.dbf``, ``.prj``, ``.cpg``)."""
    if path.suffix.lower() != ".shp":
        return [path]
    return [p for p in sorted(path.parent.glob(path.stem + ".*"))
            if p.suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")]
