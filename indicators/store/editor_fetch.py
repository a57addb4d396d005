"""Editors fetch a region from the publishers on the Data page and swap in the database built from it.

:func:`fetch_and_load` is :func:`~indicators.ingest.fetch_region.fetch_region` (state, counties,
year) followed by the same build and swap as a file load (:mod:`indicators.store.editor_load`):

1. checks who is asking, and takes the same lock as a load or restore;
2. fetches into a new region version beside the database
   (``<database folder>/regions/region-fetched-<time>-<id>/``), starting from the live region
   folder's files and validators when it was fetched too (so a second fetch downloads only what
   changed, with conditional requests);
3. builds that folder into a new database beside the live one, then swaps it in with the audit
   row (the request and every file's address and SHA-256 are in its ``after``) and keeps the old
   database as the previous one, for the Data page's restore.

On any failure (a state, county or year that does not exist, a download that fails, a build
error) a :class:`~indicators.store.load_checks.LoadError` says why in a sentence, the new folder
is removed, and the live database, the previous one and the live region folder are unchanged.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indicators.atomic import remove_database, temporary_path
from indicators.certification.accounts import authorise
from indicators.certification.backends import Location
from indicators.ingest.download import DownloadError
from indicators.ingest.fetch_plan import FetchRequest
from indicators.ingest.fetch_region import RECORD, FetchReport, Progress, fetch_region
from indicators.problems import InputError
from indicators.store import region_copy
from indicators.store.editor_load import (
    LoadError,
    LoadResult,
    _build,
    _locked,
    _paths,
    _prune,
    _sentence,
    _swap_in,
    describe,
    region_of,
)

__all__ = ["AUDIT_ACTION", "FetchResult", "fetch_and_load"]

#: The audit log's action for a fetch; its ``after`` holds a ``fetch`` table (the request and
#: every file's address and SHA-256).
AUDIT_ACTION = "fetch data"


@dataclass(frozen=True)
class FetchResult(LoadResult):
    """A :class:`~indicators.store.editor_load.LoadResult` with what the fetch downloaded: how
    many files, how many were unchanged since the last fetch, and a sentence for the page."""

    files: int = 0
    unchanged: int = 0
    summary: str = ""


def fetch_and_load(request: FetchRequest, *, editor: object, db: Path | None = None,
                   records_db: Location | None = None, progress: Progress | None = None,
                   **fetch_options: Any) -> FetchResult:
    """Fetch a region from the publishers, build it and swap the new database in.

    Parameters
    ----------
    request : FetchRequest
        The state, counties and year (and any other fetch option).
    editor : Account
        The signed-in editor (checked here, whatever the page checked).
    db, records_db : Path, optional (records_db: a file or a PostgreSQL URL)
        The database (default :func:`indicators.config.indicators_db`) and the records database
        whose audit log gets the row (default :func:`indicators.config.records_location`).
    progress : callable, optional
        Called with each :class:`~indicators.ingest.fetch_region.FetchEvent`.
    **fetch_options
        Passed to :func:`~indicators.ingest.fetch_region.fetch_region` (retries, backoff,
        timeout, sleep).

    Raises
    ------
    NotAuthorisedError
        Not a signed-in editor; nothing was downloaded.
    LoadError
        The fetch or the build failed; nothing was changed.
    """
    account = authorise(editor, "load data")
    started = time.perf_counter()
    db, records_db = _paths(db, records_db)
    with _locked(db):
        live = region_of(db)
        seed = live if (live / RECORD).exists() else None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        folder = region_copy.versions_folder(db) / (f"{region_copy.VERSION_PREFIX}fetched-{stamp}-"
                                                    f"{uuid.uuid4().hex[:8]}")
        staged_db = temporary_path(db)
        try:
            report = _fetch(request, folder, progress, seed, fetch_options)
            build_report = _build(folder, staged_db, folder.name)
            before = describe(db)
            after = {**describe(staged_db), "fetch": _fetched(request, report)}
            swap_s = _swap_in(staged_db, db, account, AUDIT_ACTION, before, after, records_db)
        except BaseException:
            remove_database(staged_db)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _prune(db)
    warnings = tuple(_sentence(p) for p in build_report.warnings)
    seconds = time.perf_counter() - started
    return FetchResult("fetch data", after["sha256"], before["sha256"], folder.name, "region", "", folder,
                       warnings, seconds, swap_s, files=len(report.files),
                       unchanged=len(report.unchanged), summary=_summary(report, seconds))


def _fetch(request: FetchRequest, folder: Path, progress: Progress | None, seed: Path | None,
           options: dict[str, Any]) -> FetchReport:
    """The fetch, its failures as a :class:`LoadError` that says nothing was changed."""
    try:
        return fetch_region(request, folder, progress=progress, seed=seed, **options)
    except InputError as exc:
        sentences = tuple(_plain(p.message, p.fix) for p in exc.problems if p.severity == "error")
        text = _by_hand(str(exc)) if isinstance(exc, DownloadError) else " ".join(sentences) or \
            "the fetch failed."
        raise LoadError(f"Nothing was changed: {text}", sentences) from None
    except OSError as exc:
        raise LoadError(f"Nothing was changed: the fetched files could not be written ({exc}); check "
                        "the disk space beside the database and try again.") from None


def _by_hand(message: str) -> str:
    """A download error's advice for the page: the folder it names for a file saved by hand is
    this fetch's, which is removed, so the editor is sent to the command, which keeps its folder.

    >>> _by_hand('Could not download x (u): gone. Download it by hand, save it as /t/x.csv.')[32:]
    'Run the fetch on the server instead (`python -m indicators fetch`, see the README): it says \
where to save a file downloaded by hand.'
    >>> _by_hand('x: busy. Try again later, or download it by hand, save it as /t/x.csv.')[26:51]
    'or run the fetch on the s'
    """
    at = message.lower().find("download it by hand")
    if at < 0:
        return message
    advice = ("run the fetch on the server instead (`python -m indicators fetch`, see the README): it "
              "says where to save a file downloaded by hand.")
    head = message[:at]
    return head + (advice if head.endswith("or ") else advice[:1].upper() + advice[1:])


def _plain(message: str, fix: str) -> str:
    """A problem's message and fix as one sentence."""
    fix = fix.strip()
    text = f"{message.rstrip('.')}."
    return f"{text} {fix[:1].upper()}{fix[1:]}".rstrip() if fix else text


def _fetched(request: FetchRequest, report: FetchReport) -> dict[str, Any]:
    """The request and the files, for the audit row's ``after``."""
    return {"state": request.state, "counties": list(request.counties), "year": request.year,
            "resolved_counties": dict(report.counties),
            "files": [{"name": f.name, "url": f.url, "sha256": f.sha256, "bytes": f.bytes,
                       "changed": f.changed} for f in report.files]}


def _summary(report: FetchReport, seconds: float) -> str:
    """One sentence for the Data page."""
    size = sum(f.bytes for f in report.files) / 1e6
    same = len(report.unchanged)
    again = f" ({same} of {len(report.files)} unchanged since the last fetch)" if same else ""
    return (f"Fetched {len(report.files)} files ({size:,.1f} MB) for {', '.join(report.counties.values())}"
            f"{again}, built the database from them and swapped it in, in {seconds:.1f} s.")
