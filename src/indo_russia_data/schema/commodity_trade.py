"""``commodity_trade``: India's trade with Russia by product, from official releases.

One row is one product code, flow and period, in the unit the release uses.
The table is built only from committed snapshots of official releases
(``raw/snapshots/``), never from hand-written rows. The columns leave room for
more: any HS level (2 to 8 digits), calendar years or months, and other reporters.
"""

from __future__ import annotations

from typing import Literal

from .columns import Date, Int, Number, Text, column
from .rules import Ordered, PeriodLabel
from .table import ForeignKey, Row, Table
from .vocab import id_pattern

Reporter = Literal["india", "russia"]
Flow = Literal["india_exports", "india_imports"]
PeriodType = Literal["fiscal_year", "calendar_year", "month"]
Classification = Literal["HS"]
Unit = Literal["USD million"]
Status = Literal["final", "provisional"]


class CommodityTrade(Row):
    row_id: Text = column("Stable id: reporter, flow, period and product code.", pattern=id_pattern("ct"),
                          example="ct-in-imports-fy2024-25-hs27")
    reporter: Reporter = column("Whose statistics: india (Department of Commerce) or russia (Russian customs).")
    flow: Flow = column("india_exports: India's exports to Russia; india_imports: India's imports from Russia.")
    period_type: PeriodType = column("fiscal_year: Indian fiscal year, April to March; calendar_year; "
                                     "month: a single calendar month.")
    period_label: Text = column("FY2024-25 for a fiscal year, 2024 for a calendar year, 2024-07 for a month.")
    period_start: Date = column("First day of the period.")
    period_end: Date = column("Last day of the period.")
    classification: Classification = column("Product classification of `product_code`: HS, the Harmonized "
                                             "System as India applies it (ITC-HS; chapters 98 and 99 are national).")
    product_level: Int = column("Digits of `product_code`: 2 for an HS chapter, 4 for a heading, 6 or 8 for "
                                "finer lines.", minimum=2)
    product_code: Text = column("The product code as published, with leading zeros ('03', '2709').",
                                pattern=r"^[0-9]{2,8}$")
    product_name: Text = column("The product's name exactly as the release prints it (spelling included).")
    value: Number = column("Value of the flow in `unit`, as published.", minimum=0)
    unit: Unit = column("Unit of `value`, as published (no conversion).")
    status: Status = column("final, or provisional when the release marks the period's figures as provisional.")
    source_id: Text = column("The official release (sources.source_id).")
    note: Text | None = column("Context a reader needs.")

    rules = (
        Ordered("period_start", "period_end", code="ird/date-order"),
        PeriodLabel("period_type", "period_label", "period_start", "period_end"),
    )


TABLE = Table(
    name="commodity_trade",
    title="Trade by product",
    description="India's trade with Russia by product code (HS chapter), flow and period, in the unit of the "
    "official release; built from committed snapshots of official statistics, not from claims.",
    model=CommodityTrade,
    primary_key="row_id",
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
    from_snapshots=True,
)
