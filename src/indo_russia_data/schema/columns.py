"""Column vocabulary shared by every table model.

A table is a pydantic model whose fields are declared with :func:`column`. The
cell grammar (what text in a CSV cell means an integer, a number, a date...) is
defined here once; the per-row models and the vectorised validator both use it,
so they cannot disagree about what a valid cell is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

INT_RE = r"^[+-]?[0-9]{1,18}$"  # fits int64 in every reader
NUMBER_RE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
BOOL_TRUE, BOOL_FALSE = "true", "false"
# Spreadsheets execute cells that start with these; see CONTRIBUTING.md.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Text made only of these is blank. Written as literal characters, so that Python's re
# and pyarrow's RE2 read the class alike.
BLANK_RE = "^[ \t\n\r\x0b\x0c\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+$"
# Control characters (C0 but tab/LF/CR, DEL, C1), bidirectional overrides and isolates,
# which reorder or hide text on a terminal or a web page.
# A byte-order mark inside the text is invisible, and some readers drop it.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff"
CONTROL_RE = f"[{_CONTROLS}\t\r\n\u2028\u2029]"  # single-line text (U+2028/9 break lines in JS, splitlines)
CONTROL_NOTE_RE = f"[{_CONTROLS}\t]|\r([^\n]|$)"  # a note may hold line breaks (LF or CRLF)
MULTILINE_COLUMNS = ("note",)
# No figure here comes near it, and beyond 2**53 (about 9e15) floats skip whole numbers.
MAX_NUMBER = 1e15

# fullmatch: Python's "$" would accept a trailing newline; the vectorised checker does not.
_int_re, _num_re, _date_re = re.compile(INT_RE), re.compile(NUMBER_RE), re.compile(DATE_RE)


def _type_error(kind: str, value: object) -> PydanticCustomError:
    return PydanticCustomError("type-error", f"{value!r} is not a valid {kind}", {"kind": kind})


def parse_int(value: object) -> object:
    if isinstance(value, str):
        if not _int_re.fullmatch(value):
            raise _type_error("integer", value)
        return int(value)
    return value


def parse_number(value: object) -> object:
    if isinstance(value, str):
        if not _num_re.fullmatch(value):
            raise _type_error("number", value)
        number = float(value)
        if math.isinf(number):  # 1e999: no reader can store it
            raise _type_error("finite number", value)
        if abs(number) > MAX_NUMBER:
            raise PydanticCustomError("ird/out-of-range", "{value} is beyond ±1e15, the largest figure accepted",
                                      {"value": value})
        return number
    return value


def parse_date(value: object) -> object:
    if isinstance(value, str):
        if not _date_re.fullmatch(value):
            raise _type_error("date (YYYY-MM-DD)", value)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _type_error("date (no such day)", value) from None
    return value


def parse_bool(value: object) -> object:
    if isinstance(value, str):
        if value not in (BOOL_TRUE, BOOL_FALSE):
            raise _type_error("boolean (true/false)", value)
        return value == BOOL_TRUE
    return value


_blank_re = re.compile(BLANK_RE)
# Python's "$" also matches before a final "\n"; RE2's (pyarrow's) only at the end, like "\Z".
_control_re, _control_note_re = re.compile(CONTROL_RE), re.compile(CONTROL_NOTE_RE.replace("$", r"\Z"))


def check_text(name: str, value: object) -> object:
    """Text that is not blank and holds no control character (a note may hold line breaks)."""
    if not isinstance(value, str):
        return value
    if _blank_re.match(value):
        raise PydanticCustomError("constraint-error", "{name} is blank (only spaces)", {"name": name})
    found = (_control_note_re if name in MULTILINE_COLUMNS else _control_re).search(value)
    if found:
        raise PydanticCustomError("ird/control-character", "{name} holds the control character {char}",
                                  {"name": name, "char": control_name(found.group()[0])})
    return value


def control_name(char: str) -> str:
    """U+001B, for a message (never the raw character)."""
    return f"U+{ord(char):04X}"


def reject_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        raise PydanticCustomError(
            "ird/formula-injection",
            "text starts with {char}, which spreadsheets run as a formula",
            {"char": repr(value[0])},
        )
    return value


Int = Annotated[int, BeforeValidator(parse_int)]
Number = Annotated[float, BeforeValidator(parse_number)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Bool = Annotated[bool, BeforeValidator(parse_bool)]
Text = Annotated[str, AfterValidator(reject_formula)]

DatePrecision = Literal["day", "month", "year"]


def column(
    description: str,
    *,
    pattern: str | None = None,
    minimum: float | None = None,
    unit: str | None = None,
    example: str | None = None,
) -> Any:
    """Declare a table column: its description travels to every output."""
    extra: dict[str, Any] = {}
    if pattern:
        # Checked by Row after the type's own validators (formula first), the same order
        # for required and optional columns; pydantic's Field(pattern=...) is not.
        extra["pattern"] = pattern
    if unit:
        extra["unit"] = unit
    if example:
        extra["example"] = example
    return Field(
        description=description,
        ge=minimum,
        json_schema_extra=extra or None,
    )


@dataclass(frozen=True)
class Column:
    """What every generator needs to know about one column."""

    name: str
    kind: str  # string | integer | number | date | boolean
    required: bool
    description: str
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    unit: str | None = None
    example: str | None = None
    text: bool = False  # free text: subject to the formula-injection, blank and control-character rules

    @property
    def multiline(self) -> bool:
        return self.name in MULTILINE_COLUMNS


_KINDS = {str: "string", int: "integer", float: "number", dt.date: "date", bool: "boolean"}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip ``X | None`` and ``Annotated``; return (base type, optional)."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def columns_of(model: Any) -> tuple[Column, ...]:
    """Read the column specs off a pydantic model, in declaration order."""
    out = []
    for name, info in model.model_fields.items():
        base, optional = _unwrap(info.annotation)
        enum = None
        if typing.get_origin(base) is Literal:
            enum = tuple(typing.get_args(base))
            kind = "string"
        else:
            kind = _KINDS[base]
        minimum = None
        for meta in info.metadata:
            if getattr(meta, "ge", None) is not None:
                minimum = meta.ge
        extra = info.json_schema_extra or {}
        pattern = extra.get("pattern")
        out.append(
            Column(
                name=name,
                kind=kind,
                required=not optional,
                description=info.description or "",
                enum=enum,
                pattern=pattern,
                minimum=minimum,
                unit=extra.get("unit"),
                example=extra.get("example"),
                text=kind == "string" and enum is None,
            )
        )
    return tuple(out)
