"""Writing a database file so that no reader ever sees it half-made.

Both databases are written this way: the derived ``indicators.duckdb`` by ``build`` (which
replaces the old file) and the certification records by their first seeding (which must never
replace an existing file). A new file is written beside its target, in the same folder so that
the final rename or link is atomic, and put in place only when everything succeeded; on any
error the new file is removed and the target is untouched.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with NewDatabase(folder / "x.duckdb") as con:
...     _ = con.execute("CREATE TABLE t AS SELECT 1 AS a")
>>> sorted(p.name for p in folder.iterdir())
['x.duckdb']
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from types import TracebackType

import duckdb


def temporary_path(target: Path) -> Path:
    """A fresh file name beside ``target`` (hidden, unique to this process and call)."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def remove_database(path: Path) -> None:
    """Remove a DuckDB file and its write-ahead log, where they exist."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


def link_if_absent(tmp: Path, target: Path) -> bool:
    """Put ``tmp`` at ``target`` only if nothing is there yet; True when it was placed.

    A hard link fails atomically when the target exists, so two processes seeding at once
    cannot overwrite each other; on a file system without hard links a checked rename is used.
    ``tmp`` is removed either way.
    """
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links here: fall back to a checked rename
        if target.exists():
            return False
        os.replace(tmp, target)
        return True
    finally:
        remove_database(tmp)


class NewDatabase:
    """A new DuckDB file, put at ``target`` when the ``with`` block succeeds.

    Parameters
    ----------
    target : Path
        Where the finished database goes (its folder is created if needed).
    only_if_absent : bool, default False
        False: replace any existing file (``os.replace``). True: leave an existing file alone
        and discard the new one (:func:`link_if_absent`).

    Attributes
    ----------
    placed : bool
        After the block: whether the new file is now at ``target``.
    """

    def __init__(self, target: Path, *, only_if_absent: bool = False):
        self.target = Path(target)
        self.only_if_absent = only_if_absent
        self.placed = False
        self._tmp = temporary_path(self.target)
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self._tmp))
        return self._con

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        con, self._con = self._con, None
        if con is None:
            return
        if kind is not None:
            con.close()
            remove_database(self._tmp)
            return
        try:
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            remove_database(self._tmp)
            raise
        con.close()
        if self.only_if_absent:
            self.placed = link_if_absent(self._tmp, self.target)
        else:
            os.replace(self._tmp, self.target)
            self.placed = True
