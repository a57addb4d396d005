"""The region manifest: ``manifest.toml`` names a region's files and how to read each.

Example
-------
.. code-block:: toml

    [region]
    name = "Atlanta, Georgia"

    [[layer]]
    role = "units"        # units | census | environment | overlay | districts | certification
    path = "tracts.shp"   # relative to the manifest; a .zip of a shapefile is accepted too
    key = "GEOID"         # column with the GEOID (units, census, environment)
    level = "tract"       # tract | block_group (units)
    profile = "acs"       # census/environment/overlay: which column mapping applies
    name = "NPU"          # districts: the column naming each district
    vintage = "ACS 2014-2018"
    publisher = "U.S. Census Bureau"
    licence = "public domain"

Every problem is reported through :class:`~indicators.problems.Problems`, with the fix.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from indicators.ingest.layer import Layer
from indicators.ingest.profiles import PERIOD_PROFILES, PROFILES, TABLE_PROFILES, profiles_for_role
from indicators.periods import last_year, ordered
from indicators.problems import InputError, Problems

MANIFEST_NAME = "manifest.toml"
ROLES = ("units", "census", "environment", "overlay", "districts", "certification", "relationship")
#: Roles whose layers belong to one period (when the manifest names periods).
PERIOD_ROLES = ("units", "census", "environment")
LEVELS = ("tract", "block_group")
LAYER_KEYS = {
    "role", "path", "key", "level", "profile", "name", "vintage", "publisher", "licence",
    "license", "member", "layer", "crs", "measure", "columns", "moe_columns", "title", "kind",
    "source_url", "notes", "name_prefix", "period", "counties", "downloaded", "sha256", "bytes",
}
REGION_KEYS = {"name", "sample", "description", "state", "place_label"}


@dataclass(frozen=True)
class Manifest:
    """A parsed, validated region manifest."""

    path: Path
    name: str
    layers: tuple[Layer, ...]
    sample: bool = False
    description: str = ""
    place_label: str = ""

    @property
    def folder(self) -> Path:
        """The region folder (layer paths are relative to it)."""
        return self.path.parent

    def of_role(self, role: str) -> list[Layer]:
        """The layers with this role, in manifest order."""
        return [layer for layer in self.layers if layer.role == role]

    @property
    def units(self) -> Layer:
        """The geography layer of the latest period (the only one where no period is named)."""
        return self.units_of(self.periods[-1])

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods, oldest first (``("",)`` where the manifest names none)."""
        named = {layer.period for layer in self.layers if layer.period}
        return ordered(named) if named else ("",)

    def units_of(self, period: str) -> Layer:
        """The geography layer of a period."""
        return next(layer for layer in self.of_role("units") if layer.period == period)

    def of_period(self, period: str) -> list[Layer]:
        """The layers of one period: its own, and those that belong to every period."""
        return [layer for layer in self.layers if layer.period in ("", period)]


def load_manifest(region: Path, problems: Problems | None = None) -> Manifest:
    """Read and check ``manifest.toml`` in a region folder (or the manifest file itself).

    Parameters
    ----------
    region : Path
        The region folder, or the path of its manifest.
    problems : Problems, optional
        Collector for problems; when omitted, an :class:`InputError` is raised on any error.

    Returns
    -------
    Manifest
        The layers in manifest order. With a collector, a manifest with errors is still
        returned where it could be parsed, so the reader can check the rest.

    Raises
    ------
    InputError
        If no collector was given and the manifest has errors, or the manifest cannot be read
        at all (missing or not TOML), whatever the collector.
    """
    own = problems is None
    problems = problems if problems is not None else Problems()
    path = region / MANIFEST_NAME if region.is_dir() or region.suffix != ".toml" else region
    data = _read_toml(path, problems)
    if data is None:
        raise InputError(problems.items)
    manifest = _parse(path, data, problems)
    if own and problems.errors:
        raise InputError(problems.items)
    return manifest


def _read_toml(path: Path, problems: Problems) -> dict[str, Any] | None:
    if not path.exists():
        where = path.parent
        problems.error(
            MANIFEST_NAME,
            f"no manifest.toml in {where}" if where.exists() else f"the folder {where} does not exist",
            "create manifest.toml in the region folder (see README, 'Region manifest'), or pass "
            "the right folder.",
        )
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.error(MANIFEST_NAME, f"not valid TOML: {exc}", "fix the line it names.")
        return None


