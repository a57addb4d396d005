"""The manifest of a records backup folder (``manifest.json``): its format, and the checks made
on it before anything is restored (every table a records table, every file present with its row
count, columns and SHA-256). See :mod:`indicators.certification.backup` for the folder itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indicators.certification.checks import RecordError
from indicators.certification.database import TABLES
from indicators.ingest.files import sha256

BACKUP_FORMAT = "just-communities/certification-records-backup"
BACKUP_VERSION = 1
MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict[str, Any]:
    """A backup folder's manifest, checked: its format, that each table is a records table, and
    each file's row count field and SHA-256.

    Raises
    ------
    RecordError
        Saying what is wrong and what to do.
    """
    if not folder.is_dir():
        raise RecordError(f"There is no backup folder at {folder}; check the path.")
    path = folder / MANIFEST
    if not path.is_file():
        raise RecordError(f"The folder {folder} has no {MANIFEST}, so it is not a complete records "
                          "backup; choose a folder written by export-records.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"The manifest {path} is not valid JSON ({exc}); use an intact copy of the "
                          "backup.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise RecordError(f"The file {path} is not a records backup manifest (its format is not "
                          f"{BACKUP_FORMAT}); choose a folder written by export-records.")
    if manifest.get("format_version") != BACKUP_VERSION:
        raise RecordError(f"The backup's format version is {manifest.get('format_version')!r}, but this "
                          f"version reads {BACKUP_VERSION}; import it with the version that exported it.")
    tables, chain = manifest.get("tables"), manifest.get("audit")
    if not (isinstance(tables, dict) and "audit_log" in tables and isinstance(chain, dict)
            and isinstance(chain.get("head"), str) and isinstance(chain.get("rows"), int)):
        raise RecordError(f"The manifest {path} lists no audit log; use an intact copy of the backup.")
    for name, info in tables.items():
        if name not in TABLES:
            raise RecordError(f"The backup holds a table {name!r} that this version does not know; import "
                              "it with the version that exported it.")
        if not isinstance(info, dict) or info.get("file") != f"{name}.parquet":
            raise RecordError(f"The manifest {path} names no file {name}.parquet for the table {name}; "
                              "use an intact copy of the backup.")
        columns, rows = info.get("columns"), info.get("rows")
        if not (isinstance(columns, list) and columns and all(
                isinstance(c, list) and len(c) == 2 and all(isinstance(v, str) for v in c) for c in columns)
                and isinstance(rows, int) and not isinstance(rows, bool)):
            raise RecordError(f"The manifest {path} lists no columns or row count for the table {name}; "
                              "use an intact copy of the backup.")
        file = folder / info["file"]
        if not file.is_file():
            raise RecordError(f"The backup file {file} is missing; nothing was imported. Use an intact "
                              "copy of the backup.")
        if sha256(file) != info.get("sha256"):
            raise RecordError(f"The backup file {file.name} does not match its SHA-256 in {MANIFEST} (it "
                              "was changed or damaged); nothing was imported. Use an intact copy of the "
                              "backup.")
    return manifest
