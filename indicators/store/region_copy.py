"""Versions of a region folder for the Data page's loads (:mod:`indicators.store.editor_load`).

A load never changes the live region folder. It stages a new version beside the database, in
``<database folder>/regions/region-<time>-<id>/``: a copy of the manifest and of every file it
names inside the folder (files named outside it, such as ``../../shared/data/...``, are named by
their absolute path instead), plus the new file and its ``[[layer]]`` table. The database built
from it records that folder (``meta.manifest_path``), so the previous database still names the
previous version, which is kept for as long as the live or previous database names it.

The manifest is written back as TOML by :func:`dump_manifest` (the standard library reads TOML
but does not write it); the written text is read again and must give back the same tables.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import uuid
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from indicators.ingest import manifest_text
from indicators.ingest.manifest import MANIFEST_NAME

#: Folder names of the staged versions (only these are ever pruned).
VERSION_PREFIX = "region-"


class StagingError(ValueError):
    """The region folder cannot be copied; ``str()`` is the sentence to show."""


def versions_folder(db: Path) -> Path:
    """Where the staged region versions of database ``db`` live."""
    return Path(db).parent / "regions"


def read_manifest_tables(manifest: Path) -> dict[str, Any]:
    """The manifest's TOML tables, as :mod:`tomllib` reads them."""
    try:
        return tomllib.loads(manifest.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StagingError(f"The region's manifest {manifest} cannot be read ({exc}); fix it, or "
                           "rebuild the region with `python -m indicators build`.") from None


def stage_region(source: Path, tables: dict[str, Any], versions: Path) -> tuple[Path, dict[str, Any]]:
    """Copy a region folder's files into a new version folder under ``versions``.

    Parameters
    ----------
    source : Path
        The live region folder (holding ``manifest.toml``).
    tables : dict
        Its manifest's tables (:func:`read_manifest_tables`); not changed.
    versions : Path
        The folder of versions (:func:`versions_folder`).

    Returns
    -------
    (Path, dict)
        The new folder (the manifest is not written yet) and the tables with every layer's
        path valid from it.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    folder = versions / f"{VERSION_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    root = source.resolve()
    layers = []
    for raw in tables.get("layer") or []:
        layer = dict(raw)
        rel = str(layer.get("path", ""))
        original = (root / rel).resolve()
        if rel and original.is_relative_to(root) and original.exists():
            _copy_layer_file(original, folder / original.relative_to(root))
        elif rel:
            layer["path"] = str(original)  # outside the folder (or missing: build says so)
        layers.append(layer)
    return folder, {**tables, "layer": layers}


def _copy_layer_file(path: Path, target: Path) -> None:
    """Copy a layer's file (a shapefile with its sidecars, a folder with its contents)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.copytree(path, target, dirs_exist_ok=True)
        return
    if path.suffix.lower() == ".shp":
        for sidecar in path.parent.glob(f"{glob_escape(path.stem)}.*"):
            shutil.copyfile(sidecar, target.with_name(sidecar.name))
        return
    shutil.copyfile(path, target)


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def safe_file_name(filename: str, suffix: str, folder: Path) -> str:
    """A file name for an editor's file in ``folder``: the name's last part, letters, digits,
    ``.``, ``_`` and ``-`` only, with the checked ``suffix``, never one already there.

    >>> safe_file_name("../../etc/pass wd.CSV", ".csv", Path("/nonexistent"))
    'pass_wd.csv'
    """
    stem = PurePosixPath(filename.replace("\\", "/")).name
    stem = stem[: -len(suffix)] if stem.lower().endswith(suffix) else stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:60] or "layer"
    name, n = f"{stem}{suffix}", 1
    while (folder / name).exists():
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name


def dump_manifest(tables: dict[str, Any], header: str) -> str:
    """The manifest's tables as TOML text (:func:`indicators.ingest.manifest_text.dump_manifest`),
    a :class:`StagingError` when they hold what the Data page cannot copy."""
    try:
        return manifest_text.dump_manifest(tables, header)
    except manifest_text.ManifestTextError:
        raise _uncopyable() from None


def _uncopyable() -> StagingError:
    return StagingError("The region's manifest holds values the Data page cannot copy (dates or nested "
                        "tables); load the file by editing manifest.toml and running "
                        "`python -m indicators build`.")


def referenced_folder(manifest_path: str) -> Path | None:
    """The region folder a database's ``meta.manifest_path`` names, if it is there."""
    if not manifest_path:
        return None
    folder = Path(manifest_path).expanduser().resolve().parent
    return folder if (folder / MANIFEST_NAME).exists() else None


def prune_versions(versions: Path, keep: set[Path]) -> None:
    """Remove the staged versions no database names any more (never any other folder)."""
    if not versions.is_dir():
        return
    kept = {p.resolve() for p in keep}
    for folder in versions.iterdir():
        if folder.is_dir() and folder.name.startswith(VERSION_PREFIX) and folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)
