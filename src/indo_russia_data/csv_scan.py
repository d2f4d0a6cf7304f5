"""Reading a CSV file as raw bytes: records, physical lines and bad bytes, with numpy.

A line break is LF, CRLF or a lone CR (Python's universal newlines; pyarrow
agrees). A record ends at a line break outside quotes. Quotes are counted the
way RFC 4180 readers use them: a run of quote characters next to a delimiter,
a line break or the file's edge opens or closes a quoted cell when the run is
odd (an even run is escaped quotes); a quote inside an unquoted cell
(``12" gun``) is a literal character and does not count.
"""

from __future__ import annotations

import codecs
import io
from typing import Any, Iterator

from .report import Problem

_SEPARATORS = (44, 10, 13)  # comma, LF, CR


def line_breaks(arr: Any, np: Any) -> Any:
    """Offsets of every line break (the LF of a CRLF; a lone CR)."""
    breaks = np.flatnonzero(arr == 10)
    crs = np.flatnonzero(arr == 13)
    if len(crs):
        after = arr[np.minimum(crs + 1, len(arr) - 1)]
        lone = crs[(after != 10) | (crs + 1 >= len(arr))]
        if len(lone):
            breaks = np.union1d(breaks, lone)
    return breaks


def quote_parity(arr: Any, positions: Any, np: Any) -> Any:
    """For each offset, 1 if it lies inside a quoted cell, else 0."""
    quotes = np.flatnonzero(arr == 34)
    if len(quotes) == 0:
        return np.zeros(len(positions), np.int64)
    new_run = np.concatenate(([True], quotes[1:] != quotes[:-1] + 1))
    starts = quotes[new_run]
    ends = quotes[np.concatenate((new_run[1:], [True]))]
    length = ends - starts + 1
    before = arr[np.maximum(starts - 1, 0)]
    after = arr[np.minimum(ends + 1, len(arr) - 1)]
    edge = (starts == 0) | np.isin(before, _SEPARATORS) | (ends == len(arr) - 1) | np.isin(after, _SEPARATORS)
    weight = np.where(edge, length % 2, 0)
    flips = np.concatenate(([0], np.cumsum(weight)))
    return flips[np.searchsorted(ends, positions)] % 2


def record_ends(arr: Any, np: Any) -> tuple[Any, Any]:
    """(offsets of line breaks that end records, offsets of all line breaks)."""
    breaks = line_breaks(arr, np)
    return breaks[quote_parity(arr, breaks, np) == 0], breaks


_BAD: list[tuple[int, int]] = []


def _remember_bad(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("indo_russia_data.collect", _remember_bad)


def utf8_problems(block: bytes, first_line: int) -> tuple[bytes, list[Problem]]:
    """The block with bad bytes replaced by U+FFFD, and one problem per line that had them."""
    try:
        block.decode("utf-8")
        return block, []
    except UnicodeDecodeError:
        pass
    import numpy as np

    _BAD.clear()
    text = block.decode("utf-8", errors="indo_russia_data.collect")
    bad, _BAD[:] = list(_BAD), []
    breaks = line_breaks(np.frombuffer(block, np.uint8), np)
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
    import numpy as np

    arr = np.frombuffer(data, np.uint8)
    cr = arr == 13
    return int(cr.sum()) == int((cr[:-1] & (arr[1:] == 10)).sum())


def count_lf(data: bytes) -> int:
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, np.uint8) == 10))


def blocks(stream: io.BufferedIOBase, block_size: int) -> Iterator[tuple[bytes, bool]]:
    """Yield (whole records ending with a line break, False); at the end, if a quote is
    never closed, (the unreadable rest, True)."""
    import numpy as np

    carry = b""
    while True:
        chunk = stream.read(block_size)
        if not chunk:
            break
        data = carry + chunk
        if plain(data):
            cut = data.rfind(b"\n") + 1  # with no quotes, every line break ends a record
            if cut:
                yield data[:cut], False
                carry = data[cut:]
            else:
                carry = data
            continue
        ends, _ = record_ends(np.frombuffer(data, np.uint8), np)
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
    ends, _ = record_ends(np.frombuffer(data, np.uint8), np)
    cut = int(ends[-1]) + 1 if len(ends) else 0
    if cut:
        yield data[:cut], False
    if data[cut:].strip():
        yield data[cut:], True


class Chain(io.RawIOBase):
    """Some bytes already read, then the rest of the stream."""

    def __init__(self, first: bytes, stream: io.BufferedIOBase):
        self.first, self.stream = first, stream

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        if self.first:
            out, self.first = self.first, b""
            return out
        return self.stream.read(n)
