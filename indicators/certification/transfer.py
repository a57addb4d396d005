"""Moving the records from one database to another (``python -m indicators migrate-records``):
typically an app server's DuckDB file into the PostgreSQL database several servers will share.

Why through a backup: the copy gets every check a restore makes (each table's columns, types and
row count, the audit chain and its head), and the backup folder, written to a temporary folder
and removed afterwards, is the same format as ``export-records``' so nothing new can go wrong.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from indicators.certification.backends import Location, describe
from indicators.certification.backup import ExportReport, ImportReport, export_records, import_records


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_records` exported from the source and restored into the target."""

    source: Location
    exported: ExportReport
    restored: ImportReport

    @property
    def message(self) -> str:
        """One sentence for the command line."""
        rows = sum(self.restored.tables.values())
        return (f"Copied {len(self.restored.tables)} tables ({rows:,} rows, {self.restored.audit_rows} "
                f"audit rows, chain intact, head {self.exported.head}) from {describe(self.source)} into "
                f"{describe(self.restored.target)}.")


def copy_records(source: Location, target: Location, *, force: bool = False) -> CopyReport:
    """Copy every record of ``source`` into ``target`` (a DuckDB file or a PostgreSQL URL each).

    ``source`` is only read (an older one gets its audit chain, as an export does). ``target``
    may be empty or absent; one holding records is refused unless its audit history is the start
    of the source's (or ``force``), as :func:`~indicators.certification.backup.import_records`
    refuses.

    Raises
    ------
    RecordError
        If the source is missing or its audit chain is broken, or the target refuses; the
        target is unchanged.
    """
    with tempfile.TemporaryDirectory(prefix="jc-records-copy-") as tmp:
        folder = Path(tmp) / "backup"
        exported = export_records(folder, source)
        restored = import_records(folder, target, force=force)
    return CopyReport(source, exported, restored)
