"""Writing a region manifest as TOML text (the standard library reads TOML but does not write it).

Used by the ``fetch`` command, which writes a new region's manifest, and by the Data page's
loads (:mod:`indicators.store.region_copy`), which write back a copy with one layer more. The
text written is read again and must give back the same tables.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class ManifestTextError(ValueError):
    """Tables TOML text cannot hold as a manifest (dates, nested tables deeper than one level)."""


def dump_manifest(tables: dict[str, Any], header: str) -> str:
    """The manifest's tables as TOML text (``[region]``, then each ``[[layer]]`` with its
    sub-tables such as ``[layer.columns]``), under ``header`` as a comment; read back to be sure.

    >>> text = dump_manifest({"region": {"name": 'A "B"'}, "layer": [{"role": "units",
    ...     "columns": {"x": "Y"}}]}, "made by a test")
    >>> tomllib.loads(text)["layer"][0]["columns"]
    {'x': 'Y'}
    """
    kept = {"region": tables.get("region") or {}, "layer": list(tables.get("layer") or [])}
    lines = [f"# {line}" for line in header.splitlines()]
    lines += ["", "[region]", *_scalars(kept["region"])]
    for layer in kept["layer"]:
        lines += ["", "[[layer]]", *_scalars(layer)]
        for key, sub in layer.items():
            if isinstance(sub, dict):
                lines += ["", f"[layer.{_key(key)}]", *_scalars(sub)]
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != kept:
        raise ManifestTextError("values a manifest cannot hold (dates or nested tables)")
    return text


def _scalars(table: dict[str, Any]) -> list[str]:
    return [f"{_key(k)} = {_value(v)}" for k, v in table.items() if not isinstance(v, dict)]


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise ManifestTextError("values a manifest cannot hold (dates or nested tables)")


def _string(text: str) -> str:
    """A TOML basic string: every control character escaped."""
    out = ['"']
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + '"'
