"""Command line: ``python -m indicators fetch|build|check|sample|compare|profile`` and the records
commands.

``fetch`` downloads a region from the publishers and writes its manifest
(:mod:`indicators.ingest.fetch_region`), drawing a progress bar for each file and the whole.

The records commands: ``verify-audit`` (the audit chain), ``export-records`` and
``import-records`` (backup and restore, :mod:`indicators.certification.backup`),
``upgrade-records`` (schema migrations, :mod:`indicators.certification.migrations`) and
``migrate-records --to URL`` (copy the records into another database, typically PostgreSQL:
:mod:`indicators.certification.transfer`). Their ``--db`` is a DuckDB file or a
``postgresql://`` URL (default: ``JC_RECORDS_URL``, else ``JC_CERT_DB``).

Exit status: 0 on success, 2 on bad input (one plain line per problem, no traceback),
1 on an unexpected failure (for ``compare``: the databases differ; for ``verify-audit``: the
audit chain is broken).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from indicators import config
from indicators.certification.audit import verify
from indicators.certification.backends import Location, describe, exists, is_postgres, location
from indicators.certification.backup import export_records, import_records
from indicators.certification.checks import RecordError
from indicators.certification.migrations import upgrade
from indicators.certification.transfer import copy_records
from indicators.ingest.fetch_plan import FetchRequest
from indicators.ingest.fetch_region import FetchEvent, fetch_region
from indicators.ingest.publishers import DEFAULT_YEAR
from indicators.ingest.upload import UploadError, read_upload
from indicators.metrics.areas import AreaError
from indicators.problems import InputError, Problem
from indicators.sample import write_sample
from indicators.sample.national_files import write_national
from indicators.store.areas import AreaProfiler, area_table
from indicators.store.build import build, check
from indicators.store.compare import compare_databases
from indicators.store.database import connect_readonly


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="read a region and write indicators.duckdb")
    p_build.add_argument("region", type=Path, help="region folder holding manifest.toml")
    p_build.add_argument("--out", type=Path, default=None,
                         help=f"database to write (default {config.indicators_db()})")
    p_fetch = sub.add_parser("fetch", help="download a region's files from the publishers (Census Bureau, "
                             "CDC, EPA) and write its manifest")
    p_fetch.add_argument("out_dir", type=Path, help="region folder to write (updated if fetched before)")
    p_fetch.add_argument("--state", required=True, help="GA, Georgia or 13")
    p_fetch.add_argument("--county", required=True,
                         help="counties, comma-separated: Fulton,DeKalb or 121,089")
    p_fetch.add_argument("--year", type=int, default=DEFAULT_YEAR,
                         help=f"last year of the ACS 5-year period (default {DEFAULT_YEAR})")
    p_fetch.add_argument("--districts", default=None,
                         help="districts boundary file, a path or an http(s) URL (default: the counties)")
    p_fetch.add_argument("--name", default=None, help="the districts file's column naming each district")
    p_fetch.add_argument("--name-prefix", default="", help='put before each district name ("District ")')
    p_fetch.add_argument("--ejscreen", action="append", default=[], metavar="URL",
                         help="an EJScreen (or successor) CSV to add; may be given more than once")
    p_fetch.add_argument("--retries", type=int, default=4,
                         help="further tries of a file after a passing failure, with back-off (default 4)")
    p_check = sub.add_parser("check", help="validate a region without writing anything")
    p_check.add_argument("region", type=Path)
    p_sample = sub.add_parser("sample", help="write the fictional Sample City region (or, with "
                              "--tracts, a synthetic national-size one)")
    p_sample.add_argument("out_dir", type=Path)
    p_sample.add_argument("--tracts", type=_positive, default=None,
                          help="write a synthetic region of this many tracts instead (85000: national)")
    p_sample.add_argument("--block-groups", type=_positive, default=None,
                          help="its block groups (1 to 9 a tract; default about 2.8 a tract)")
    p_sample.add_argument("--districts", type=_positive, default=None,
                          help="its districts (at least 10; default one per 42 tracts)")
    p_sample.add_argument("--periods", type=int, choices=(1, 2), default=1,
                          help="1, or 2 for an earlier period on 2010 tracts (default 1)")
    p_compare = sub.add_parser("compare", help="compare two built databases table by table")
    p_compare.add_argument("old", type=Path)
    p_compare.add_argument("new", type=Path)
    p_profile = sub.add_parser("profile", help="every indicator for each area of a boundary file")
    p_profile.add_argument("areas", type=Path, help="GeoJSON, zipped shapefile or GeoPackage")
    p_profile.add_argument("--db", type=Path, default=None,
                           help=f"built database (default {config.indicators_db()})")
    p_profile.add_argument("--name", default=None, help="the field naming each area")
    p_profile.add_argument("--period", default=None, help="period to profile (default: the latest)")
    p_profile.add_argument("--crs", default=None, help="CRS of a file that declares none")
    p_profile.add_argument("--out", type=Path, required=True, help="CSV to write")
    records_db = "records database: a DuckDB file or a postgresql:// URL (default $JC_RECORDS_URL, else " \
        f"{config.certification_db()})"
    p_verify = sub.add_parser("verify-audit", help="check the records' hash-chained audit log")
    p_verify.add_argument("--db", type=location, default=None, help=records_db)
    p_verify.add_argument("--head", default=None,
                          help="a head hash noted earlier, which must still be in the chain")
    p_export = sub.add_parser("export-records", help="back up every records table to a new folder")
    p_export.add_argument("dir", type=Path, help="new (or empty) folder to write")
    p_export.add_argument("--db", type=location, default=None, help=records_db)
    p_import = sub.add_parser("import-records", help="restore the records from a backup folder")
    p_import.add_argument("dir", type=Path, help="folder written by export-records")
    p_import.add_argument("--db", type=location, default=None, help=records_db)
    p_import.add_argument("--force", action="store_true",
                          help="replace a database that is newer than the backup, or unreadable")
    p_upgrade = sub.add_parser("upgrade-records", help="bring the records database to this version's schema")
    p_upgrade.add_argument("--db", type=location, default=None, help=records_db)
    p_migrate = sub.add_parser("migrate-records", help="copy the records into another database (PostgreSQL)")
    p_migrate.add_argument("--to", type=location, required=True, dest="target",
                           help="the database to copy into, e.g. postgresql://jc@db.example.org/records")
    p_migrate.add_argument("--db", type=location, default=None, help=f"the {records_db} to copy from")
    p_migrate.add_argument("--force", action="store_true",
                           help="replace records in the target that the source lacks")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            return _fetch(args)
        if args.command == "build":
            return _build(args.region, args.out)
        if args.command == "check":
            return _check(args.region)
        if args.command == "compare":
            return _compare(args.old, args.new)
        if args.command == "profile":
            return _profile(args)
        if args.command == "verify-audit":
            return _verify_audit(args.db or location(config.records_location()), args.head)
        if args.command == "export-records":
            print(export_records(args.dir, args.db).message)
            return 0
        if args.command == "import-records":
            print(import_records(args.dir, args.db, force=args.force).message)
            return 0
        if args.command == "upgrade-records":
            print(upgrade(args.db or location(config.records_location())).message)
            return 0
        if args.command == "migrate-records":
            return _migrate(args)
        return _sample(args)
    except InputError as exc:
        _report(exc.problems)
        return 2
    except (UploadError, AreaError) as exc:
        print(f"ERROR {getattr(args, 'areas', '')}: {exc}", file=sys.stderr)
        return 2
    except RecordError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2


def _fetch(args: argparse.Namespace) -> int:
    request = FetchRequest(args.state, tuple(c for c in args.county.split(",") if c.strip()), args.year,
                           args.districts, args.name, args.name_prefix, tuple(args.ejscreen))
    bars = _Bars(sys.stderr)
    try:
        report = fetch_region(request, args.out_dir, progress=bars, retries=max(0, args.retries))
    finally:
        bars.close()
    print(report.summary())
    return 0


class _Bars:
    """Progress on a terminal: the current file's bar and the whole fetch's, redrawn in place; one
    line per finished file where the output is not a terminal (a log, CI)."""

    WIDTH = 24

    def __init__(self, stream: TextIO):
        self.stream, self.tty, self.last = stream, stream.isatty(), 0.0

    def __call__(self, event: FetchEvent) -> None:
        if event.finished:
            self._clear()
            how = event.note or ("downloaded" if event.changed else "unchanged")
            size = f", {event.done / 1e6:,.2f} MB" if event.done else ""
            print(f"[{event.index}/{event.files}] {event.name}{size}: {how}", file=self.stream)
            return
        now = time.monotonic()
        if not self.tty or now - self.last < 0.1:
            return
        self.last = now
        share = event.done / event.total if event.total else 0.0
        whole = (event.index - 1 + share) / event.files
        size = f"{event.done / 1e6:,.1f}/{event.total / 1e6:,.1f} MB" if event.total else \
            f"{event.done / 1e6:,.1f} MB"
        self.stream.write(f"\r[{event.index}/{event.files}] {event.name[:24]:<24} {self._bar(share)} {size}"
                          f"  all {self._bar(whole)} {whole:4.0%}\x1b[K")
        self.stream.flush()

    def _bar(self, share: float) -> str:
        filled = round(max(0.0, min(1.0, share)) * self.WIDTH)
        return "█" * filled + "░" * (self.WIDTH - filled)

    def _clear(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")

    def close(self) -> None:
        self._clear()


def _build(region: Path, out: Path | None) -> int:
    report = build(region, out, progress=_progress)
    _report(report.warnings)
    extra = "".join(f", {v:,} {k}" for k, v in report.extra.items())
    print(
        f"Built {report.path} in {report.seconds:.1f} s: {report.layers} layers, "
        f"{report.units:,} units, {report.districts} districts, {report.estimates:,} estimates"
        f"{extra}."
    )
    return 0


def _check(region: Path) -> int:
    problems = check(region)
    _report(list(problems))
    if problems.errors:
        print(f"{len(problems.errors)} errors: nothing would be built.", file=sys.stderr)
        return 2
    print(f"OK: {region} can be built ({len(problems.warnings)} warnings).")
    return 0


def _sample(args: argparse.Namespace) -> int:
    """Sample City, or with ``--tracts`` the synthetic national-size region
    (:func:`indicators.sample.national_files.write_national`)."""
    if args.tracts is None:
        if (args.block_groups, args.districts, args.periods) != (None, None, 1):
            print("ERROR: --block-groups, --districts and --periods describe a synthetic region. "
                  "Fix: give --tracts too.", file=sys.stderr)
            return 2
        files = write_sample(args.out_dir)
        print(f"Wrote the Sample City region to {args.out_dir} ({len(files)} files).")
        return 0
    block_groups = args.block_groups or round(args.tracts * 240 / 85)
    districts = args.districts or max(10, args.tracts // 42)
    if not args.tracts <= block_groups <= 9 * args.tracts or districts < 10:
        print("ERROR: a synthetic region needs 1 to 9 block groups a tract and at least 10 districts "
              "(its certification records sit in ten). Fix: change --block-groups or --districts.",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    files = write_national(args.out_dir, args.tracts, block_groups, districts, args.periods)
    print(f"Wrote a synthetic region of {args.tracts:,} tracts, {block_groups:,} block groups and "
          f"{districts:,} districts ({args.periods} period{'s' * (args.periods > 1)}) to {args.out_dir} "
          f"({len(files)} files, {time.perf_counter() - started:.1f} s).")
    return 0


def _positive(text: str) -> int:
    """A positive whole number for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def _compare(old: Path, new: Path) -> int:
    for path in (old, new):
        if not path.is_file():
            print(f"ERROR {path}: no such database file. Fix: build it first, or check the path.",
                  file=sys.stderr)
            return 2
    diffs = compare_databases(old, new)
    for diff in diffs:
        print(diff)
    different = [d for d in diffs if not d.identical]
    print(f"{len(diffs) - len(different)} of {len(diffs)} tables identical.")
    return 1 if different else 0


