"""``trade_figures``: bilateral trade values, growth rates and targets."""

from __future__ import annotations

from typing import Literal

from .columns import Date, Text, column
from .period_rules import HonestPartial
from .rules import Ordered, PeriodLabel
from .table import Figure, ForeignKey, Row, Table
from .vocab import id_pattern

Reporter = Literal["india", "russia", "joint", "unspecified"]
Flow = Literal["total", "india_exports", "india_imports", "defence_contracts"]
Measure = Literal["value", "growth_rate", "target"]
PeriodType = Literal["fiscal_year", "calendar_year", "partial"]


class TradeFigure(Row):
    figure_id: Text = column("Stable id of the figure.", pattern=id_pattern("tf"), example="tf-in-total-fy2020-21")
    reporter: Reporter = column(
        "Whose statistics: india (Indian ministries, embassy, officials), russia (Russian customs, officials), "
        "joint (a target both governments set) or unspecified (the source does not say).")
    flow: Flow = column(
        "total: India's total trade with Russia; india_exports: to Russia; india_imports: from Russia; "
        "defence_contracts: value of Russian defence contracts with India.")
    measure: Measure = column("value: the amount for the period; growth_rate: percent change on the same period a "
                              "year earlier; target: an agreed goal for the period.")
    period_type: PeriodType = column(
        "fiscal_year: Indian fiscal year, April to March; calendar_year; partial: any other span "
        "(April-August, first half...), never a full year.")
    period_label: Text = column("FY2020-21 for a fiscal year, 2021 for a calendar year, free text for partial "
                                "periods (Apr-Aug 2022).")
    period_start: Date = column("First day of the period.")
    period_end: Date = column("Last day of the period.")
    event_id: Text | None = column("For targets: the event where the target was set (events.event_id).")
    source_id: Text = column("Main source for this row (sources.source_id).")
    note: Text | None = column("Context a reader needs.")

    rules = (
        Ordered("period_start", "period_end", code="ird/date-order"),
        PeriodLabel("period_type", "period_label", "period_start", "period_end"),
        HonestPartial("period_type", "period_start", "period_end"),
    )


TABLE = Table(
    name="trade_figures",
    title="Trade figures",
    description="India-Russia trade by period, as reported by India or Russia: values, growth rates, targets, "
    "and aggregate defence-contract values. Values come from claims.",
    model=TradeFigure,
    primary_key="figure_id",
    foreign_keys=(
        ForeignKey("event_id", "events", "event_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
    figures=(Figure("value", "Amount in `value_unit` (USD, or percent for growth rates)."),),
)
