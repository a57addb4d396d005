"""Leaflet.draw (the map drawing tools) fetched from the npm registry at set-up time.

Leaflet and jQuery come from PyPI packages (``xstatic-leaflet``, ``xstatic-jquery``), but no
PyPI package ships Leaflet.draw, and folium's :class:`~folium.plugins.Draw` loads it from a CDN
this app cannot reach. So ``setup.sh`` runs ``python -m indicators.present.vendor``, which
downloads the npm package's tarball (:data:`TARBALL_URL`), checks it against the pinned
Subresource-Integrity hash the registry publishes (:data:`INTEGRITY`), and keeps only what the
plugin needs (:data:`FILES`: the script, the stylesheet, its images) in the virtualenv, under
``<venv>/share/leaflet-draw/<version>/`` (:func:`install_dir`), with a manifest of their
SHA-256 hashes. :func:`indicators.present.maps.install_static_assets` copies them into the app's
``static/`` folder at start-up. Nothing here runs while the app runs, and nothing downloads
anything unless called: the app works without these files (maps just offer no drawing).

The module lives beside :mod:`.maps` because the two share one pin (version, file list,
location): setup fetches exactly what start-up copies. It uses the standard library only.

Examples
--------
>>> parse_integrity("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")[0]
'sha256'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path, PurePosixPath

NAME = "leaflet-draw"
#: The latest release (1.0.4, 2018); folium's Draw plugin defaults to 1.0.2 from cdnjs, and its
#: template only uses ``L.Control.Draw`` and ``L.Draw.Event.CREATED``, unchanged since 1.0.
VERSION = "1.0.4"
TARBALL_URL = f"https://registry.npmjs.org/{NAME}/-/{NAME}-{VERSION}.tgz"
#: ``dist.integrity`` of https://registry.npmjs.org/leaflet-draw/1.0.4 (SRI: algorithm-base64).
INTEGRITY = ("sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya"
             "/TVtog15tyAQ==")
#: Where the files sit inside the tarball; they are installed relative to it.
PACKAGE_ROOT = PurePosixPath("package/dist")
#: The files kept, relative to :data:`PACKAGE_ROOT` (``images/`` is every file in that folder).
FILES = ("leaflet.draw.js", "leaflet.draw.css", "images/")
#: Files that must be there for drawing to work: the script, the stylesheet and the sprites the
#: stylesheet names (``url('images/spritesheet.svg')`` etc., relative to the stylesheet).
REQUIRED = ("leaflet.draw.js", "leaflet.draw.css", "images/spritesheet.png",
            "images/spritesheet-2x.png", "images/spritesheet.svg")
MANIFEST = "INSTALLED.json"
#: The 1.0.4 tarball is 0.6 MB; refuse anything far larger.
MAX_TARBALL_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 30
_ALGORITHMS = ("sha256", "sha384", "sha512")


class VendorError(RuntimeError):
    """The tarball could not be trusted or used (the message says why)."""


def install_dir(prefix: str | os.PathLike[str] | None = None) -> Path:
    """``<prefix>/share/leaflet-draw/<version>``; ``prefix`` defaults to this Python's
    ``sys.prefix`` (the virtualenv that setup.sh made)."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / NAME / VERSION


def parse_integrity(integrity: str) -> tuple[str, bytes]:
    """The algorithm and digest of an SRI value such as ``sha512-<base64>``."""
    algorithm, _, encoded = integrity.strip().partition("-")
    if algorithm not in _ALGORITHMS or not encoded:
        raise VendorError(f"not a sha256/sha384/sha512 integrity value: {integrity!r}")
    try:
        digest = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise VendorError(f"integrity value is not base64: {integrity!r}") from error
    if len(digest) != hashlib.new(algorithm).digest_size:
        raise VendorError(f"integrity value has the wrong length for {algorithm}: {integrity!r}")
    return algorithm, digest


def integrity_of(data: bytes, algorithm: str = "sha512") -> str:
    """The SRI value of ``data``, as npm writes it."""
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def verify_integrity(data: bytes, integrity: str = INTEGRITY) -> None:
    """Raise :class:`VendorError` unless ``data`` hashes to ``integrity``."""
    algorithm, expected = parse_integrity(integrity)
    if not hmac.compare_digest(hashlib.new(algorithm, data).digest(), expected):
        raise VendorError(f"the tarball does not match its pinned integrity {integrity[:20]}...: "
                          "corrupted download or a different package")


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if name in (".", "./"):
        return path
    if not path.parts or path.is_absolute() or name.startswith("\\") or ":" in path.parts[0]:
        raise VendorError(f"the tarball has a member with an absolute or empty path: {name!r}")
    if ".." in path.parts or "\\" in name:
        raise VendorError(f"the tarball has a member whose path leaves the package: {name!r}")
    return path


