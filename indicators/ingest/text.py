"""Reading text files: their encoding (UTF-8, with or without a BOM, UTF-16/32, Latin-1 as a
last resort), delimiter, rows, Census API JSON and JSON in general.

Every function here returns data or raises :class:`~indicators.problems.LayerError` with a
message a user can act on; :mod:`indicators.ingest.files` opens the files and calls them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pandas as pd

from indicators.ingest.json_rows import columnar_rows
from indicators.problems import LayerError

#: How binary files mistaken for tables start, and what they are.
BINARY_MAGIC = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "an SQLite database or GeoPackage"),
)
#: Byte-order marks of the UTF-16 and UTF-32 encodings (Excel's "Unicode text" is UTF-16 LE),
#: longest first so UTF-32 LE is not taken for UTF-16 LE.
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class Table:
    """A table read from a file, every cell as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        The cells as strings ("" for empty).
    delimiter : str
        The field separator found (";" means decimal commas are expected).
    notes : tuple of str
        Things worth telling the user that are not problems (e.g. "file starts with a BOM").
    """

    frame: pd.DataFrame
    delimiter: str = ","
    notes: tuple[str, ...] = ()




def decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """A file's bytes as text, with notes on what was found (a BOM, a fallback encoding)."""
    notes: list[str] = []
    encoding = unicode_bom(raw)
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise LayerError(
                f"the file starts with a {encoding.upper()} byte-order mark but its text is not "
                f"{encoding.upper()}",
                "open it in a spreadsheet or text editor and save it again as UTF-8 CSV.",
            ) from None
        notes.append(f"the file is {encoding.upper()} text; it was read as such")
        return text.removeprefix("\ufeff"), tuple(notes)
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("the file starts with a UTF-8 byte-order mark (BOM); it was ignored")
    try:
        return raw.decode("utf-8-sig"), tuple(notes)
    except UnicodeDecodeError:
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's default)")
        return raw.decode("cp1252", errors="replace"), tuple(notes)


def check_text(raw: bytes, text: str) -> None:
    """Refuse a file that is not text: a workbook, an archive, or other binary bytes (their
    control characters would also garble the messages that quote the file's cells)."""
    kind = next((k for magic, k in BINARY_MAGIC if raw.startswith(magic)), None)
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r")
    if kind is None and "\x00" not in sample and controls <= len(sample) // 100:
        return
    raise LayerError(
        f"the file is not a text table: it is {kind or 'binary data (it holds control bytes)'}",
        "open it in a spreadsheet program and save it as CSV (comma-separated), or download the "
        "CSV again.",
    )


