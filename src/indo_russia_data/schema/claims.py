"""``claims``: the evidence, one row per figure or attribute per source."""

from __future__ import annotations

from . import agreements, defence_contracts, events, trade_figures
from .columns import Date, DatePrecision, Number, Text, column
from .derived import CLAIM_TARGETS
from .figure_rules import UnitForFigure, ValueForAttribute, WholeFigure
from .rules import AllowedPerTarget, ExactlyOne, Ordered, PrecisionFits, RequiredWhen
from .table import ForeignKey, Row, Table
from .vocab import Qualifier, Unit, id_pattern


def _claimable(table: Table) -> tuple[str, ...]:
    """Fields a claim may support: the row's own columns and its figures."""
    own = tuple(c.name for c in table.raw_columns if c.name not in (table.primary_key, "source_id", "note"))
    return own + tuple(f.name for f in table.figures)


_TABLES = {t.name: t for t in (defence_contracts.TABLE, trade_figures.TABLE, events.TABLE, agreements.TABLE)}
# (claims column, the table whose rows it names), in CLAIM_TARGETS order.
TARGETS = tuple((column, _TABLES[name]) for name, column in CLAIM_TARGETS.items())


class Claim(Row):
    claim_id: Text = column("Stable id of the claim.", pattern=id_pattern("clm"))
    source_id: Text = column("Source that makes the claim (sources.source_id).")
    contract_id: Text | None = column("Row supported, if a defence contract (defence_contracts.contract_id).")
    figure_id: Text | None = column("Row supported, if a trade figure (trade_figures.figure_id).")
    event_id: Text | None = column("Row supported, if an event (events.event_id).")
    agreement_id: Text | None = column("Row supported, if an agreement (agreements.agreement_id).")
    field: Text = column("Column of that row the claim is about (quantity, value, start_date, city...).",
                         pattern=r"^[a-z_]+$")
    value_as_stated: Text = column("The figure or fact in the source's own words: 'over five lakh', "
                                   "'nearly ₹5,000 crore', '$5.4 billion'.")
    value: Number | None = column("Normalised point value (5,000 crore = 50000000000; lakh = 1e5, crore = 1e7).")
    value_low: Number | None = column("Lower bound, for a range or 'over'/'more than'.")
    value_high: Number | None = column("Upper bound, for a range or 'nearly'/'under'.")
    qualifier: Qualifier | None = column(
        "exact; approximate ('about', 'around'); lower_bound ('over', 'more than'); "
        "upper_bound ('nearly', 'under'); range ('$2-3 billion').")
    unit: Unit | None = column("Unit of the number: a currency (ISO 4217), items or percent.")
    value_text: Text | None = column("Normalised text value, for attributes such as a city or a status.")
    value_date: Date | None = column("Normalised date value, for date attributes.")
    date_precision: DatePrecision | None = column("Precision of `value_date`.")
    attributed_to: Text | None = column(
        "Whom the source attributes the figure to (an official, a ministry's data, another outlet).")
    note: Text | None = column("How the value was normalised or read, when not obvious.")

    rules = (
        ExactlyOne(tuple(column for column, _ in TARGETS), code="ird/claim-target"),
        Ordered("value_low", "value_high", code="ird/bounds-order"),
        PrecisionFits("value_date", "date_precision"),
        RequiredWhen("qualifier", ("range",), "value_low"),
        RequiredWhen("qualifier", ("range",), "value_high"),
        RequiredWhen("qualifier", ("lower_bound",), "value_low"),
        RequiredWhen("qualifier", ("upper_bound",), "value_high"),
        RequiredWhen("qualifier", (), "unit"),
        AllowedPerTarget("field", tuple((col, _claimable(t)) for col, t in TARGETS)),
        WholeFigure(tuple((col, tuple(f.name for f in t.figures if f.integer)) for col, t in TARGETS)),
        UnitForFigure(tuple((col, tuple(f.name for f in t.figures)) for col, t in TARGETS)),
        ValueForAttribute(tuple((col, tuple(f.name for f in t.figures)) for col, t in TARGETS)),
    )


TABLE = Table(
    name="claims",
    title="Claims",
    description="The evidence: what each source states about a figure or attribute, as stated and normalised. "
    "Conflicting claims sit side by side; `is_preferred` marks the one the canonical table shows.",
    model=Claim,
    primary_key="claim_id",
    foreign_keys=(
        ForeignKey("source_id", "sources", "source_id"),
        *(ForeignKey(column, t.name, t.primary_key) for column, t in TARGETS),
    ),
)