def _parse(path: Path, data: dict[str, Any], problems: Problems) -> Manifest:
    region = data.get("region") or {}
    if not isinstance(region, dict) or not str(region.get("name", "")).strip():
        problems.error(MANIFEST_NAME, "the [region] table has no name", 'add name = "Your City"',
                       "region")
        region = region if isinstance(region, dict) else {}
    _unknown_keys(region, REGION_KEYS, "region", problems)
    raw_layers = data.get("layer") or []
    if not isinstance(raw_layers, list) or not raw_layers:
        problems.error(MANIFEST_NAME, "no [[layer]] tables", "add at least a units, a census and "
                       "a districts layer.")
        raw_layers = []
    layers = _one_layer_per_period(tuple(
        layer for i, raw in enumerate(raw_layers, start=1)
        if (layer := _parse_layer(path.parent, i, raw, problems)) is not None
    ), len(raw_layers), problems)
    _check_roles(layers, problems)
    return Manifest(
        path=path,
        name=str(region.get("name", "")).strip() or path.parent.name,
        layers=layers,
        sample=bool(region.get("sample", False)),
        description=str(region.get("description", "")),
        place_label=str(region.get("place_label", "")),
    )


def _parse_layer(folder: Path, index: int, raw: Any, problems: Problems) -> Layer | None:
    where = f"layer {index}"
    if not isinstance(raw, dict):
        problems.error(MANIFEST_NAME, "a [[layer]] entry is not a table", "", where)
        return None
    _unknown_keys(raw, LAYER_KEYS, where, problems)
    role = str(raw.get("role", "")).strip()
    rel = str(raw.get("path", "")).strip()
    if role not in ROLES:
        problems.error(
            MANIFEST_NAME,
            f"unknown role {role!r}" if role else "no role",
            f"set role to one of: {', '.join(ROLES)}.",
            where,
        )
        return None
    if not rel:
        problems.error(MANIFEST_NAME, "no path", 'add path = "file name"', where)
        return None
    profile = raw.get("profile")
    allowed = profiles_for_role(role)
    if allowed and profile is None:
        problems.error(MANIFEST_NAME, f"a {role} layer needs a profile",
                       f"set profile to one of: {', '.join(allowed)}.", where)
        return None
    if profile is not None and profile not in allowed:
        known = profile in PROFILES
        problems.error(
            MANIFEST_NAME,
            f"profile {profile!r} is not for {role} layers" if known
            else f"unknown profile {profile!r}",
            f"set profile to one of: {', '.join(allowed) or '(none: remove the key)'}.",
            where,
        )
        return None
    level = raw.get("level")
    if level is not None and level not in LEVELS:
        problems.error(MANIFEST_NAME, f"unknown level {level!r}",
                       f"set level to one of: {', '.join(LEVELS)}.", where)
        return None
    if role == "districts" and not raw.get("name"):
        problems.error(MANIFEST_NAME, "a districts layer needs `name`, the column naming each "
                       "district", 'add name = "DISTRICT" (the column with the names).', where)
        return None
    counties = raw.get("counties", [])
    if not (isinstance(counties, list) and all(isinstance(c, str) and len(c) == 5 and c.isdigit()
                                               for c in counties)):
        problems.error(MANIFEST_NAME, "`counties` must be a list of 5-digit county FIPS codes",
                       'write counties = ["13121", "13089"] (state and county codes), or remove it.', where)
        return None
    if counties and role != "units":
        problems.warning(MANIFEST_NAME, f"`counties` on a {role} layer is ignored: it chooses units",
                         "remove the key.", where)
    for table in ("columns", "moe_columns"):
        if table in raw and not isinstance(raw[table], dict):
            problems.error(MANIFEST_NAME, f"`{table}` must be a table of variable = \"column\"",
                           f'write {table} = {{ pop_total = "POP" }}', where)
            return None
    return Layer(
        index=index,
        role=role,
        path=(folder / rel),
        rel=rel,
        profile=profile,
        key=_opt(raw, "key"),
        level=level,
        name=_opt(raw, "name"),
        vintage=str(raw.get("vintage", "")),
        publisher=str(raw.get("publisher", "")),
        licence=str(raw.get("licence", raw.get("license", ""))),
        title=str(raw.get("title", "")),
        member=_opt(raw, "member"),
        layer=_opt(raw, "layer"),
        crs=_opt(raw, "crs"),
        measure=_opt(raw, "measure"),
        kind=_opt(raw, "kind"),
        source_url=str(raw.get("source_url", "")),
        notes=str(raw.get("notes", "")),
        name_prefix=str(raw.get("name_prefix", "")),
        columns={str(k): str(v) for k, v in dict(raw.get("columns", {})).items()},
        moe_columns={str(k): str(v) for k, v in dict(raw.get("moe_columns", {})).items()},
        period=str(raw.get("period", "")).strip(),
        counties=tuple(counties),
        downloaded=str(raw.get("downloaded", "")),
        sha256=str(raw.get("sha256", "")).lower(),
    )


