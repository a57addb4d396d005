"""The pages' access to data: one read-only connection per process and database build, every
query a cached call of :mod:`indicators.present.queries`, and the certification records.

Caches are keyed by the database file's build (its path and modification time), so a new
``build`` swapped in by ``os.replace`` is picked up by the next page run. Every cache is bounded
(``tests/test_caches.py`` checks each has ``max_entries``): the connection and profiler caches
hold the current build and the one before (a page run that started before a swap still
finishes on it), the query cache a number of results and bytes sized from the largest real
region, so the server's memory stays flat however many pages are viewed
(``benchmarks/memory.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import folium
import streamlit as st

from indicators import config
from indicators.certification import migrations, records
from indicators.certification.backends import Location, exists, location
from indicators.present import maps, queries
from indicators.store.areas import AreaProfiler
from indicators.store.database import connect_readonly, cursor_of
from ui.language import current_lang

T = TypeVar("T")
#: Bounds of the query cache (see :func:`_cached`).
QUERY_ENTRIES = 512
QUERY_BYTES = "256MB"
QUERY_TTL = "6h"


def db_version() -> str:
    """Identifies the database file's current build (its path and modification time)."""
    path = config.indicators_db()
    return f"{path}|{path.stat().st_mtime_ns}"


def _close(con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection the cache lets go (its build was replaced twice over)."""
    con.close()


# Two builds: the current one and the one before it, for page runs that began before a swap;
# the older connection is closed when a third build arrives.
@st.cache_resource(show_spinner=False, max_entries=2, on_release=_close)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return connect_readonly(Path(version.split("|")[0]))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared read-only connection (cursors are safe across sessions' threads)."""
    return cursor_of(_connection(db_version()))


# Results of queries keyed by query, arguments and build. One build's keys are finite (the
# districts x periods and indicators x periods the pages ask for: a few hundred), never
# visitors' own areas (those go to the profiler). Measured as pickled (how cache_data stores
# them): most entries are 1-100 KB (a district's values 12 KB, Atlanta's district table 175 KB);
# the largest are the tract shapes (38 KB on Sample City, 2.7 MB on Atlanta) and an indicator's
# tract values (41 KB / 345 KB). The Data page's download tables are not cached (:func:`uncached`).
# So 512 entries hold a whole build with room for the one before, max_size caps the bytes
# whatever the mix (a full Atlanta build is well under it), and the ttl lets a replaced
# build's results go even when the cache is not full.
@st.cache_data(show_spinner=False, max_entries=QUERY_ENTRIES, max_size=QUERY_BYTES, ttl=QUERY_TTL)
def _cached(name: str, args: tuple[Any, ...], version: str) -> Any:
    return getattr(queries, name)(cursor(), *args)


def load(query: Callable[..., T], *args: Any) -> T:
    """``query(connection, *args)`` for a function of :mod:`indicators.present.queries`, cached
    per database build (the arguments must be hashable values)."""
    if getattr(queries, query.__name__, None) is not query:
        raise TypeError(f"{query!r} is not a function of indicators.present.queries")
    return _cached(query.__name__, args, db_version())


def uncached(query: Callable[..., T], *args: Any) -> T:
    """``query(connection, *args)`` run now and not kept: for a download, built only when the
    visitor asks for it (a national table is hundreds of MB, more than the query cache holds)."""
    if getattr(queries, query.__name__, None) is not query:
        raise TypeError(f"{query!r} is not a function of indicators.present.queries")
    return query(cursor(), *args)


def drawing_tools() -> bool:
    """Whether the map's drawing tools (Leaflet.draw, fetched by ``sh setup.sh``) are served."""
    return maps.drawing_available(config.PROJECT_ROOT / "static")


def base_map() -> folium.Map:
    """The folium map frame (no layers) for a page; layers are swapped in with
    ``st_folium(feature_group_to_add=...)``.

    A fresh object every run, on purpose: ``st_folium`` adds the feature groups it is given to
    the map object, so a map cached across runs would carry the previous run's layers into its
    script (where they no longer exist) and fail to draw. Its script is the same every run for
    the same data (st_folium normalises the generated ids), so the browser keeps the map it has
    and only the layers change.
    """
    return maps.offline_map(load(queries.region_bounds), current_lang())


# One records database per deployment (keyed by region folder and location); a few allow for a
# changed setting without restarting. Seeded when absent, then upgraded to this code's schema
# (once per process: with several app servers, the first to start after a new version upgrades
# the shared database in one transaction, the others find it done).
@st.cache_resource(show_spinner=False, max_entries=4)
def _seeded(region: str, db: str) -> bool:
    where = location(db)
    if not exists(where) and not Path(region).exists():
        raise records.RecordError(f"The region folder {region} is not available here, so its "
                                  "certification records cannot be set up; set JC_REGION to it.")
    created = records.seed_if_absent(Path(region), where)
    migrations.upgrade(where)
    return created


def records_location() -> Location:
    """Where the records live: ``records.url`` in ``.streamlit/secrets.toml`` (a PostgreSQL URL,
    for several app servers sharing the records), else :func:`indicators.config.records_location`
    (``JC_RECORDS_URL``, else the DuckDB file ``JC_CERT_DB``)."""
    try:
        url = str((st.secrets.get("records") or {}).get("url") or "").strip()
    except Exception:  # no secrets.toml at all: nothing is configured
        url = ""
    return location(url) if url else location(config.records_location())


def records_db() -> Location:
    """The certification records database (a DuckDB file or a PostgreSQL URL), created from the
    region's certification file the first time it is needed (never touched by ``build``, never
    overwritten) and upgraded to this code's schema."""
    db = records_location()
    manifest = load(queries.meta).get("manifest_path", "")
    _seeded(str(Path(manifest).parent) if manifest else str(config.region_dir()), str(db))
    return db


# Each profiler holds one period's units and estimates (0.5 MB pickled on Sample City, 9 MB on
# Atlanta); the key is the build and the period asked for (None or a named period: up to three
# keys for a build of two periods), so 6 cover the current build and the one before (at most
# about 55 MB on Atlanta); an older build's profilers are the least recently used, so dropped.
@st.cache_resource(show_spinner=False, max_entries=6)
def _profiler(version: str, period: str | None) -> AreaProfiler:
    return AreaProfiler.load(cursor(), period)


def profiler(period: str | None = None) -> AreaProfiler:
    """The area profiler of a period (the stored units and estimates, indexed once per
    database build and period; see :mod:`indicators.store.areas`)."""
    return _profiler(db_version(), period)
