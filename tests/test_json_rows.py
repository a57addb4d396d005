"""The row-by-row Census JSON reader gives exactly what parsing the whole file gives."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.ingest import json_rows
from indicators.ingest.text import census_api_json
from indicators.problems import LayerError

cell = st.one_of(st.text(max_size=12), st.none(), st.integers(-10**6, 10**6),
                 st.floats(allow_nan=False, allow_infinity=False), st.booleans())


def whole(text: str) -> pd.DataFrame:
    """The whole file parsed at once, each value as its own text and null as "". (The row-wise
    DataFrame used before json_rows differed in one way: a column holding only numbers and
    nulls became floats, so a published 0 read as "0.0".)"""
    header, *rows = json.loads(text)
    return pd.DataFrame([["" if v is None else str(v) for v in row] for row in rows],
                        columns=header, dtype=object)


@settings(max_examples=150, deadline=None)
@given(width=st.integers(1, 5), data=st.data())
def test_rows_read_one_by_one_equal_the_whole_file(width: int, data: st.DataObject):
    names = [f"B{i:05d}_001E" for i in range(width)]
    rows = data.draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=9))
    text = json.dumps([names, *rows], indent=data.draw(st.sampled_from([None, 1])))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_rows, "BATCH_ROWS", 3)  # several batches even in small examples
        got = json_rows.columnar_rows(text)
    assert got is not None
    pd.testing.assert_frame_equal(got.astype(object), whole(text).astype(object))


@pytest.mark.parametrize("text", [
    '[["NAME", "B01001_001E"], ["Tract 1", "12"], ["Tract 2"]]',   # a ragged row
    '[["NAME", "NAME"], ["Tract 1", "12"]]',                        # a repeated header
    '[["NAME", "B01001_001E"], ["Tract 1", "12"]',                  # cut off
    '[["NAME", "B01001_001E"]] trailing',                           # text after the array
    '[{"NAME": "Tract 1"}]',                                        # records, read the other way
    '[["NAME", "B01001_001E"]]',                                    # a header and no rows
])
def test_anything_but_a_clean_table_is_left_to_the_whole_file_reader(text: str):
    assert json_rows.columnar_rows(text) is None


def test_the_whole_file_reader_still_names_the_problem():
    with pytest.raises(LayerError, match="different number of values"):
        census_api_json('[["NAME", "B01001_001E"], ["Tract 1", "12"], ["Tract 2"]]')
    with pytest.raises(LayerError, match="ends before it is complete"):
        census_api_json('[["NAME", "B01001_001E"], ["Tract 1", "12"]')
    assert census_api_json('[{"NAME": "Tract 1"}]')["NAME"].tolist() == ["Tract 1"]