def _one_layer_per_period(layers: tuple[Layer, ...], entries: int,
                          problems: Problems) -> tuple[Layer, ...]:
    """A layer whose file holds several periods (a profile of :data:`PERIOD_PROFILES`) becomes
    one layer for each of those periods the manifest names, read by that period's profile. The
    first keeps the manifest's number; the others are numbered after the manifest's last layer,
    so layer ids stay unique."""
    named = {layer.period for layer in layers if layer.period and layer.profile not in PERIOD_PROFILES}
    out, extra = [], entries
    for layer in layers:
        by_period = PERIOD_PROFILES.get(layer.profile or "")
        if by_period is None:
            out.append(layer)
            continue
        feeds = f"profile {layer.profile!r} feeds the periods {', '.join(by_period)} from one file"
        if layer.period:
            problems.error(MANIFEST_NAME, f"{feeds}, so its layer takes no `period`",
                           "remove `period` from this layer: each period is read from its own "
                           "columns.", layer.where)
            continue
        wanted = [period for period in by_period if period in named]
        if not wanted:
            one = ", or ".join(f'profile = "{p}" with period = "{t}"' for t, p in by_period.items())
            problems.error(MANIFEST_NAME, f"{feeds}, but this manifest names none of them",
                           f"give each units layer its `period`, or read one period: {one}.",
                           layer.where)
            continue
        for n, period in enumerate(wanted):
            extra += n > 0
            profile = by_period[period]
            out.append(replace(layer, index=layer.index if n == 0 else extra, entry=layer.index,
                               profile=profile, period=period, vintage=f"ACS {period}",
                               title=f"{layer.title} (ACS {period} columns)" if layer.title
                               else TABLE_PROFILES[profile].title))
    return tuple(out)


def _opt(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


def _unknown_keys(table: dict[str, Any], allowed: set[str], where: str, problems: Problems) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(sorted(allowed))}."
            problems.warning(MANIFEST_NAME, f"unknown key `{key}` is ignored", hint, where)


def _check_roles(layers: tuple[Layer, ...], problems: Problems) -> None:
    counts = {role: sum(1 for layer in layers if layer.role == role) for role in ROLES}
    periods = _check_periods(layers, problems)
    if not periods and counts["units"] != 1:
        problems.error(
            MANIFEST_NAME,
            f"a region needs exactly one units layer (tracts or block groups); found {counts['units']}",
            "keep one layer with role = \"units\", or give each units layer its `period`.",
        )
    if counts["districts"] != 1:
        problems.error(
            MANIFEST_NAME,
            f"a region needs exactly one districts layer; found {counts['districts']}",
            "keep one layer with role = \"districts\".",
        )
    if counts["census"] == 0:
        problems.error(MANIFEST_NAME, "a region needs at least one census layer",
                       "add a layer with role = \"census\" (ACS, CDC SVI or UDP).")
    if counts["certification"] > 1:
        problems.error(MANIFEST_NAME, "a region has at most one certification layer",
                       "keep one layer with role = \"certification\".")


def _check_periods(layers: tuple[Layer, ...], problems: Problems) -> list[str]:
    """The periods named (unordered problems reported); empty when the manifest names none."""
    named = sorted({layer.period for layer in layers if layer.period})
    if not named:
        return []
    years: dict[int, str] = {}
    for label in named:
        try:
            year = last_year(label)
        except ValueError:
            problems.error(MANIFEST_NAME, f"the period {label!r} cannot be ordered: it names no year",
                           'write periods as years, such as period = "2014-2018".')
            continue
        if year in years:
            problems.error(MANIFEST_NAME, f"the periods {years[year]!r} and {label!r} cannot be ordered: "
                           f"both end in {year}", "give each period a different last year.")
        years[year] = label
    for label in named:
        units = [layer for layer in layers if layer.role == "units" and layer.period == label]
        if len(units) != 1:
            problems.error(MANIFEST_NAME, f"the period {label!r} has {len(units)} units layers; it "
                           "needs exactly one", "give each period one units layer (tract boundaries "
                           "change between censuses; two periods on the same tracts name the same "
                           "file twice).", f"period {label}")
    for layer in layers:
        where = layer.where
        if layer.role in PERIOD_ROLES and not layer.period:
            problems.error(MANIFEST_NAME, f"this {layer.role} layer has no period, while the "
                           f"manifest names periods ({', '.join(named)})",
                           f"add period = \"...\" (one of {', '.join(named)}).", where)
        elif layer.period and layer.role not in PERIOD_ROLES:
            problems.warning(MANIFEST_NAME, f"`period` on a {layer.role} layer is ignored: it belongs "
                             "to every period", "remove the key.", where)
    return named


def check_census_each_period(manifest: Manifest, problems: Problems) -> None:
    """Every period needs a census layer of its own: a file labelled with another period's name
    whose GEOIDs mostly match (few tracts change) would otherwise leave a period without census
    data and build its changes from nothing. Checked once the layers are read (by
    :func:`indicators.ingest.region.read_region`), so that a layer's own, more precise complaint
    about its GEOIDs is reported too."""
    if len(manifest.periods) < 2:
        return
    for period in manifest.periods:
        if not any(layer.role == "census" and layer.period == period for layer in manifest.layers):
            problems.error(MANIFEST_NAME, f"the period {period!r} has no census layer; every period "
                           "needs at least one", "check each census layer's `period`: a file of "
                           f"{period} may carry another period's label.", f"period {period}")
