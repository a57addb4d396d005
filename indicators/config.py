"""Every path and setting the package uses, resolved on demand.

Paths derive from this file's location, never from the working directory, and each can be
overridden by an environment variable so that tests, notebooks and deployments can point the
package elsewhere without touching code. Nothing here reads or writes files at import time.

Environment variables
---------------------
JC_DATA_DIR   folder holding built databases (default: ``<project>/data``)
JC_REGION     region folder with a ``manifest.toml`` (default: ``<project>/data/sample``)
JC_DB         the derived indicators database (default: ``$JC_DATA_DIR/indicators.duckdb``)
JC_CERT_DB    the certification records database (default: ``$JC_DATA_DIR/certification.duckdb``)
JC_RECORDS_URL  keep the certification records in PostgreSQL instead (``postgresql://user@host/db``),
              shared by several app servers; overrides ``JC_CERT_DB`` (the app also reads
              ``records.url`` in ``.streamlit/secrets.toml``)
JC_MAX_UPLOAD_MB  largest boundary file a visitor may upload, in megabytes (default: 20)
JC_MAX_LOAD_MB    largest file an editor may load from the Data page, in megabytes (default: 200)
JC_MAX_LOAD_FEATURES  most features (map shapes) or rows such a file may hold (default: 300,000)
"""

from __future__ import annotations

import math
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Equal-area CRS used for every area computation (NAD83 / Conus Albers).
EQUAL_AREA_CRS = "EPSG:5070"
#: CRS in which geometry is stored and drawn.
STORAGE_CRS = "EPSG:4326"

#: Largest source file ``build`` reads, in bytes. Real state-wide tract files are ~10 MB.
MAX_SOURCE_BYTES = 512 * 1024 * 1024
#: Largest boundary file a visitor may upload, in megabytes (1 MB = 1,000,000 bytes). An area's
#: outline is rarely over 1 MB; the limit keeps one visitor from tying up the server.
MAX_UPLOAD_MB = 20
#: Largest file an editor may load from the Data page, in megabytes: a state's tract or block-group
#: file is 10-100 MB; the limit keeps a wrong file (a national one, say) from filling the disk.
MAX_LOAD_MB = 200
#: Most features (shapes) or rows a file loaded from the Data page may hold: every block group of
#: the United States (about 240,000) fits; more is a wrong file, and would tie up the server.
MAX_LOAD_FEATURES = 300_000


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    """Folder holding built databases and the sample region."""
    return _env_path("JC_DATA_DIR", PROJECT_ROOT / "data")


def sample_region_dir() -> Path:
    """The committed Sample City region folder."""
    return PROJECT_ROOT / "data" / "sample"


def region_dir() -> Path:
    """Region the app builds on first run when no database exists."""
    return _env_path("JC_REGION", sample_region_dir())


def indicators_db() -> Path:
    """The derived database written by ``build`` and opened read-only by the app."""
    return _env_path("JC_DB", data_dir() / "indicators.duckdb")


def certification_db() -> Path:
    """The certification records database (never touched by ``build``)."""
    return _env_path("JC_CERT_DB", data_dir() / "certification.duckdb")


def records_location() -> Path | str:
    """Where the certification records live: ``JC_RECORDS_URL`` (a ``postgresql://`` URL, as
    text) when set, else the DuckDB file :func:`certification_db`.

    Raises
    ------
    ValueError
        If ``JC_RECORDS_URL`` is set but is not a PostgreSQL URL (a deployment mistake).
    """
    url = os.environ.get("JC_RECORDS_URL", "").strip()
    if not url:
        return certification_db()
    if not url.lower().startswith(("postgresql://", "postgres://")):
        raise ValueError(f"JC_RECORDS_URL must be a postgresql:// URL, not {url.split('@')[-1]!r}; unset it "
                         "to keep the records in JC_CERT_DB")
    return url


def max_upload_bytes() -> int:
    """Largest upload accepted, in bytes: ``JC_MAX_UPLOAD_MB`` megabytes (default
    :data:`MAX_UPLOAD_MB`). Fractions are allowed (``0.5``); a value that is not a positive
    number is a deployment mistake and raises ``ValueError`` naming the variable."""
    return int(_positive("JC_MAX_UPLOAD_MB", MAX_UPLOAD_MB, "number of megabytes") * 1_000_000)


def max_load_bytes() -> int:
    """Largest file an editor may load from the Data page, in bytes: ``JC_MAX_LOAD_MB``
    megabytes (default :data:`MAX_LOAD_MB`); not a positive number raises ``ValueError``."""
    return int(_positive("JC_MAX_LOAD_MB", MAX_LOAD_MB, "number of megabytes") * 1_000_000)


def max_load_features() -> int:
    """Most features or rows a file loaded from the Data page may hold: ``JC_MAX_LOAD_FEATURES``
    (default :data:`MAX_LOAD_FEATURES`); not a positive number raises ``ValueError``."""
    return max(1, int(_positive("JC_MAX_LOAD_FEATURES", MAX_LOAD_FEATURES, "number")))


def _positive(name: str, default: float, what: str) -> float:
    """A positive, finite number from the environment variable ``name`` (else ``default``)."""
    value = os.environ.get(name, "").strip()
    try:
        number = float(value) if value else float(default)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive {what}, not {value!r}")
    return number
