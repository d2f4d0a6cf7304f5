"""Columns the build adds to published tables, derived from claims."""

from __future__ import annotations

import typing

from .columns import Column
from .vocab import Qualifier, Unit

QUALIFIERS = typing.get_args(Qualifier)
UNITS = typing.get_args(Unit)


def figure_columns(name: str, description: str, integer: bool) -> tuple[Column, ...]:
    kind = "integer" if integer else "number"
    return (
        Column(name, kind, False, f"{description} Preferred value among the claims (see `{name}_basis`); "
               f"for a bound ('over 600,000') the bound itself, with `{name}_qualifier` saying which; "
               "empty for a range."),
        Column(f"{name}_low", kind, False,
               f"Lower bound of {name}, when the preferred claim states a range or 'over'."),
        Column(f"{name}_high", kind, False,
               f"Upper bound of {name}, when the preferred claim states a range or 'nearly'/'under'."),
        Column(f"{name}_qualifier", "string", False, f"How the preferred claim states {name}.", enum=QUALIFIERS),
        Column(f"{name}_unit", "string", False, f"Unit or ISO 4217 currency of {name}; never converted.", enum=UNITS),
        Column(f"{name}_disputed", "boolean", False,
               f"True when sources give different values for {name} in the same unit."),
        Column(f"{name}_claim_id", "string", False, f"The claim whose value {name} shows (claims.claim_id)."),
        Column(f"{name}_basis", "string", False,
               "Why that claim was preferred, by the rule in the README, and how many claims there were."),
    )


def derived_columns(table: typing.Any) -> tuple[Column, ...]:
    cols: list[Column] = []
    for fig in table.figures:
        cols.extend(figure_columns(fig.name, fig.description, fig.integer))
    if table.name in CLAIM_TARGETS:
        cols.append(Column("disputed_fields", "string", False,
                           "Comma-separated fields of this row on which its claims disagree; empty when none."))
    if table.name == "claims":
        cols.append(Column("is_preferred", "boolean", True,
                           "True when this claim supplies the canonical value of its field."))
    return tuple(cols)


# Tables a claim can point at, with the claims column that holds the key.
CLAIM_TARGETS = {
    "defence_contracts": "contract_id",
    "trade_figures": "figure_id",
    "events": "event_id",
    "agreements": "agreement_id",
}
