"""One ``[[layer]]`` table of a region's manifest: a file and how to read it.

Kept apart from :mod:`indicators.ingest.manifest` (which parses and checks the whole manifest)
because every reader takes a :class:`Layer`, while only the manifest needs the list of readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Layer:
    """One file of a region and how to read it (a ``[[layer]]`` table of the manifest)."""

    index: int
    role: str
    path: Path
    rel: str
    profile: str | None = None
    key: str | None = None
    level: str | None = None
    name: str | None = None
    vintage: str = ""
    publisher: str = ""
    licence: str = ""
    title: str = ""
    member: str | None = None
    layer: str | None = None
    crs: str | None = None
    measure: str | None = None
    kind: str | None = None
    source_url: str = ""
    notes: str = ""
    name_prefix: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    moe_columns: dict[str, str] = field(default_factory=dict)
    period: str = ""
    #: Units only: the 5-digit county FIPS codes to keep from a file covering more (a state's
    #: tracts as the Census Bureau publishes them); empty keeps every unit.
    counties: tuple[str, ...] = ()
    #: When ``fetch`` downloaded the file (ISO 8601 UTC), and the SHA-256 it had then: a file
    #: changed since is reported when the region is built.
    downloaded: str = ""
    sha256: str = ""
    #: The manifest's ``[[layer]]`` number this layer was written as, where it differs from
    #: ``index`` (a file holding several periods becomes one layer per period).
    entry: int = 0

    @property
    def where(self) -> str:
        """Where the layer is in the manifest, for messages ("layer 3")."""
        return f"layer {self.entry or self.index}"

    @property
    def label(self) -> str:
        """How the layer is named to users: its title, else its file name."""
        return self.title or Path(self.rel).name
