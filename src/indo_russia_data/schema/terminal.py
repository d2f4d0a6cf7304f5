"""Text bound for a terminal: control characters and bidirectional overrides in quoted values
are shown escaped (\\x1b, \\u202e), so a file cannot move the cursor, recolour or reorder
what the reader sees."""

from __future__ import annotations


def safe(text: str) -> str:
    """``text`` with every non-printable character but the space escaped (one line stays one line)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def safe_lines(text: str) -> str:
    return "\n".join(safe(line) for line in text.split("\n"))


def _escape(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