def _migrate(args: argparse.Namespace) -> int:
    """Copy the records into ``--to`` (:func:`indicators.certification.transfer.copy_records`)."""
    source = args.db or location(config.records_location())
    if describe(source) == describe(args.target):
        print("ERROR: --to names the database the records are copied from. Fix: give the new database's "
              "URL.", file=sys.stderr)
        return 2
    print(copy_records(source, args.target, force=args.force).message)
    if is_postgres(args.target):
        print(f"Set JC_RECORDS_URL (or records.url in .streamlit/secrets.toml) to {describe(args.target)} "
              "on every app server to use it.")
    return 0


def _verify_audit(db: Location, head: str | None) -> int:
    """Check the audit chain of the records (:func:`indicators.certification.audit.verify`):
    0 when it holds, 1 naming the first broken row, 2 when there is no database to check."""
    if not (exists(db) if is_postgres(db) else Path(db).is_file()):
        print(f"ERROR {describe(db)}: no such records database. Fix: check the path given with --db.",
              file=sys.stderr)
        return 2
    if head is not None and not (len(head) == 64 and all(c in "0123456789abcdef" for c in head)):
        print("ERROR: --head must be a head hash as verify-audit or export-records print it (64 "
              "hexadecimal digits). Fix: copy it whole.", file=sys.stderr)
        return 2
    report = verify(db, expect_head=head)
    if not report.ok:
        print(f"{report.rows} audit rows, chain broken at row {report.broken_id} ({report.problem}): "
              f"{report.message}")
        return 1
    upgraded = " (the chain was added to this older database)" if report.upgraded else ""
    print(f"{report.rows} audit rows, chain intact; head {report.head}{upgraded}.")
    return 0


