"""Reading a CSV file as raw bytes: records, physical lines and bad bytes, with numpy.

A line break is LF, CRLF or a lone CR (Python's universal newlines; pyarrow
agrees). A record ends at a line break outside quotes, and whether an offset
is inside quotes is decided exactly as Python's csv reader decides it (see
:func:`quote_parity`), so blocks are cut where that reader ends a record.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Any

import numpy as np

from .report import InputError, Problem

_SEPARATORS = (44, 10, 13)  # comma, LF, CR


def line_breaks(arr: Any) -> Any:
    """Offsets of every line break (the LF of a CRLF; a lone CR) in bytes or a uint8 array."""
    arr = _array(arr)
    breaks = np.flatnonzero(arr == 10)
    crs = np.flatnonzero(arr == 13)
    if len(crs):
        after = arr[np.minimum(crs + 1, len(arr) - 1)]
        lone = crs[(after != 10) | (crs + 1 >= len(arr))]
        if len(lone):
            breaks = np.union1d(breaks, lone)
    return breaks


def quote_parity(arr: Any, positions: Any) -> Any:
    """For each offset, 1 if it lies inside a quoted cell, else 0 (``arr`` starts a record).

    Quotes come in runs of consecutive quote characters. Each run moves the reader
    from the state before it (0 outside quotes, 1 inside) to the state after it, as
    Python's csv reader does:

    - outside, at the start of a cell: an odd run opens a quoted cell, an even run
      is an empty quoted cell;
    - outside, within an unquoted cell (``12" gun``): the quotes are characters;
    - inside: an even run is escaped quotes, an odd run closes the cell.

    The state after each run is a scan of these two-state maps, composed by
    doubling (log2 of the number of runs numpy steps).
    """
    quotes = np.flatnonzero(arr == 34)
    if len(quotes) == 0:
        return np.zeros(len(positions), np.int64)
    new_run = np.concatenate(([True], quotes[1:] != quotes[:-1] + 1))
    starts = quotes[new_run]
    ends = quotes[np.concatenate((new_run[1:], [True]))]
    odd = (ends - starts + 1) % 2 == 1
    at_cell_start = (starts == 0) | np.isin(arr[np.maximum(starts - 1, 0)], _SEPARATORS)
    # After the scan, run i maps state s (before run 0) to `after_0[i]` (s=0) or `after_1[i]` (s=1).
    after_0 = (at_cell_start & odd).astype(np.int8)
    after_1 = (~odd).astype(np.int8)
    k = 1
    while k < len(after_0):
        prev_0, prev_1 = after_0[:-k], after_1[:-k]
        here_0, here_1 = after_0[k:], after_1[k:]
        new_0 = np.where(prev_0 == 0, here_0, here_1)
        new_1 = np.where(prev_1 == 0, here_0, here_1)
        after_0[k:], after_1[k:] = new_0, new_1
        k *= 2
    state = np.concatenate(([0], after_0)).astype(np.int64)  # a record starts outside quotes
    return state[np.searchsorted(ends, positions)]


def record_ends(data: Any) -> tuple[Any, Any]:
    """(offsets of line breaks that end records, offsets of all line breaks), for bytes or
    a uint8 array that starts a record."""
    arr = _array(data)
    breaks = line_breaks(arr)
    return breaks[quote_parity(arr, breaks) == 0], breaks


def _array(data: Any) -> Any:
    return np.frombuffer(data, np.uint8) if isinstance(data, (bytes, bytearray)) else data


_BAD: list[tuple[int, int]] = []


def _remember_bad(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("indo_russia_data.collect", _remember_bad)  # type: ignore[arg-type]


def is_utf8(data: bytes) -> bool:
    if data.isascii():  # much faster than decoding, and the usual case
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def utf8_problems(block: bytes, first_line: int) -> tuple[bytes, list[Problem]]:
    """The block with bad bytes replaced by U+FFFD, and one problem per line that had them."""
    if is_utf8(block):
        return block, []
    _BAD.clear()
    text = block.decode("utf-8", errors="indo_russia_data.collect")
    bad, _BAD[:] = list(_BAD), []
    breaks = line_breaks(block)
    problems, seen = [], set()
    for start, end in bad:
        line = first_line + int(np.searchsorted(breaks, start))
        if line not in seen:
            seen.add(line)
            problems.append(Problem(line, None, repr(block[start:end]), "encoding-error",
                                    f"byte(s) at line {line} are not UTF-8; save the file as UTF-8"))
    return text.encode("utf-8"), problems


def plain(data: bytes) -> bool:
    """No quote characters and no lone CR, so each LF ends one record."""
    if b'"' in data:  # `in` is a memchr; bytes.count is several times slower
        return False
    if b"\r" not in data:
        return True
    arr = np.frombuffer(data, np.uint8)
    cr = arr == 13
    return int(cr.sum()) == int((cr[:-1] & (arr[1:] == 10)).sum())


def count_lf(data: bytes) -> int:
    return int(np.count_nonzero(np.frombuffer(data, np.uint8) == 10))


MAX_RECORD = 32 << 20  # one record (a row, with its quoted line breaks) may not be longer


def blocks(stream: io.BufferedIOBase, block_size: int) -> Iterator[tuple[bytes, bool]]:
    """Yield (whole records ending with a line break, False); at the end, if a quote is
    never closed, (the unreadable rest, True). A record over MAX_RECORD bytes is an
    InputError: without the cap, a file with no line break is rescanned block after block."""
    carry = b""
    while True:
        chunk = stream.read(block_size)
        if not chunk:
            break
        if len(carry) > MAX_RECORD:
            raise InputError(f"a row is longer than {MAX_RECORD >> 20} MB: a line break is missing, "
                             "or a quote is never closed")
        data = carry + chunk
        if plain(data):
            cut = data.rfind(b"\n") + 1  # with no quotes, every line break ends a record
            if cut:
                yield data[:cut], False
                carry = data[cut:]
            else:
                carry = data
            continue
        ends, _ = record_ends(data)
        if len(ends) and data.endswith(b"\r"):
            ends = ends[:-1]  # the LF of this CRLF may open the next chunk
        if len(ends) == 0:
            carry = data
            continue
        cut = int(ends[-1]) + 1
        yield data[:cut], False
        carry = data[cut:]
    if not carry:
        return
    data = carry if carry.endswith((b"\n", b"\r")) else carry + b"\n"
    ends, _ = record_ends(data)
    cut = int(ends[-1]) + 1 if len(ends) else 0
    if cut:
        yield data[:cut], False
    rest = carry[cut:]  # without the added line break, which an unclosed quote would swallow
    if rest.strip():
        yield rest, True


class Chain(io.RawIOBase):
    """Some bytes already read, then the rest of the stream."""

    def __init__(self, first: bytes, stream: io.BufferedIOBase):
        self.first, self.stream = first, stream

    def read(self, n: int = -1) -> bytes:
        if self.first:
            out, self.first = self.first, b""
            return out
        return self.stream.read(n)
