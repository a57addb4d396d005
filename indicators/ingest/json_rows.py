"""Census Data API JSON read row by row into Arrow-backed text columns.

A national block-group file is 240,000 rows of about 200 values (356 MB). ``json.loads`` turns
it into some 50 million Python strings and lists, 4 to 5 GB, before a single column is used.
Here each row is decoded on its own (``json.JSONDecoder.raw_decode``, the same C scanner) and
every few thousand rows are packed into Arrow string arrays, so the whole table costs about its
own size. Anything that is not a clean table of rows (a cut-off file, a list of records, a
ragged row, a repeated header) returns None, and :func:`indicators.ingest.text.census_api_json`
reads it the ordinary way, which says what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Rows packed into Arrow at a time: small enough that the Python strings of one batch are a
#: few hundred MB at most, large enough that packing costs nothing next to decoding.
BATCH_ROWS = 10_000
_SPACE = re.compile(r"[ \t\n\r]*")
#: Text columns as pandas' Arrow-backed strings (what ``astype("string")`` gives anyway).
TEXT = pd.StringDtype("pyarrow")


class _NotRows(ValueError):
    """The text is not a JSON array of equally long rows."""


def columnar_rows(text: str) -> pd.DataFrame | None:
    """A Census Data API table (header row, then rows) as text columns ("" for null), or None
    when the text is anything else.

    >>> columnar_rows('[["NAME","B01001_001E"],["Tract 1","1204"],["Tract 2",null]]').to_dict("list")
    {'NAME': ['Tract 1', 'Tract 2'], 'B01001_001E': ['1204', '']}
    >>> columnar_rows('[{"NAME": "Tract 1"}]') is None
    True
    """
    try:
        rows = _elements(text)
        header = next(rows, None)
        if not isinstance(header, list) or not header:
            return None
        names = [str(h).strip() for h in header]
        if "" in names or len(set(names)) != len(names):
            return None
        columns: list[list[pa.Array]] = [[] for _ in names]
        batch: list[list[object]] = []
        for row in rows:
            if not isinstance(row, list) or len(row) != len(names):
                return None
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                _pack(batch, columns)
                batch = []
        _pack(batch, columns)
    except (_NotRows, ValueError, RecursionError):
        return None
    if not columns[0]:
        return None
    return pd.DataFrame({name: pd.Series(pd.arrays.ArrowStringArray(
        pc.fill_null(pa.chunked_array(chunks, pa.string()), "")), dtype=TEXT)
        for name, chunks in zip(names, columns, strict=True)})


def _pack(batch: list[list[object]], columns: list[list[pa.Array]]) -> None:
    """Append one batch of rows to the column chunks, as Arrow strings."""
    if not batch:
        return
    for i, chunks in enumerate(columns):
        cells = [row[i] for row in batch]
        try:
            chunks.append(pa.array(cells, type=pa.string()))
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers or booleans among the strings
            chunks.append(pa.array([None if v is None else _text(v) for v in cells], type=pa.string()))


def _text(value: object) -> str:
    """A non-string JSON value as the text pandas' ``astype("string")`` gives it."""
    return value if isinstance(value, str) else str(value)


def _elements(text: str) -> Iterator[object]:
    """The elements of a top-level JSON array, decoded one at a time.

    Raises
    ------
    _NotRows
        If the text is not one JSON array (json.JSONDecodeError, a ValueError, for bad JSON
        inside an element).
    """
    decoder = json.JSONDecoder()
    pos = _SPACE.match(text, 0).end()
    if text[pos:pos + 1] != "[":
        raise _NotRows
    pos = _SPACE.match(text, pos + 1).end()
    if text[pos:pos + 1] == "]":
        return
    while True:
        value, pos = decoder.raw_decode(text, pos)
        yield value
        pos = _SPACE.match(text, pos).end()
        mark = text[pos:pos + 1]
        if mark == ",":
            pos = _SPACE.match(text, pos + 1).end()
        elif mark == "]":
            if _SPACE.match(text, pos + 1).end() != len(text):
                raise _NotRows
            return
        else:
            raise _NotRows
