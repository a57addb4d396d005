"""Zip archives from outside, checked before anything in them is read: the one place that
decides whether a member's name is safe (no absolute path, no ``..``, no symbolic link: GDAL
and unpacking would follow them out of the archive), whether the archive is a "zip bomb" (a
member far larger unpacked than packed, or too much in all), and which shapefile it holds.

Used by the region reader (:mod:`indicators.ingest.files`), residents' uploads
(:mod:`indicators.ingest.upload`) and editors' loads (:mod:`indicators.store.load_checks`);
each turns an :class:`ArchiveError` into its own kind of message.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import PurePosixPath

from indicators.problems import sample_list

#: The most files a zip may hold (a shapefile has 3 to 8).
MAX_MEMBERS = 1_000
#: The largest unpacked-to-packed size ratio of a zip member (real .shp and .dbf: about 2-20).
MAX_RATIO = 100
#: A zip may unpack to at most this many times the size limit it came in under.
UNPACK_FACTOR = 10
#: Members smaller than this unpacked are never called bombs, whatever their ratio.
RATIO_FLOOR = 1_000_000


class ArchiveError(ValueError):
    """A zip refused; ``str()`` is one sentence saying why and what to do."""


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """What is unsafe about a member's name or kind, or None.

    >>> unsafe_member(zipfile.ZipInfo("../../etc/passwd")), unsafe_member(zipfile.ZipInfo("a/b.shp"))
    ('leads out of its folder', None)
    """
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "leads out of its folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    return None


def check_members(infos: list[zipfile.ZipInfo], limit: int) -> None:
    """Refuse too many members, an unsafe member, a member that inflates more than
    :data:`MAX_RATIO` times, or an archive unpacking past :data:`UNPACK_FACTOR` x ``limit``.

    Raises
    ------
    ArchiveError
        Naming the member and the fix.
    """
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"The .zip holds {len(infos):,} files, more than the {MAX_MEMBERS:,} that "
                           "are opened: zip only the shapefile's own files (.shp, .shx, .dbf, .prj).")
    for info in infos:
        name = info.filename
        if (unsafe := unsafe_member(info)) is not None:
            raise ArchiveError(f"The .zip holds a file that {unsafe} ({name[:80]!r}), which is not "
                               "allowed: zip the files themselves again, from inside their folder.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveError(f"The .zip member {name[:80]!r} unpacks to more than {MAX_RATIO} times "
                               "its packed size, as harmful 'zip bombs' do, so the archive was "
                               "refused: zip the shapefile's files again with ordinary compression.")
    if (total := sum(info.file_size for info in infos)) > UNPACK_FACTOR * limit:
        raise ArchiveError(f"The .zip unpacks to {megabytes(total)}, more than {UNPACK_FACTOR} times "
                           f"the {megabytes(limit)} size limit: zip only the shapefile you need.")


def only_shapefile(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The one ``.shp`` member (macOS's ``__MACOSX/._name`` copies are not shapefiles).

    Raises
    ------
    ArchiveError
        When there is none, or more than one.
    """
    real = [i for i in infos if not i.is_dir() and "__MACOSX" not in i.filename.split("/")
            and not PurePosixPath(i.filename).name.startswith("._")]
    shps = [i for i in real if i.filename.lower().endswith(".shp")]
    if len(shps) == 1:
        return shps[0]
    if not shps:
        held = sample_list([PurePosixPath(i.filename).name for i in real]) or "nothing"
        raise ArchiveError(f"The .zip holds no shapefile (.shp), only {held}: zip the .shp together "
                           "with its .shx, .dbf and .prj and use that.")
    raise ArchiveError(f"The .zip holds {len(shps)} shapefiles ({sample_list([i.filename for i in shps])}), "
                       "so it is not clear which one is meant: use a .zip holding only that one.")


def megabytes(size: float) -> str:
    """A size in MB, to one decimal, or two significant digits when small.

    >>> megabytes(23_400_000), megabytes(20_000_000), megabytes(1_234)
    ('23.4 MB', '20 MB', '0.0012 MB')
    """
    value = size / 1_000_000
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value >= 0.1 else f"{value:.2g}"
    return f"{text} MB"
