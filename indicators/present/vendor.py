"""Leaflet plugins fetched from the npm registry at set-up time: Leaflet.draw (drawing an area)
and Leaflet.GestureHandling (a map that lets a one-finger swipe scroll the page past it).

Leaflet and jQuery come from PyPI packages (``xstatic-leaflet``, ``xstatic-jquery``), but no
PyPI package ships these plugins, and folium loads its plugins from CDNs this app cannot reach.
So ``setup.sh`` runs ``python -m indicators.present.vendor``, which, for each :class:`Package`
in :data:`PACKAGES`, downloads the npm package's tarball (:attr:`Package.tarball_url`), checks
it against the pinned Subresource-Integrity hash the registry publishes
(:attr:`Package.integrity`), and keeps only what the plugin needs (:attr:`Package.files`) in
the virtualenv, under ``<venv>/share/<name>/<version>/`` (:func:`install_dir`), with a manifest
of their SHA-256 hashes. :func:`indicators.present.maps.install_static_assets` copies them into
the app's ``static/`` folder at start-up. Nothing here runs while the app runs, and nothing
downloads anything unless called: the app works without these files (maps just offer no
drawing, and take one-finger gestures themselves).

The module lives beside :mod:`.maps` because the two share one pin (version, file list,
location): setup fetches exactly what start-up copies. It uses the standard library only.

Examples
--------
>>> parse_integrity("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")[0]
'sha256'
>>> GESTURES.tarball_url
'https://registry.npmjs.org/leaflet-gesture-handling/-/leaflet-gesture-handling-1.2.2.tgz'
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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Package:
    """One npm package to vendor: what to fetch, how to check it, what to keep of it."""

    name: str  #: the npm name, also the folder under ``share/`` and ``static/vendor/``
    version: str
    #: ``dist.integrity`` of https://registry.npmjs.org/<name>/<version> (SRI: algorithm-base64).
    integrity: str
    #: Where the files sit inside the tarball; they are installed relative to it.
    root: PurePosixPath
    #: The files kept, relative to :attr:`root` (``images/`` is every file in that folder).
    files: tuple[str, ...]
    #: Files that must be there for the plugin to work.
    required: tuple[str, ...]
    label: str  #: how setup's messages name it

    @property
    def tarball_url(self) -> str:
        """The tarball's address in the npm registry."""
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"


#: Leaflet.draw's latest release (1.0.4, 2018); folium's Draw plugin defaults to 1.0.2 from
#: cdnjs, and its template only uses ``L.Control.Draw`` and ``L.Draw.Event.CREATED``, unchanged
#: since 1.0. Required: the script, the stylesheet and the sprites the stylesheet names
#: (``url('images/spritesheet.svg')`` etc., relative to the stylesheet).
DRAW = Package(
    name="leaflet-draw", version="1.0.4",
    integrity=("sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya"
               "/TVtog15tyAQ=="),
    root=PurePosixPath("package/dist"),
    files=("leaflet.draw.js", "leaflet.draw.css", "images/"),
    required=("leaflet.draw.js", "leaflet.draw.css", "images/spritesheet.png",
              "images/spritesheet-2x.png", "images/spritesheet.svg"),
    label="Leaflet.draw")
#: Leaflet.GestureHandling 1.2.2 (2021, MIT; its latest): the minified script and stylesheet,
#: and its licence (MIT asks that the notice travel with copies).
GESTURES = Package(
    name="leaflet-gesture-handling", version="1.2.2",
    integrity=("sha512-Blf5V4PoNphWkzL7Y1qge+Spkd4OCQ2atjwUNhMhLIcjKzPcBH++x/lwOinaR9jSqLWqJ6oKYO8d0X"
               "dTffy4hQ=="),
    root=PurePosixPath("package"),
    files=("dist/leaflet-gesture-handling.min.js", "dist/leaflet-gesture-handling.min.css",
           "LICENSE"),
    required=("dist/leaflet-gesture-handling.min.js", "dist/leaflet-gesture-handling.min.css"),
    label="Leaflet.GestureHandling")
#: Everything setup fetches.
PACKAGES = (DRAW, GESTURES)
MANIFEST = "INSTALLED.json"
#: Leaflet.draw 1.0.4's tarball is 0.6 MB; refuse anything far larger.
MAX_TARBALL_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 30
_ALGORITHMS = ("sha256", "sha384", "sha512")


class VendorError(RuntimeError):
    """The tarball could not be trusted or used (the message says why)."""


