"""Text bound for a terminal: control characters and bidirectional overrides in quoted values
are shown escaped (\\x1b, \\u202e), so a file cannot move the cursor, recolour or reorder
what the reader sees."""

from __future__ import annotations


def safe(text: str) -> str:
    """``text`` with every non-printable character but the space escaped (one line stays one line)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)



def _escape(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def safe_json(text: str) -> str:
    """JSON text with every non-printable character escaped as \\uXXXX (json.dumps leaves DEL,
    C1 and bidirectional overrides raw with ensure_ascii=False). Such characters occur only
    inside strings, so the result is the same JSON."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in " \n" else _json_escape(c) for c in text)


def _json_escape(c: str) -> str:
    n = ord(c)
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"
