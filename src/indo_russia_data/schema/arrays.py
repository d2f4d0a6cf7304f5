"""numpy <-> pyarrow conversions for the validator, built from raw buffers.

``pa.array`` and ``pa.scalar`` import pandas on first use (about 0.2 s) to
check whether they were handed a pandas object; the validator never needs
pandas, so it builds its arrays from buffers instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute below)


def mask(arr: Any) -> Any:
    """A pyarrow boolean array as a numpy bool array; null counts as False."""
    n = len(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    validity, values = arr.buffers()[0], arr.buffers()[1]
    out = _bits(values, arr.offset, n)
    if validity is not None and arr.null_count:
        out &= _bits(validity, arr.offset, n)
    return out


def _bits(buf: Any, offset: int, n: int) -> Any:
    nbytes = (offset + n + 7) // 8
    raw = np.frombuffer(buf, np.uint8, count=nbytes)
    return np.unpackbits(raw, bitorder="little")[offset: offset + n].astype(bool)


def values(arr: Any) -> Any:
    """A fixed-width pyarrow array (integers, floats, dictionary indices) as a numpy view.

    Slots under nulls hold whatever the buffer holds; callers mask them.
    """
    t = arr.type
    if pa.types.is_date32(t):
        dtype = np.dtype(np.int32)  # days since 1970-01-01
    elif pa.types.is_floating(t):
        dtype = np.dtype(f"float{t.bit_width}")
    elif pa.types.is_integer(t):
        dtype = np.dtype(f"{'' if pa.types.is_signed_integer(t) else 'u'}int{t.bit_width}")
    else:
        raise TypeError(f"not a fixed-width numeric array: {t}")
    if arr.buffers()[1] is None:  # an array of nulls may come without a data buffer
        return np.zeros(len(arr), dtype)
    return np.frombuffer(arr.buffers()[1], dtype, count=arr.offset + len(arr))[arr.offset:]


def numbers(arr: Any) -> Any:
    """An integer or float pyarrow array as numpy float64, NaN where null."""
    out = values(arr).astype(np.float64)
    if arr.null_count:
        out[~mask(pa.compute.is_valid(arr))] = np.nan
    return out


def booleans(values: Any) -> Any:
    """A numpy bool array as a pyarrow boolean array (no nulls)."""
    values = np.asarray(values, bool)
    packed = np.packbits(values, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])


def indices(values: Any) -> Any:
    """A numpy integer array as a pyarrow int64 array, for ``take``."""
    values = np.ascontiguousarray(values, np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def strings(values: Iterable[str]) -> Any:
    """Python strings as a pyarrow string array."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _offsets(arr: Any) -> Any:
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    return np.frombuffer(arr.buffers()[1], width, count=arr.offset + len(arr) + 1)[arr.offset:]


def empty(arr: Any) -> Any:
    """Which strings are empty, as a numpy mask (nulls count as empty)."""
    return np.diff(_offsets(arr)) == 0


def first_bytes(arr: Any) -> Any:
    """The first byte of each string as numpy uint8 (0 for an empty string)."""
    n = len(arr)
    offsets = _offsets(arr)
    out = np.zeros(n, np.uint8)
    if arr.buffers()[2] is None or n == 0:
        return out
    data = np.frombuffer(arr.buffers()[2], np.uint8)
    starts = offsets[:-1]
    filled = offsets[1:] > starts
    out[filled] = data[starts[filled]]
    return out


def null_of(type_: Any) -> Any:
    """A null scalar of ``type_`` (``pa.scalar(None, type_)`` would import pandas)."""
    return pa.nulls(1, type_)[0]


def per_value(arr: Any, fn: Any) -> Any:
    """``fn`` (returning a numpy array or a tuple of them) over ``arr``'s distinct values,
    spread back to the rows. A null row gets ``fn``'s answer for a null."""
    if not pa.types.is_dictionary(arr.type):
        arr = pa.compute.dictionary_encode(arr)
    # One null after the distinct values: where a row's index is null, it points there.
    distinct = pa.concat_arrays([arr.dictionary, pa.nulls(1, arr.dictionary.type)])
    codes = values(arr.indices)
    if arr.indices.null_count:
        codes = np.where(mask(pa.compute.is_valid(arr.indices)), codes, len(distinct) - 1)
    out = fn(distinct)
    return tuple(o[codes] for o in out) if isinstance(out, tuple) else out[codes]
