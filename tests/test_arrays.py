"""The buffer-level numpy/pyarrow helpers the validator uses, against pyarrow's own answers."""

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from indo_russia_data.schema import arrays
from indo_russia_data.schema.rule_base import _civil, _is_one_of, _valid


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=40), st.integers(0, 12))
def test_mask_reads_bits_at_any_offset_and_treats_null_as_false(values, cut):
    arr = pa.array(values, pa.bool_()).slice(min(cut, len(values)))
    expected = [bool(v) for v in arr.to_pylist()]
    assert arrays.mask(arr).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=30), st.integers(0, 5))
def test_string_helpers_match_pyarrow(values, cut):
    built = arrays.strings(values)
    assert built.to_pylist() == values
    arr = pa.array(values, pa.string()).slice(min(cut, len(values)))
    texts = arr.to_pylist()
    assert arrays.empty(arr).tolist() == [t == "" for t in texts]
    assert arrays.first_bytes(arr).tolist() == [t.encode()[0] if t else 0 for t in texts]


def test_values_and_numbers_of_sliced_arrays_with_nulls():
    ints = pa.array([5, None, -7, 2**40], pa.int64()).slice(1)
    assert arrays.values(ints)[1:].tolist() == [-7, 2**40]
    assert np.isnan(arrays.numbers(ints)[0]) and arrays.numbers(ints)[1] == -7
    assert arrays.values(pa.array([dt.date(1970, 1, 2)], pa.date32())).tolist() == [1]
    assert arrays.indices([3, 0]).to_pylist() == [3, 0]
    assert arrays.booleans(np.array([True, False, True])).to_pylist() == [True, False, True]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates()), min_size=1, max_size=30))
def test_civil_dates_agree_with_datetime(dates):
    arr = pa.array(dates, pa.date32())
    for form in (arr, pc.dictionary_encode(arr)):
        y, m, d = _civil(form)
        for i, day in enumerate(dates):
            if day is not None:
                assert (y[i], m[i], d[i]) == (day.year, day.month, day.day)
        assert _valid(form).tolist() == [x is not None for x in dates]


def test_rule_helpers_read_dictionary_arrays_with_null_values_and_null_indices():
    dictionary = pa.array(["month", None, "year"])
    arr = pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 2, 0], pa.int32()), dictionary)
    assert _valid(arr).tolist() == [True, False, False, True, True]
    assert _is_one_of(arr, ("month",)).tolist() == [True, False, False, False, True]
