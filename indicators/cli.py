"""Command line: ``python -m indicators build|check|sample|compare``.

Exit status: 0 on success, 2 on bad input (one plain line per problem, no traceback),
1 on an unexpected failure (for ``compare``: the databases differ).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators import config
from indicators.problems import InputError, Problem
from indicators.sample import write_sample
from indicators.store.build import build, check
from indicators.store.compare import compare_databases


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="read a region and write indicators.duckdb")
    p_build.add_argument("region", type=Path, help="region folder holding manifest.toml")
    p_build.add_argument("--out", type=Path, default=None,
                         help=f"database to write (default {config.indicators_db()})")
    p_check = sub.add_parser("check", help="validate a region without writing anything")
    p_check.add_argument("region", type=Path)
    p_sample = sub.add_parser("sample", help="write the fictional Sample City region")
    p_sample.add_argument("out_dir", type=Path)
    p_compare = sub.add_parser("compare", help="compare two built databases table by table")
    p_compare.add_argument("old", type=Path)
    p_compare.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return _build(args.region, args.out)
        if args.command == "check":
            return _check(args.region)
        if args.command == "compare":
            return _compare(args.old, args.new)
        return _sample(args.out_dir)
    except InputError as exc:
        _report(exc.problems)
        return 2


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


def _sample(out_dir: Path) -> int:
    files = write_sample(out_dir)
    print(f"Wrote the Sample City region to {out_dir} ({len(files)} files).")
    return 0


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


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def _progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr)
