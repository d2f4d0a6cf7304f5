"""What a table is: a row model plus keys, row rules and claim-backed figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .columns import Column, _unwrap, check_text, columns_of
from .rules import Rule

_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


def _is_text(annotation: Any) -> bool:
    """Free text (not an enum): what the column specs call ``text``."""
    return _unwrap(annotation)[0] is str


class Row(BaseModel):
    """Base of every raw-row model: empty CSV cells mean "not given"."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    rules: ClassVar[tuple[Rule, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _empty_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (None if v == "" else v) for k, v in data.items()}
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _pattern(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        field = cls.model_fields[info.field_name]
        if isinstance(value, str) and _is_text(field.annotation):
            check_text(info.field_name, value)
        extra = field.json_schema_extra or {}
        pattern = extra.get("pattern") if isinstance(extra, dict) else None
        if isinstance(pattern, str) and isinstance(value, str) and not _compiled(pattern).fullmatch(value):
            raise PydanticCustomError("constraint-error", "{value} does not match the pattern {pattern}",
                                      {"value": repr(value), "pattern": pattern})
        return value

    @model_validator(mode="after")
    def _row_rules(self, info: ValidationInfo) -> Row:
        if info.context and info.context.get("skip_rules"):
            return self  # the caller applies every rule itself, to report them all
        values = self.__dict__
        for rule in self.rules:
            failure = rule.check_row(values)
            if failure:
                raise ValueError(f"[{failure.code}] {failure.column}: {failure.message}")
        return self


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    ref: str


@dataclass(frozen=True)
class Figure:
    """A number whose canonical value is chosen from its claims at build time.

    For a figure ``value`` the built table gains ``value``, ``value_low``,
    ``value_high``, ``value_qualifier``, ``value_unit``, ``value_disputed``,
    ``value_claim_id`` and ``value_basis`` (see ``resolve.py``).
    """

    name: str
    description: str
    integer: bool = False


class TableDefinitionError(ValueError):
    """A table definition names a column it does not have (caught when the definition is made)."""


def _hint(name: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    model: type[Row]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = ()
    figures: tuple[Figure, ...] = ()
    # True when the rows come only from raw/snapshots/ (see snapshots.py): there is no raw/<name>.csv.
    from_snapshots: bool = False

    def __post_init__(self) -> None:
        # A misspelt key would otherwise be looked up, found nowhere and silently skip its checks.
        names = [c.name for c in self.raw_columns]

        def need(column: str, what: str) -> None:
            if column not in names:
                raise TableDefinitionError(f"{self.name}: {what} {column!r} is not a column of the table"
                                           f"{_hint(column, names)}")

        need(self.primary_key, "primary_key")
        for fk in self.foreign_keys:
            need(fk.column, "foreign key column")
        for rule in self.rules:
            for column in rule.columns():
                need(column, f"rule {type(rule).__name__}'s column")
        for fig in self.figures:
            clash = {fig.name, *(f"{fig.name}_{s}" for s in ("low", "high", "qualifier", "unit", "disputed",
                                                              "claim_id", "basis"))} & set(names)
            if clash:
                raise TableDefinitionError(f"{self.name}: figure {fig.name!r} would derive columns the raw "
                                           f"table already has: {', '.join(sorted(clash))}")

    @cached_property
    def raw_columns(self) -> tuple[Column, ...]:
        """The columns of ``raw/<table>.csv``: what contributors write."""
        return columns_of(self.model)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """The columns of the published table: raw columns plus derived ones."""
        from .derived import derived_columns

        return self.raw_columns + derived_columns(self)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.model.rules

    @property
    def claim_keys(self) -> tuple[ForeignKey, ...]:
        """``<figure>_claim_id`` columns point at the claim that supplies the figure."""
        return tuple(ForeignKey(f"{fig.name}_claim_id", "claims", "claim_id") for fig in self.figures)
