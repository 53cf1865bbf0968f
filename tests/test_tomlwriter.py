"""The TOML writer (files/tomlwriter.py): whatever it writes, tomllib reads back to the same data.

Restored with the writer (it was removed in 08675e2 when `export` became a copy of the shipped
file; `neurosim variants` writes exercise files with it again)."""

import math
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim.files.tomlwriter import dumps, long_string

keys = st.text(min_size=1, max_size=12)
scalars = (st.text(max_size=40) | st.integers(-(2 ** 63), 2 ** 63 - 1) | st.booleans()
           | st.floats(allow_nan=False))
arrays = st.lists(scalars, max_size=6) | st.lists(st.lists(st.floats(allow_nan=False), max_size=4), max_size=4)
flat_tables = st.dictionaries(keys, scalars | arrays, max_size=5)
tables = st.recursive(flat_tables, lambda inner: st.dictionaries(
    keys, scalars | arrays | inner | st.lists(inner, min_size=1, max_size=3), max_size=5), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_writer_round_trips_through_tomllib(data):
    assert tomllib.loads(dumps(data)) == data


@given(st.floats(allow_nan=False))
def test_floats_read_back_bit_for_bit(x):
    back = tomllib.loads(dumps({"x": x}))["x"]
    assert back == x and math.copysign(1, back) == math.copysign(1, x)


@pytest.mark.parametrize("text", [
    "word " * 40, "a  b " * 30 + "end", 'quote " and backslash \\ ' * 8 + "x",
    "ends with a backslash \\" * 10, "tab\there " * 20 + "z", "ünïcödé → ½·Σ " * 12 + "!",
])
def test_long_strings_fold_and_read_back(text):
    written = long_string(text)
    assert tomllib.loads(f"x = {written}")["x"] == text


def test_comments_are_written_where_they_belong():
    text = dumps({"a": 1, "t": {"b": 2}}, {("a",): "note on a", ("t",): "about t"}, header="top")
    assert text.splitlines()[:2] == ["# top", "a = 1  # note on a"]
    assert "# about t\n[t]\nb = 2" in text


def test_none_is_left_out_and_unknown_types_are_refused():
    assert tomllib.loads(dumps({"a": None, "b": 1})) == {"b": 1}
    with pytest.raises(TypeError):
        dumps({"a": object()})