def install_dir(prefix: str | os.PathLike[str] | None = None, package: Package = DRAW) -> Path:
    """``<prefix>/share/<name>/<version>`` of ``package``; ``prefix`` defaults to this Python's
    ``sys.prefix`` (the virtualenv that setup.sh made)."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / package.name / package.version


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


def verify_integrity(data: bytes, integrity: str = DRAW.integrity) -> None:
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


def _wanted(path: PurePosixPath, package: Package) -> str | None:
    """The member's path relative to the package's root if it is one of its files."""
    try:
        relative = path.relative_to(package.root)
    except ValueError:
        return None
    text = relative.as_posix()
    for entry in package.files:
        if text == entry or (entry.endswith("/") and relative.parent.as_posix() == entry[:-1]):
            return text
    return None


def extract(data: bytes, destination: Path, package: Package = DRAW) -> list[Path]:
    """Unpack the package's :attr:`~Package.files` from the gzipped tarball ``data`` into
    ``destination``, replacing what is there, and write the manifest (:data:`MANIFEST`). Every
    member is checked first: an absolute path or a ``..`` anywhere refuses the whole tarball, as
    does a wanted file that is a link or missing (:attr:`~Package.required`). Files are written
    by this code (never by ``tarfile``'s extraction), into a temporary folder renamed into place,
    so a failure leaves no half-installed copy. Returns the files installed.
    """
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            members = archive.getmembers()
            chosen: dict[str, tarfile.TarInfo] = {}
            for member in members:
                relative = _wanted(_safe_name(member.name), package)
                if relative is None or member.isdir():
                    continue
                if not member.isfile():
                    raise VendorError(f"the tarball's {member.name} is not a regular file")
                chosen[relative] = member
            missing = [name for name in package.required if name not in chosen]
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
        manifest = {"name": package.name, "version": package.version, "integrity": integrity_of(data),
                    "files": hashes}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if destination.exists():
            shutil.rmtree(destination)
        staging.rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [destination / relative for relative in sorted(contents)]


def install(data: bytes, destination: Path, integrity: str | None = None,
            package: Package = DRAW) -> list[Path]:
    """Verify ``data`` against ``integrity`` (the package's pin by default;
    :func:`verify_integrity`), then :func:`extract`."""
    verify_integrity(data, package.integrity if integrity is None else integrity)
    return extract(data, destination, package)


def _manifest(destination: Path) -> dict[str, object] | None:
    try:
        manifest = json.loads((destination / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def files(destination: Path, package: Package = DRAW) -> list[str]:
    """The installed files (relative to ``destination``) when every one the manifest lists is
    there with its recorded hash and the package's required files are among them; ``[]``
    otherwise."""
    manifest = _manifest(destination)
    if manifest is None:
        return []
    recorded: dict[str, str] = manifest["files"]  # type: ignore[assignment]
    if any(name not in recorded for name in package.required):
        return []
    for relative, digest in recorded.items():
        path = destination / relative
        if ".." in PurePosixPath(relative).parts or not path.is_file():
            return []
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return []
    return sorted(recorded)


def installed(destination: Path, integrity: str | None = None, package: Package = DRAW) -> bool:
    """Whether ``destination`` holds an intact copy unpacked from the tarball ``integrity``
    (the package's pin by default) names, so a new pin fetches again."""
    manifest = _manifest(destination)
    expected = package.integrity if integrity is None else integrity
    return bool(manifest and manifest.get("integrity") == expected and files(destination, package))


def download(url: str, timeout_s: float = TIMEOUT_S) -> bytes:
    """The body at ``url`` (at most :data:`MAX_TARBALL_BYTES`)."""
    request = urllib.request.Request(url, headers={"User-Agent": "just-communities-dashboard-setup"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        data = response.read(MAX_TARBALL_BYTES + 1)
    if len(data) > MAX_TARBALL_BYTES:
        raise VendorError(f"{url} is larger than {MAX_TARBALL_BYTES} bytes")
    return data


def fetch(destination: Path | None = None, url: str | None = None, integrity: str | None = None,
          package: Package = DRAW) -> bool:
    """Make sure ``destination`` (:func:`install_dir` by default) holds ``package``: nothing is
    downloaded when an intact copy of the pinned tarball is there. ``url`` and ``integrity``
    default to the package's. Returns whether it downloaded. Raises :class:`VendorError` or
    :class:`OSError` (``urllib.error.URLError``) when it cannot.
    """
    destination = install_dir(package=package) if destination is None else destination
    if installed(destination, integrity, package):
        return False
    install(download(package.tarball_url if url is None else url), destination, integrity, package)
    return True


def main() -> int:
    """``python -m indicators.present.vendor``: fetch every package of :data:`PACKAGES`; 1 (with
    the reasons on stderr) when any could not be, so setup.sh can warn and go on (the others are
    still installed)."""
    status = 0
    for package in PACKAGES:
        destination = install_dir(package=package)
        try:
            downloaded = fetch(destination, package=package)
        except (VendorError, OSError) as error:
            print(f"{package.label} {package.version} could not be installed from "
                  f"{package.tarball_url}: {error}", file=sys.stderr)
            status = 1
            continue
        state = "installed" if downloaded else "already installed (verified)"
        print(f"{package.label} {package.version} {state} in {destination}")
    return status


if __name__ == "__main__":
    sys.exit(main())
