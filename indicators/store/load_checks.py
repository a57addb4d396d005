"""Checks of a file an editor loads from the Data page, before anything is written
(:mod:`indicators.store.editor_load`): which roles and profiles a file may be loaded as, its
size (``JC_MAX_LOAD_MB``), that its contents are the kind its name says, a zip's every member
(the residents' upload checks of :mod:`indicators.ingest.upload`: no absolute paths, no ``..``,
no links, no zip bombs) and its number of features or rows (``JC_MAX_LOAD_FEATURES``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from indicators import config

# Private but small: editors' zips get exactly the residents' upload checks, written once.
from indicators.ingest import zips
from indicators.ingest.profiles import profiles_for_role

#: The roles a file may be loaded in, and how the page names them. Districts replace the
#: region's districts (a region has one districts layer); the others are added.
ROLES = {"census": "Census table", "environment": "Environmental or health table",
         "overlay": "Map overlay (redlining)", "districts": "Districts (replaces the current ones)"}
#: The file kinds each role reads (by suffix; the contents must agree).
SUFFIXES = {"census": (".csv", ".txt", ".tsv", ".json"),
            "environment": (".csv", ".txt", ".tsv", ".json"),
            "overlay": (".zip", ".geojson", ".json", ".gpkg"),
            "districts": (".zip", ".geojson", ".json", ".gpkg")}
#: Profiles a page cannot offer: ``generic`` needs a column mapping written in the manifest.
UNOFFERED_PROFILES = ("generic",)
_ZIP, _SQLITE = (b"PK\x03\x04", b"PK\x05\x06"), b"SQLite format 3\x00"


class LoadError(Exception):
    """A load or restore that was refused or failed, with nothing changed; ``str()`` is the
    sentence to show and ``problems`` every problem the build found (sentences)."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    """A role and profile an editor may load a file as, with the page's words for it."""

    role: str
    profile: str | None
    label: str


def load_choices() -> list[Choice]:
    """Every role and profile the manifest supports for a loaded file, in the page's order."""
    out = []
    for role, words in ROLES.items():
        profiles = [p for p in profiles_for_role(role) if p not in UNOFFERED_PROFILES]
        out += [Choice(role, p, f"{words}: {p}") for p in profiles] or [Choice(role, None, words)]
    return out


def check_file(data: bytes, filename: str, role: str, profile: str | None, name: str | None) -> str:
    """Refuse what cannot be loaded (a :class:`LoadError`); returns the file's suffix."""
    if role not in ROLES:
        raise LoadError(f"A file cannot be loaded as {role!r}; choose one of: {', '.join(ROLES)}.")
    allowed = [c.profile for c in load_choices() if c.role == role]
    if profile not in allowed:
        raise LoadError(f"The profile {profile!r} is not for {role} layers; choose one of: "
                        f"{', '.join(str(p) for p in allowed)}.")
    if role == "districts" and not (name or "").strip():
        raise LoadError("Say which column of the file names each district (for example NAME), so "
                        "the districts can be told apart.")
    limit = config.max_load_bytes()
    if len(data) > limit:
        raise LoadError(f"The file is {zips.megabytes(len(data))}; the limit is {zips.megabytes(limit)} "
                        "(JC_MAX_LOAD_MB): load only the region's counties, or ask the maintainers "
                        "to raise the limit.")
    if not data:
        raise LoadError("The file is empty (0 bytes): download it again.")
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUFFIXES[role]:
        raise LoadError(f"A {ROLES[role].lower()} is read from a {', '.join(SUFFIXES[role])} file, and "
                        f"this one is {suffix or 'without a suffix'}: choose the right file, or save it "
                        "in one of those formats.")
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    wrong = ((suffix == ".zip" and data[:4] not in _ZIP) or (suffix == ".gpkg" and data[:16] != _SQLITE)
             or (suffix == ".geojson" and head[:1] not in (b"{", b"["))
             or (suffix == ".json" and head[:1] not in (b"{", b"[")))
    if wrong:
        raise LoadError(f"The file is named {suffix} but its contents are not: export it again in that "
                        "format, or give it the suffix it really has.")
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                zips.check_members(infos, limit)
                zips.only_shapefile(infos)
        except zips.ArchiveError as exc:
            raise LoadError(str(exc)) from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise LoadError("The .zip is damaged or not a zip archive: zip the shapefile's files "
                            "(.shp, .shx, .dbf, .prj) again.") from None
    return suffix


def check_features(path: Path) -> None:
    """Refuse a file with more features or rows than ``JC_MAX_LOAD_FEATURES`` before it is read."""
    limit = config.max_load_features()
    if path.suffix.lower() in (".csv", ".txt", ".tsv") or (
            path.suffix.lower() == ".json" and path.read_bytes()[:64].lstrip()[:2] == b"[["):
        raw = path.read_bytes()
        count = raw.count(b"\n") if path.suffix.lower() != ".json" else raw.count(b"],")
    else:
        source = str(path)
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                source = f"/vsizip/{path}/{zips.only_shapefile(archive.infolist()).filename}"
        try:
            count = int(pyogrio.read_info(source, force_feature_count=True).get("features") or 0)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError):
            return  # unreadable: the build's reader says why, in its own words
    if count > limit:
        raise LoadError(f"The file holds about {count:,} features or rows, more than the {limit:,} this "
                        "page loads (JC_MAX_LOAD_FEATURES): load only the region's counties.")