def _wanted(path: PurePosixPath) -> str | None:
    """The member's path relative to :data:`PACKAGE_ROOT` if it is one of :data:`FILES`."""
    try:
        relative = path.relative_to(PACKAGE_ROOT)
    except ValueError:
        return None
    text = relative.as_posix()
    for entry in FILES:
        if text == entry or (entry.endswith("/") and relative.parent.as_posix() == entry[:-1]):
            return text
    return None


def extract(data: bytes, destination: Path) -> list[Path]:
    """Unpack :data:`FILES` from the gzipped tarball ``data`` into ``destination``, replacing
    what is there, and write the manifest (:data:`MANIFEST`). Every member is checked first:
    an absolute path or a ``..`` anywhere refuses the whole tarball, as does a wanted file
    that is a link or missing (:data:`REQUIRED`). Files are written by this code (never by
    ``tarfile``'s extraction), into a temporary folder renamed into place, so a failure leaves
    no half-installed copy. Returns the files installed.
    """
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            members = archive.getmembers()
            chosen: dict[str, tarfile.TarInfo] = {}
            for member in members:
                relative = _wanted(_safe_name(member.name))
                if relative is None or member.isdir():
                    continue
                if not member.isfile():
                    raise VendorError(f"the tarball's {member.name} is not a regular file")
                chosen[relative] = member
            missing = [name for name in REQUIRED if name not in chosen]
            if missing:
                raise VendorError(f"the tarball lacks {', '.join(missing)}")
            contents = {}
            for relative, member in chosen.items():
                handle = archive.extractfile(member)
                if handle is None:
                    raise VendorError(f"cannot read {member.name} from the tarball")
                contents[relative] = handle.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise VendorError(f"not a readable .tgz: {error}") from error

    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.parent / f".{destination.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        hashes = {}
        for relative, body in sorted(contents.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            hashes[relative] = hashlib.sha256(body).hexdigest()
        manifest = {"name": NAME, "version": VERSION, "integrity": integrity_of(data),
                    "files": hashes}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if destination.exists():
            shutil.rmtree(destination)
        staging.rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [destination / relative for relative in sorted(contents)]


def install(data: bytes, destination: Path, integrity: str = INTEGRITY) -> list[Path]:
    """Verify ``data`` against ``integrity`` (:func:`verify_integrity`), then :func:`extract`."""
    verify_integrity(data, integrity)
    return extract(data, destination)


def _manifest(destination: Path) -> dict[str, object] | None:
    try:
        manifest = json.loads((destination / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def files(destination: Path) -> list[str]:
    """The installed files (relative to ``destination``) when every one the manifest lists is
    there with its recorded hash and :data:`REQUIRED` are among them; ``[]`` otherwise."""
    manifest = _manifest(destination)
    if manifest is None:
        return []
    recorded: dict[str, str] = manifest["files"]  # type: ignore[assignment]
    if any(name not in recorded for name in REQUIRED):
        return []
    for relative, digest in recorded.items():
        path = destination / relative
        if ".." in PurePosixPath(relative).parts or not path.is_file():
            return []
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return []
    return sorted(recorded)


def installed(destination: Path, integrity: str = INTEGRITY) -> bool:
    """Whether ``destination`` holds an intact copy unpacked from the tarball ``integrity``
    names (so a new pin fetches again)."""
    manifest = _manifest(destination)
    return bool(manifest and manifest.get("integrity") == integrity and files(destination))


def download(url: str = TARBALL_URL, timeout_s: float = TIMEOUT_S) -> bytes:
    """The body at ``url`` (at most :data:`MAX_TARBALL_BYTES`)."""
    request = urllib.request.Request(url, headers={"User-Agent": "just-communities-dashboard-setup"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        data = response.read(MAX_TARBALL_BYTES + 1)
    if len(data) > MAX_TARBALL_BYTES:
        raise VendorError(f"{url} is larger than {MAX_TARBALL_BYTES} bytes")
    return data


def fetch(destination: Path | None = None, url: str = TARBALL_URL,
          integrity: str = INTEGRITY) -> bool:
    """Make sure ``destination`` (:func:`install_dir` by default) holds Leaflet.draw: nothing
    is downloaded when an intact copy of the pinned tarball is there. Returns whether it
    downloaded. Raises :class:`VendorError` or :class:`OSError` (``urllib.error.URLError``)
    when it cannot.
    """
    destination = install_dir() if destination is None else destination
    if installed(destination, integrity):
        return False
    install(download(url), destination, integrity)
    return True


def main() -> int:
    """``python -m indicators.present.vendor``: fetch Leaflet.draw; 1 (with the reason on
    stderr) when it cannot, so setup.sh can warn and go on."""
    destination = install_dir()
    try:
        downloaded = fetch(destination)
    except (VendorError, OSError) as error:
        print(f"Leaflet.draw {VERSION} could not be installed from {TARBALL_URL}: {error}",
              file=sys.stderr)
        return 1
    state = "installed" if downloaded else "already installed (verified)"
    print(f"Leaflet.draw {VERSION} {state} in {destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