def _profile(args: argparse.Namespace) -> int:
    """Every indicator for each area of a file, one CSV row per area and indicator (the same
    numbers as the page: :class:`indicators.store.areas.AreaProfiler`)."""
    db = args.db or config.indicators_db()
    if not db.is_file():
        print(f"ERROR {db}: no such database file. Fix: build it first, or check the path.",
              file=sys.stderr)
        return 2
    if not args.areas.is_file():
        print(f"ERROR {args.areas}: file not found. Fix: check the path.", file=sys.stderr)
        return 2
    upload = read_upload(args.areas.read_bytes(), args.areas.name, crs=args.crs,
                         name_field=args.name, max_bytes=config.MAX_SOURCE_BYTES)
    with connect_readonly(db) as con:
        try:
            profiler = AreaProfiler.load(con, args.period)
        except ValueError as exc:
            print(f"ERROR {db}: {exc}. Fix: choose one of those with --period.", file=sys.stderr)
            return 2
    started = time.perf_counter()
    result = profiler.profile(upload.areas, skip_empty=True)
    seconds = time.perf_counter() - started
    table = area_table(result, profiler.period)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    for note in upload.notes:
        print(f"NOTE {args.areas.name}: {note}", file=sys.stderr)
    for name in result.skipped:
        print(f"WARNING {args.areas.name}: the area {name!r} covers no census tract of "
              f"{profiler.region_name}; it was left out.", file=sys.stderr)
    print(f"Profiled {len(upload.areas) - len(result.skipped):,} areas in {seconds:.2f} s: "
          f"{len(table):,} rows written to {args.out}.")
    return 0


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def _progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr)