def unicode_bom(raw: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte-order mark at the start of ``raw`` names, else None."""
    return next((encoding for bom, encoding in UNICODE_BOMS if raw.startswith(bom)), None)


def read_delimited(text: str, notes: tuple[str, ...]) -> Table:
    """A CSV/TSV text as a table of text cells, its delimiter found by :func:`sniff_delimiter`."""
    if not text.strip():
        raise LayerError("the file has no rows, not even a header", "download it again.")
    delimiter = sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise LayerError(
            f"the file is not a readable table: {first_line(exc)}",
            "open it in a spreadsheet program and save it again as CSV (comma-separated).",
        ) from None
    _check_rows(frame, text, delimiter)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.drop(columns=[c for c in frame.columns if c in ("", "Unnamed: 0")])
    if delimiter != ",":
        name = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[delimiter]
        notes = (*notes, f"columns are separated by {name}")
    return Table(frame, delimiter, notes)


def _check_rows(frame: pd.DataFrame, text: str, delimiter: str) -> None:
    """Refuse the ways a damaged CSV reads without a parser error: rows longer than the header
    (pandas takes the extra cells as an index), a quote left open, which swallows the following
    rows into one cell, and a file cut off in the middle of its last row."""
    if not isinstance(frame.index, pd.RangeIndex):  # pandas made the extra leading cells an index
        raise LayerError(
            f"the rows have {frame.index.nlevels} more cells than the header, so every cell would "
            "land under the wrong column",
            "remove the extra cells (often a delimiter at the end of each row), or add the missing "
            "column names to the header.",
        )
    for column in frame.columns:
        cells = frame[column].astype("string").fillna("")
        merged = cells.str.contains("\n", regex=False) & cells.str.contains(delimiter, regex=False)
        if merged.any():
            row = int(merged.to_numpy().nonzero()[0][0])
            raise LayerError(
                f"a quote (\") opened in row {row + 2} is not closed where the cell ends, so the rows "
                "after it were read into one cell",
                "close the quote (or remove it) in a text editor, or save the file again from a "
                "spreadsheet program.",
                f"column {column}, row {row + 2}",
            )
    last = text.splitlines()[-1] if not text.endswith(("\n", "\r")) else ""
    fields = next(csv.reader([last], delimiter=delimiter), []) if last else []
    if last and len(frame) and len(fields) < len(frame.columns):
        raise LayerError(
            f"the file ends in the middle of its last row (row {len(frame) + 1} has {len(fields)} of "
            f"{len(frame.columns)} cells): it was probably cut off while downloading or copying",
            "download the file again and check its size against the source.",
        )


def sniff_delimiter(text: str) -> str:
    """Pick the field separator from the header line: the most frequent of , ; tab | outside
    quotes. A header never holds numbers with decimal commas, so it is a safe sample."""
    header = text.splitlines()[0]
    counts: dict[str, int] = {d: 0 for d in (",", ";", "\t", "|")}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def census_api_json(text: str) -> pd.DataFrame:
    """Census Data API JSON: an array whose first row is the header. A list of records (what
    many other APIs return) is accepted too. A clean table of rows is read row by row into
    Arrow text columns (:mod:`indicators.ingest.json_rows`); anything else is parsed whole here,
    which says what is wrong with it."""
    frame = columnar_rows(text)
    if frame is not None:
        return frame
    data = parse_json(text)
    if isinstance(data, list) and data and all(isinstance(r, list) for r in data):
        header, *rows = data
        if not rows:
            raise LayerError("the JSON has a header row but no data rows", "query again.")
        names = [str(h).strip() for h in header]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated or "" in names:
            what = (f"repeats {', '.join(repr(n[:40]) for n in repeated[:5])}" if repeated
                    else "has a blank name")
            raise LayerError(
                f"the JSON's header row {what}, so its columns cannot be told apart",
                "download the file again from the Census Data API, asking for each variable once.",
            )
        width = len(header)
        bad = [i + 2 for i, r in enumerate(rows) if len(r) != width]
        if bad:
            raise LayerError(
                f"rows {bad[:5]} have a different number of values than the header",
                "download the file again from the Census Data API.",
            )
        frame = pd.DataFrame(rows, columns=names)
    elif isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        frame = pd.DataFrame.from_records(data)
    else:
        raise LayerError(
            "the JSON is neither a Census Data API table (a list of rows, header first) "
            "nor a list of records",
            "use the Census Data API's output, or save the table as CSV.",
        )
    return frame.astype("string").fillna("").astype(object)


def parse_json(text: str) -> object:
    """Parse JSON, turning a syntax error into a message that says where and why."""
    try:
        return json.loads(text)
    except RecursionError:
        raise LayerError(
            "the JSON is nested far too deeply (thousands of brackets inside each other) to be a "
            "table or a map layer",
            "download the file again from its source; do not edit it by hand.",
        ) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or _unclosed(text):
            raise LayerError(
                f"the JSON ends before it is complete (line {exc.lineno}, column {exc.colno}): "
                "the file was probably cut off while downloading or copying",
                "download the file again and check its size against the source.",
            ) from None
        raise LayerError(
            f"the JSON is not valid at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "download the file again; do not edit JSON by hand.",
        ) from None


def _unclosed(text: str) -> bool:
    """Whether JSON text ends inside a string or with brackets still open (a cut-off file)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return in_string or depth > 0


# --------------------------------------------------------------------------------------------
# Vector geometry
# --------------------------------------------------------------------------------------------




def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
